import type { Clock } from '../../shared/clock.js';
import type { CameraAccount } from '../accounts/account-store.js';
import type { CameraLogin } from '../accounts/camera-login.js';
import type { CameraAudit } from '../audit/camera-audit.js';
import { digestResponseMatches, type DigestNonces, parseDigestParams, splitAuthorization } from '../stream/auth.js';
import type { SoapRequest } from '../../media/onvif/soap.js';
import { digestMatches, type NonceMemory, readUsernameToken, tokenTiming } from './ws-security.js';

/**
 * Who sent an ONVIF request: a WS-UsernameToken in the SOAP header (refused when malformed, stale,
 * without Created, or replayed), else HTTP Digest. A refused token answers 400 with
 * ter:NotAuthorized, as the Core specification says; no credentials or a wrong Digest answer 401
 * with a fresh challenge, so a client may try Digest.
 */
export type RequestAuthentication = { ok: true; account: CameraAccount } | { ok: false; status: 400 | 401 };

export class OnvifRequestAuth {
  constructor(
    private readonly login: Pick<CameraLogin, 'check'>,
    private readonly tokenNonces: NonceMemory,
    private readonly digestNonces: DigestNonces,
    private readonly audit: Pick<CameraAudit, 'append'>,
    private readonly clock: Clock,
  ) {}

  challenge(): string {
    return this.digestNonces.challenge();
  }

  async authenticate(request: SoapRequest, authorization: string | undefined, sourceIp: string): Promise<RequestAuthentication> {
    const token = readUsernameToken(request.header);
    if (token === 'malformed') return this.#refuseToken(sourceIp, 'malformed', undefined);
    if (token) {
      const timing = tokenTiming(token, this.clock.now());
      if (!timing.ok) return this.#refuseToken(sourceIp, timing.reason, token.username);
      const nonce = token.passwordType === 'digest' ? token.nonce! : undefined;
      // Only nonces of accepted tokens are remembered: seeing one again is a replay, refused before any check.
      if (nonce && this.tokenNonces.has(nonce)) return this.#refuseToken(sourceIp, 'replay', token.username);
      const proof =
        token.passwordType === 'digest'
          ? { kind: 'digest' as const, matches: (password: string) => digestMatches(token, password) }
          : { kind: 'text' as const, password: token.password };
      const result = await this.login.check(token.username, sourceIp, proof, 'ws-username-token');
      if (!result.ok) return { ok: false, status: 400 };
      // Two copies of one token checked at once both get here: the memory lets only the first through.
      if (nonce && !this.tokenNonces.remember(nonce, this.clock.now())) return this.#refuseToken(sourceIp, 'replay', token.username);
      return { ok: true, account: result.account };
    }
    const given = splitAuthorization(authorization);
    if (given?.scheme !== 'digest') return { ok: false, status: 401 };
    const params = parseDigestParams(given.rest);
    // A nonce this camera did not issue (or from before a restart) is no password guess: ask again.
    if (!this.digestNonces.issued(params)) return { ok: false, status: 401 };
    const result = await this.login.check(
      params.get('username') ?? '',
      sourceIp,
      { kind: 'digest', matches: (password) => digestResponseMatches('POST', params, password) },
      'http-digest',
    );
    return result.ok ? { ok: true, account: result.account } : { ok: false, status: 401 };
  }

  async #refuseToken(sourceIp: string, reason: string, username: string | undefined): Promise<RequestAuthentication> {
    await this.audit.append({
      type: 'auth.token_refused',
      outcome: 'failure',
      actor: username === undefined ? null : { id: null, username: username.slice(0, 64) },
      sourceIp,
      details: { reason },
    });
    return { ok: false, status: 400 };
  }
}

import type { CameraLogin } from './accounts/camera-login.js';
import { digestResponseMatches, DigestNonces, parseDigestParams, type RtspAccess, splitAuthorization } from './stream/auth.js';

export const CAMERA_REALM = 'Vigil camera';

/**
 * Who may watch the camera: any of its accounts, by RTSP Digest (no Basic: it would send the
 * password in the clear), through the same lockout as ONVIF logins; nobody while it is inactive.
 */
export class CameraRtspAccess implements RtspAccess {
  readonly #nonces = new DigestNonces(CAMERA_REALM);

  constructor(
    private readonly isActive: () => boolean,
    private readonly login: Pick<CameraLogin, 'check'>,
  ) {}

  challenge(): string {
    return this.#nonces.challenge();
  }

  async verify(method: string, authorization: string | undefined, sourceIp: string): Promise<boolean> {
    if (!this.isActive()) return false;
    const given = splitAuthorization(authorization);
    if (given?.scheme !== 'digest') return false;
    const params = parseDigestParams(given.rest);
    if (!this.#nonces.issued(params)) return false;
    const proof = { kind: 'digest' as const, matches: (password: string) => digestResponseMatches(method, params, password) };
    return (await this.login.check(params.get('username') ?? '', sourceIp, proof, 'rtsp-digest')).ok;
  }
}

import { loginAccount, startedLockDetails, type LoginClient, type LoginLockout } from '../../identity/lockout/login-lockout.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import { randomToken } from '../../shared/secrets.js';
import type { CameraAudit } from '../audit/camera-audit.js';
import type { AccountStore, CameraAccount } from './account-store.js';
import type { CameraPasswords } from './passwords.js';

/**
 * What a request offers as proof of a password: a digest computed from it (WS-UsernameToken
 * PasswordDigest, HTTP or RTSP Digest), checked against the sealed password, or the password itself
 * (PasswordText), checked against its argon2id hash.
 */
export type PasswordProof = { kind: 'digest'; matches(password: string): boolean } | { kind: 'text'; password: string };

export type CameraLoginOutcome = { ok: true; account: CameraAccount } | { ok: false };

/** An account as the lockout knows it: its role names are the core's, whose policy may give administrators a threshold of their own. */
export const lockoutRecord = (account: CameraAccount) => ({
  id: account.id,
  username: account.username,
  role: account.level === 'Administrator' ? 'admin' : 'user',
});

/**
 * Checks a login on the camera through the core's lockout: each attempt is counted as failed before
 * its proof is checked, a locked client or a spent unknown-client budget checks nothing, and a name
 * no account has costs the same check against a password nobody has. Every refusal looks the same
 * (wrong name, wrong password, locked), so the answer tells nothing of which accounts exist.
 */
export class CameraLogin {
  /** Checked in place of a missing account's password, so an unknown name costs what a known one does. */
  readonly #nobodysPassword = randomToken(24);

  constructor(
    private readonly accounts: Pick<AccountStore, 'findByName'>,
    private readonly passwords: Pick<CameraPasswords, 'reveal'>,
    private readonly hasher: Pick<PasswordHasher, 'verify' | 'verifyDummy'>,
    private readonly lockout: Pick<LoginLockout, 'gate' | 'reserve' | 'succeeded' | 'policy'>,
    private readonly audit: Pick<CameraAudit, 'append'>,
  ) {}

  async check(username: string, sourceIp: string, proof: PasswordProof, via: string): Promise<CameraLoginOutcome> {
    const found = this.accounts.findByName(username.normalize('NFC'));
    const account = loginAccount(found && lockoutRecord(found), username);
    const client: LoginClient = { kind: 'address', id: sourceIp };
    const gate = await this.lockout.gate(account, client);
    if (gate.verdict === 'client_locked') return { ok: false };
    const reservation = await this.lockout.reserve(account, client, gate.verdict === 'open');
    if (reservation.verdict === 'client_locked') return { ok: false };
    const right = reservation.verdict === 'open' && (await this.#proves(found, proof)) && found !== undefined;
    if (right) {
      await this.lockout.succeeded(account, client);
      return { ok: true, account: found };
    }
    await this.audit.append({
      type: 'auth.login_failed',
      outcome: 'failure',
      actor: { id: account.userId, username: username.slice(0, 64) },
      sourceIp,
      details: { via },
    });
    for (const details of startedLockDetails(client, reservation, this.lockout.policy)) {
      await this.audit.append({ type: 'auth.lockout', outcome: 'info', sourceIp, target: account.target, details });
    }
    return { ok: false };
  }

  async #proves(found: CameraAccount | undefined, proof: PasswordProof): Promise<boolean> {
    if (proof.kind === 'text') {
      return found ? (await this.hasher.verify(found.passwordHash, proof.password)).valid : this.hasher.verifyDummy(proof.password);
    }
    return proof.matches(found ? this.passwords.reveal(found) : this.#nobodysPassword);
  }
}

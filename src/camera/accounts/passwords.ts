import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { JudgePassword } from '../../identity/passwords/judge.js';
import type { PasswordVerdict } from '../../identity/passwords/policy.js';
import { open, seal } from '../../identity/sealing/secret-box.js';
import type { CameraAccount, StoredPassword } from './account-store.js';

/**
 * How the camera keeps its accounts' passwords. Digest logins (WS-UsernameToken PasswordDigest, HTTP
 * and RTSP Digest) prove the password by hashing it with values only known at login, so the camera
 * must be able to read it back: it is sealed under keys/secret.key, beside the database. The
 * argon2id hash serves the logins that send the password itself, and the label code's checks.
 */
export class CameraPasswords {
  constructor(
    private readonly hasher: Pick<PasswordHasher, 'hash' | 'verify'>,
    private readonly judgePassword: JudgePassword,
    private readonly secretKey: Buffer,
    private readonly device: { serial: string; model: string },
  ) {}

  /** The core's password policy, with this camera's serial and model as words to avoid. */
  judge(username: string, password: string): Promise<PasswordVerdict> {
    return this.judgePassword(password, { username, serial: this.device.serial, model: this.device.model });
  }

  async store(username: string, password: string): Promise<StoredPassword> {
    const normalized = password.normalize('NFC');
    return { passwordHash: await this.hasher.hash(normalized), sealedPassword: seal(this.secretKey, purpose(username), normalized) };
  }

  /** The password itself, for a digest check only: never logged, never answered. */
  reveal(account: Pick<CameraAccount, 'username' | 'sealedPassword'>): string {
    return open(this.secretKey, purpose(account.username), account.sealedPassword);
  }
}

/** Bound into the seal: a sealed password moved to another account's row does not open there. */
const purpose = (username: string) => `camera account password:${username.toLowerCase()}`;

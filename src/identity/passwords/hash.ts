import { Algorithm, hash, verify } from '@node-rs/argon2';
import { randomToken } from '../../shared/secrets.js';

export interface Argon2Params {
  memoryCost: number; // KiB
  timeCost: number;
  parallelism: number;
}

/** OWASP's argon2id setting (19 MiB, 2 passes): about 10 ms on the reference machine. */
export const PRODUCTION_ARGON2: Argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** For tests only: orders of magnitude cheaper, so the suite stays fast. Tests assert they use it. */
export const TEST_ARGON2: Argon2Params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface VerifyResult {
  valid: boolean;
  /** The stored hash uses other parameters than the current ones: rehash while the password is at hand. */
  needsRehash: boolean;
}

/** Reads m, t and p from a PHC string such as `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`. */
export function parsePhcParams(phc: string): (Argon2Params & { algorithm: string }) | undefined {
  const match = /^\$(argon2(?:id|i|d))\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
  if (!match) return undefined;
  return {
    algorithm: match[1]!,
    memoryCost: Number(match[2]),
    timeCost: Number(match[3]),
    parallelism: Number(match[4]),
  };
}

/**
 * Hashes `secret` with the parameters and salt of another party's stored hash, given as its PHC
 * string up to the hash (`$argon2id$v=19$m=...,t=...,p=...$SALT$`): the result equals that stored
 * hash exactly when the secret is the one it was made from. Undefined for a prefix that is not an
 * Argon2id one, or that asks for more work than `ceiling` (the prefix comes from the other party).
 */
export async function hashWithSaltOf(phcPrefix: string, secret: string, ceiling: Argon2Params): Promise<string | undefined> {
  const params = parsePhcParams(phcPrefix);
  const salt = /^\$argon2id\$v=19\$[^$]+\$([A-Za-z0-9+/]{11,64})\$$/.exec(phcPrefix)?.[1];
  if (!params || params.algorithm !== 'argon2id' || !salt) return undefined;
  if (params.memoryCost > ceiling.memoryCost || params.timeCost > ceiling.timeCost || params.parallelism > ceiling.parallelism) return undefined;
  const { memoryCost, timeCost, parallelism } = params;
  return hash(secret.normalize('NFC'), { memoryCost, timeCost, parallelism, algorithm: Algorithm.Argon2id, salt: Buffer.from(salt, 'base64') });
}

export class PasswordHasher {
  readonly params: Argon2Params;
  #dummyHash: Promise<string>;

  constructor(params: Argon2Params = PRODUCTION_ARGON2) {
    this.params = params;
    // A real hash of a password nobody knows, made with the current parameters, so a login for an
    // unknown username costs exactly what a wrong password for a real one costs.
    this.#dummyHash = this.hash(randomToken(24));
  }

  /** Secrets are NFC-normalised first: the same password typed on another keyboard or OS must match. */
  hash(secret: string): Promise<string> {
    return hash(secret.normalize('NFC'), { ...this.params, algorithm: Algorithm.Argon2id });
  }

  async verify(phc: string, secret: string): Promise<VerifyResult> {
    const stored = parsePhcParams(phc);
    let valid = false;
    try {
      valid = await verify(phc, secret.normalize('NFC'));
    } catch {
      valid = false; // a malformed stored hash never authenticates anyone
    }
    const needsRehash =
      !stored ||
      stored.algorithm !== 'argon2id' ||
      stored.memoryCost !== this.params.memoryCost ||
      stored.timeCost !== this.params.timeCost ||
      stored.parallelism !== this.params.parallelism;
    return { valid, needsRehash };
  }

  /** Spend the time of one verification and fail; for usernames that do not exist. */
  async verifyDummy(secret: string): Promise<false> {
    await verify(await this.#dummyHash, secret.normalize('NFC')).catch(() => false);
    return false;
  }
}

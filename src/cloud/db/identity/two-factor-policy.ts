import type { TwoFactorPolicyStore } from '../../../identity/two-factor/policy-store.js';
import type { Queryable } from '../database.js';

/** The "two-factor required" setting in PostgreSQL: one row, off until set. */
export function twoFactorPolicyStore(db: Queryable): TwoFactorPolicyStore {
  return {
    async isTwoFactorRequired() {
      const { rows } = await db.query<{ required: boolean }>('SELECT required FROM two_factor_policy WHERE id = 1');
      return rows[0]?.required ?? false;
    },
    async setTwoFactorRequired(required, now) {
      await db.query(
        `INSERT INTO two_factor_policy (id, required, updated_at) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET required = EXCLUDED.required, updated_at = EXCLUDED.updated_at`,
        [required, now],
      );
    },
  };
}

import { useEffect, useState } from 'react';
import { evaluatePassword, type PasswordContext, type PasswordVerdict } from '../../src/identity/passwords/policy.js';

export interface VerdictState {
  /** The latest verdict (may belong to a slightly older value while `pending`). */
  verdict: PasswordVerdict | null;
  /** True while the current value has not been evaluated yet. */
  pending: boolean;
  /** True only when the verdict for exactly the current value accepts it. */
  accepted: boolean;
}

/** Evaluates the password on every change with the shared policy; stale async results are ignored. */
export function usePasswordVerdict(password: string, context: PasswordContext): VerdictState {
  const [result, setResult] = useState<{ password: string; verdict: PasswordVerdict } | null>(null);
  const { username, serial, model } = context;

  useEffect(() => {
    if (password === '') return;
    let stale = false;
    evaluatePassword(password, { username, serial, model }).then(
      (verdict) => {
        if (!stale) setResult({ password, verdict });
      },
      () => {
        // The server re-checks anyway; a failed local check just leaves the meter as it was.
      },
    );
    return () => {
      stale = true;
    };
  }, [password, username, serial, model]);

  if (password === '') return { verdict: null, pending: false, accepted: false };
  const current = result?.password === password;
  return {
    verdict: result?.verdict ?? null,
    pending: !current,
    accepted: current && result.verdict.accepted,
  };
}

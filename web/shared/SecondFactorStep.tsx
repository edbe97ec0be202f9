import { startAuthentication, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { useState, type FormEvent } from 'react';
import { ApiError } from './api-error.js';
import { ErrorAlert } from './ErrorAlert.js';
import type { ShownError } from './errors.js';
import { Page } from './Page.js';

/** What a right password answers for an account with two-step login (the recorder's and the cloud's alike). */
export interface SecondFactorChallenge {
  challenge: string;
  methods: string[];
  /** The passkey request's options, when the account has a passkey. */
  webauthn?: PublicKeyCredentialRequestOptionsJSON;
}

export type SecondFactorProof = { totp: string } | { recoveryCode: string } | { webauthn: AuthenticationResponseJSON };

interface Props {
  challenge: SecondFactorChallenge;
  /** Sends the proof with the challenge; the login is complete when it resolves. */
  complete: (proof: SecondFactorProof) => Promise<void>;
  /** The challenge expired or was burnt (`invalid_challenge`): back to the password. */
  onRestart: (notice: string) => void;
  describeError: (error: unknown) => ShownError;
}

/** The second step of a login: a code from the authenticator app, a passkey, or one of the recovery codes. */
export function SecondFactorStep({ challenge, complete, onRestart, describeError }: Props) {
  const hasTotp = challenge.methods.includes('totp');
  const [useRecoveryCode, setUseRecoveryCode] = useState(!hasTotp);
  const [code, setCode] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);

  async function finish(proof: () => Promise<SecondFactorProof>) {
    setBusy(true);
    setError(null);
    try {
      await complete(await proof());
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_challenge') {
        onRestart('That login took too long or had too many wrong codes. Log in again.');
        return;
      }
      setError(describeError(err));
      setCode('');
      setBusy(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void finish(async () => (useRecoveryCode ? { recoveryCode: code.trim() } : { totp: code.replace(/\s/g, '') }));
  }

  const passkeyOptions = challenge.webauthn;

  return (
    <Page title="Two-step verification">
      <form onSubmit={submit}>
        {useRecoveryCode ? (
          <div className="field">
            <label htmlFor="second-factor-recovery">Recovery code</label>
            <input
              id="second-factor-recovery"
              name="recoveryCode"
              type="text"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <p className="help">One of the codes you saved when you set up two-step login. Each works once.</p>
          </div>
        ) : (
          <div className="field">
            <label htmlFor="second-factor-code">Authentication code</label>
            <input
              id="second-factor-code"
              name="totp"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]{6,7}"
              required
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <p className="help">The 6-digit code your authenticator app shows for Vigil.</p>
          </div>
        )}
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Verify'}
        </button>{' '}
        {passkeyOptions && (
          <>
            <button
              type="button"
              disabled={busy}
              onClick={() => void finish(async () => ({ webauthn: await startAuthentication({ optionsJSON: passkeyOptions }) }))}
            >
              Use a passkey
            </button>{' '}
          </>
        )}
        {hasTotp && (
          <button
            type="button"
            onClick={() => {
              setUseRecoveryCode((v) => !v);
              setCode('');
              setError(null);
            }}
          >
            {useRecoveryCode ? 'Use the authenticator app' : 'Use a recovery code'}
          </button>
        )}
      </form>
    </Page>
  );
}

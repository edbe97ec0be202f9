import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, type Me, type TotpEnrolment, type TwoFactorStatus } from './api.js';
import { ErrorAlert, Notice } from './ErrorAlert.js';
import { describeError, type ShownError } from './errors.js';
import { Page } from './Page.js';
import { PasswordField } from './PasswordField.js';

interface Props {
  me: Me;
  /** Two-factor is on and its recovery codes were put away: ends an enrolment the admin required. */
  onEnabled?: () => void;
}

/** My two-factor authentication: the authenticator app, recovery codes, and (admins) the policy. */
export function TwoFactorPage({ me, onEnabled }: Props) {
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [freshCodes, setFreshCodes] = useState<string[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setStatus(await api.getTwoFactor());
    } catch (err) {
      setError(describeError(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  function showCodes(codes: string[]) {
    setFreshCodes(codes);
    setMessage(null);
    void load();
  }

  if (status === null) {
    return (
      <Page title="Two-factor authentication">
        <ErrorAlert error={error} />
        <p aria-busy="true">Loading…</p>
      </Page>
    );
  }

  return (
    <Page title="Two-factor authentication">
      {status.enrolmentRequired && (
        <Notice>This recorder requires two-factor authentication for everyone. Set it up to continue.</Notice>
      )}
      {message && <Notice>{message}</Notice>}
      <p data-testid="two-factor-status">
        Two-factor authentication is <strong>{status.enabled ? 'on' : 'off'}</strong>
        {status.enabled && `: ${status.recoveryCodesRemaining} of 10 recovery codes left`}.
      </p>

      {freshCodes ? (
        <RecoveryCodes
          codes={freshCodes}
          username={me.user.username}
          onDone={() => {
            setFreshCodes(null);
            onEnabled?.();
          }}
        />
      ) : status.enabled ? (
        <>
          <ReauthForm
            heading="Recovery codes"
            explanation="New codes replace all the old ones at once."
            action="Make new recovery codes"
            onSubmit={async (password) => showCodes(await api.regenerateRecoveryCodes(password))}
          />
          <ReauthForm
            heading="Turn off two-factor"
            explanation="Your password alone will log you in. The authenticator app and recovery codes stop working."
            action="Turn off two-factor"
            danger
            onSubmit={async (password) => {
              await api.disableTwoFactor(password);
              setMessage('Two-factor authentication is off.');
              await load();
            }}
          />
        </>
      ) : (
        <TotpSetup onEnabled={showCodes} />
      )}

      {me.user.role === 'admin' && !freshCodes && <RequireForEveryone status={status} onChanged={load} />}
    </Page>
  );
}

/** Scan the QR code (or type the key), then prove it with the first code. */
function TotpSetup({ onEnabled }: { onEnabled: (recoveryCodes: string[]) => void }) {
  const [password, setPassword] = useState('');
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(step: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await step();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => setEnrolment(await api.startTotp(password)));
  }

  function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      const codes = await api.confirmTotp(password, code.replace(/\s/g, ''));
      setPassword('');
      onEnabled(codes);
    });
  }

  if (!enrolment) {
    return (
      <form onSubmit={start} aria-labelledby="totp-heading">
        <h2 id="totp-heading">Set up an authenticator app</h2>
        <p className="help">Use an app such as Aegis, FreeOTP, Google Authenticator or 1Password.</p>
        <PasswordField label="Current password" name="currentPassword" autoComplete="current-password" value={password} onChange={setPassword} />
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy || password === ''}>
          Set up authenticator app
        </button>
      </form>
    );
  }

  return (
    <form onSubmit={confirm} aria-labelledby="totp-heading">
      <h2 id="totp-heading">Scan this code with your authenticator app</h2>
      <img src={enrolment.qrCode} alt="QR code for your authenticator app" width={240} height={240} />
      <p className="help">
        Cannot scan it? Type this key into the app: <code data-testid="totp-secret">{enrolment.secret.match(/.{1,4}/g)!.join(' ')}</code>
      </p>
      <div className="field">
        <label htmlFor="totp-confirm-code">Code from the app</label>
        <input
          id="totp-confirm-code"
          name="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </div>
      <ErrorAlert error={error} />
      <button type="submit" className="primary" disabled={busy}>
        Turn on two-factor
      </button>
    </form>
  );
}

/** Shown once: after enrolment and after making new codes. */
function RecoveryCodes({ codes, username, onDone }: { codes: string[]; username: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const text = `Vigil recovery codes for ${username}. Each works once.\n\n${codes.join('\n')}\n`;
  return (
    <section className="card" aria-labelledby="codes-heading">
      <h2 id="codes-heading">Save your recovery codes</h2>
      <p>
        If you lose your phone, each of these codes logs you in once. Keep them somewhere safe: they are shown only
        now.
      </p>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <button
        type="button"
        onClick={() => void navigator.clipboard.writeText(text).then(() => setCopied(true), () => setCopied(false))}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>{' '}
      <a className="button" href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`} download="vigil-recovery-codes.txt">
        Download
      </a>{' '}
      <button type="button" className="primary" onClick={onDone}>
        I have saved them
      </button>
    </section>
  );
}

interface ReauthFormProps {
  heading: string;
  explanation: string;
  action: string;
  danger?: boolean;
  children?: ReactNode;
  onSubmit: (password: string) => Promise<void>;
}

/** A change that needs the current password in the same request. */
function ReauthForm({ heading, explanation, action, danger, children, onSubmit }: ReauthFormProps) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(password);
      setPassword('');
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label={heading}>
      <h2>{heading}</h2>
      <p className="help">{explanation}</p>
      {children}
      <PasswordField label="Current password" name="currentPassword" autoComplete="current-password" value={password} onChange={setPassword} />
      <ErrorAlert error={error} />
      <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy || password === ''}>
        {action}
      </button>
    </form>
  );
}

function RequireForEveryone({ status, onChanged }: { status: TwoFactorStatus; onChanged: () => Promise<void> }) {
  const [required, setRequired] = useState(status.requiredForEveryone);
  return (
    <ReauthForm
      heading="Require two-factor for everyone"
      explanation="Users without two-factor can then only set it up after logging in. Set it up for yourself first."
      action="Save"
      onSubmit={async (password) => {
        await api.setTwoFactorPolicy(required, password);
        await onChanged();
      }}
    >
      <div className="field">
        <label>
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} /> Require two-factor
          authentication for every user
        </label>
      </div>
    </ReauthForm>
  );
}

import {
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { createContext, useCallback, useContext, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorAlert, Notice } from './ErrorAlert.js';
import type { ShownError } from './errors.js';
import { formatTime } from './format-time.js';
import { PasswordField } from './PasswordField.js';

/** A passkey as both APIs list it. */
export interface PasskeyRow {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The calls behind the settings: the recorder's /me/2fa, the cloud's /account/2fa. Each change takes the current password. */
export interface TwoFactorApi {
  startTotp(currentPassword: string): Promise<{ secret: string; qrCode: string }>;
  /** The recovery codes made with it. */
  confirmTotp(currentPassword: string, code: string): Promise<string[]>;
  regenerateRecoveryCodes(currentPassword: string): Promise<string[]>;
  listPasskeys(): Promise<PasskeyRow[]>;
  startPasskeyRegistration(currentPassword: string): Promise<PublicKeyCredentialCreationOptionsJSON>;
  /** Recovery codes when the passkey is the account's first second factor. */
  finishPasskeyRegistration(name: string, response: RegistrationResponseJSON): Promise<string[] | null | undefined>;
  removePasskey(id: number, currentPassword: string): Promise<void>;
  disableTwoFactor(currentPassword: string): Promise<void>;
}

/** Where two-step login stands; `pending` is an authenticator app set up but never confirmed by a code. */
export interface TwoFactorState {
  enabled: boolean;
  totp: 'off' | 'pending' | 'on';
  recoveryCodesRemaining: number;
}

interface Props {
  api: TwoFactorApi;
  status: TwoFactorState;
  /** Reads the status again after a change. */
  reload: () => Promise<void>;
  /** Whose codes they are, in the saved file. */
  username: string;
  /** Where passkeys work (they are bound to the name the page is opened by). */
  passkeyHelp: string;
  describeError: (error: unknown) => ShownError;
  /** Two-factor is on and its recovery codes were put away. */
  onEnabled?: () => void;
  /** More settings below (their ReauthForms), hidden while fresh recovery codes are shown. */
  children?: ReactNode;
}

/** Two-step login: the authenticator app, passkeys, recovery codes, turning it off. */
export function TwoFactorSettings({ api, status, reload, username, passkeyHelp, describeError, onEnabled, children }: Props) {
  const [freshCodes, setFreshCodes] = useState<string[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const context = { api, describeError };

  function showCodes(codes: string[]) {
    setFreshCodes(codes);
    setMessage(null);
    void reload();
  }

  return (
    <TwoFactorContext.Provider value={context}>
      {message && <Notice>{message}</Notice>}
      <p data-testid="two-factor-status">
        Two-step login is <strong>{status.enabled ? 'on' : 'off'}</strong>
        {status.enabled && `: ${status.recoveryCodesRemaining} of 10 recovery codes left`}.
      </p>

      {freshCodes ? (
        <RecoveryCodes
          codes={freshCodes}
          username={username}
          onDone={() => {
            setFreshCodes(null);
            onEnabled?.();
          }}
        />
      ) : (
        <>
          {status.totp !== 'on' && <TotpSetup onEnabled={showCodes} />}
          <Passkeys help={passkeyHelp} onFirstFactor={showCodes} onChanged={reload} />
          {status.enabled && (
            <EnabledActions
              onRegenerated={showCodes}
              onDisabled={async () => {
                setMessage('Two-step login is off.');
                await reload();
              }}
            />
          )}
          {children}
        </>
      )}
    </TwoFactorContext.Provider>
  );
}

/** The API and the error wording of the UI the settings sit in, for each of their forms. */
const TwoFactorContext = createContext<{ api: TwoFactorApi; describeError: (error: unknown) => ShownError } | null>(null);

function useTwoFactorContext() {
  const context = useContext(TwoFactorContext);
  if (!context) throw new Error('outside TwoFactorSettings');
  return context;
}

/** What a user with two-factor on can do: new recovery codes, or turn it all off. */
function EnabledActions({ onRegenerated, onDisabled }: { onRegenerated: (codes: string[]) => void; onDisabled: () => Promise<void> }) {
  const { api } = useTwoFactorContext();
  return (
    <>
      <ReauthForm
        heading="Recovery codes"
        explanation="New codes replace all the old ones at once."
        action="Make new recovery codes"
        onSubmit={async (password) => onRegenerated(await api.regenerateRecoveryCodes(password))}
      />
      <ReauthForm
        heading="Turn off two-step login"
        explanation="Your password alone will log you in. The authenticator app, passkeys and recovery codes stop working."
        action="Turn off two-step login"
        danger
        onSubmit={async (password) => {
          await api.disableTwoFactor(password);
          await onDisabled();
        }}
      />
    </>
  );
}

/** Passkeys and security keys: add (the browser's own prompt), list, remove. */
function Passkeys({ help, onFirstFactor, onChanged }: { help: string; onFirstFactor: (codes: string[]) => void; onChanged: () => Promise<void> }) {
  const { api } = useTwoFactorContext();
  const [passkeys, setPasskeys] = useState<PasskeyRow[]>([]);
  const [name, setName] = useState('');
  const [removeId, setRemoveId] = useState('');

  const load = useCallback(async () => {
    const list = await api.listPasskeys();
    setPasskeys(list);
    setRemoveId((current) => (list.some((p) => String(p.id) === current) ? current : String(list[0]?.id ?? '')));
  }, [api]);

  useEffect(() => {
    void load().catch(() => {}); // a 401 is handled globally; the list simply stays empty otherwise
  }, [load]);

  return (
    <section className="card" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys and security keys</h2>
      <p className="help">{help}</p>
      {passkeys.length > 0 && (
        <ul data-testid="passkey-list">
          {passkeys.map((p) => (
            <li key={p.id} data-testid="passkey-row">
              <strong>{p.name}</strong>, added <time dateTime={p.createdAt}>{formatTime(p.createdAt)}</time>
              {p.lastUsedAt && (
                <>
                  , last used <time dateTime={p.lastUsedAt}>{formatTime(p.lastUsedAt)}</time>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <ReauthForm
        heading="Add a passkey"
        explanation="Your browser will ask you to use your device's screen lock or to touch your security key."
        action="Add passkey"
        onSubmit={async (password) => {
          const options = await api.startPasskeyRegistration(password);
          const codes = await api.finishPasskeyRegistration(name.trim() || 'Passkey', await startRegistration({ optionsJSON: options }));
          setName('');
          await load();
          if (codes) onFirstFactor(codes);
          else await onChanged();
        }}
      >
        <div className="field">
          <label htmlFor="passkey-name">Name</label>
          <input id="passkey-name" type="text" maxLength={64} placeholder="e.g. My laptop" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
      </ReauthForm>
      {passkeys.length > 0 && (
        <ReauthForm
          heading="Remove a passkey"
          explanation="It stops working at once."
          action="Remove passkey"
          danger
          onSubmit={async (password) => {
            await api.removePasskey(Number(removeId), password);
            await load();
            await onChanged();
          }}
        >
          <div className="field">
            <label htmlFor="passkey-remove">Passkey</label>
            <select id="passkey-remove" value={removeId} onChange={(e) => setRemoveId(e.target.value)}>
              {passkeys.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        </ReauthForm>
      )}
    </section>
  );
}

/** One request at a time for a form: busy while it runs, and its error shown afterwards. */
function useFormAction() {
  const { describeError } = useTwoFactorContext();
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
  return { error, busy, run };
}

/** Scan the QR code (or type the key), then prove it with the first code. */
function TotpSetup({ onEnabled }: { onEnabled: (recoveryCodes: string[]) => void }) {
  const { api } = useTwoFactorContext();
  const [password, setPassword] = useState('');
  const [enrolment, setEnrolment] = useState<{ secret: string; qrCode: string } | null>(null);
  const [code, setCode] = useState('');
  const { error, busy, run } = useFormAction();

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
        Turn on two-step login
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

/** A change that needs the current password in the same request; inside TwoFactorSettings (its children included). */
export function ReauthForm({ heading, explanation, action, danger, children, onSubmit }: ReauthFormProps) {
  const [password, setPassword] = useState('');
  const { error, busy, run } = useFormAction();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      await onSubmit(password);
      setPassword('');
    });
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

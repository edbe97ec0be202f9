import { useId, useState } from 'react';
import { api, type MailSettings, type MailSettingsInput, type SmtpSecurity } from '../api.js';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { useFormAction } from '../useFormAction.js';
import { useLoaded } from './useLoaded.js';

/** The outgoing mail server for security mails, and a test mail to prove it works. */
export function MailSettingsSection() {
  const { value: saved, setValue: setSaved, error: loadError } = useLoaded(api.getMailSettings);
  return (
    <section className="card" aria-labelledby="mail-heading">
      <h2 id="mail-heading">Security mail</h2>
      <p className="help">
        The recorder mails each user about new logins, password changes, two-step login changes and admin lockouts, at the
        notification address they set on their home page. No mail ever contains a password, code or login link.
      </p>
      <ErrorAlert error={loadError} />
      {saved === null ? <p aria-busy="true">Loading…</p> : <MailSettingsForm key={JSON.stringify(saved)} saved={saved} onSaved={setSaved} />}
      {saved !== null && saved.host !== '' && <TestMailForm />}
    </section>
  );
}

function MailSettingsForm({ saved, onSaved }: { saved: MailSettings; onSaved: (settings: MailSettings) => void }) {
  const id = useId();
  const [form, setForm] = useState<MailSettingsInput>({
    enabled: saved.enabled,
    host: saved.host,
    port: saved.port,
    security: saved.security,
    username: saved.username,
    from: saved.from,
  });
  const [password, setPassword] = useState('');
  const set = <K extends keyof MailSettingsInput>(key: K, value: MailSettingsInput[K]) => setForm((f) => ({ ...f, [key]: value }));
  // An empty password field keeps the stored password.
  const { submit, error, busy } = useFormAction(async () => onSaved(await api.saveMailSettings(password === '' ? form : { ...form, password })));

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Mail server">
      <label className="checkbox">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        Send security mails
      </label>
      <div className="field">
        <label htmlFor={`${id}-host`}>SMTP server</label>
        <input id={`${id}-host`} type="text" required value={form.host} onChange={(e) => set('host', e.target.value.trim())} placeholder="smtp.example.net" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-port`}>Port</label>
        <input id={`${id}-port`} type="number" required min={1} max={65535} value={form.port} onChange={(e) => set('port', Number(e.target.value))} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-security`}>Connection security</label>
        <select id={`${id}-security`} value={form.security} onChange={(e) => set('security', e.target.value as SmtpSecurity)}>
          <option value="starttls">STARTTLS (usually port 587)</option>
          <option value="tls">TLS (usually port 465)</option>
          <option value="none">None (only for a server on this network)</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-username`}>SMTP username</label>
        <input id={`${id}-username`} type="text" autoComplete="off" value={form.username} onChange={(e) => set('username', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>SMTP password</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="new-password"
          value={password}
          placeholder={saved.passwordSet ? 'Stored: leave empty to keep it' : 'None stored'}
          onChange={(e) => setPassword(e.target.value)}
        />
        <span className="help">Never shown again once saved. Changing the server or username drops the stored one.</span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-from`}>Sender address</label>
        <input id={`${id}-from`} type="email" required value={form.from} onChange={(e) => set('from', e.target.value.trim())} placeholder="recorder@example.net" />
      </div>
      <ErrorAlert error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save mail settings'}
      </button>
    </form>
  );
}

function TestMailForm() {
  const id = useId();
  const [to, setTo] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { submit, error, busy } = useFormAction(async () => {
    setSentTo(null);
    await api.sendTestMail(to);
    setSentTo(to);
  });

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Test mail">
      <div className="field">
        <label htmlFor={`${id}-to`}>Send a test mail to</label>
        <input id={`${id}-to`} type="email" required value={to} onChange={(e) => setTo(e.target.value.trim())} />
      </div>
      {sentTo && <Notice>The mail server accepted a test mail to {sentTo}. Check that it arrived.</Notice>}
      <ErrorAlert error={error} />
      <button type="submit" disabled={busy || to === ''}>
        {busy ? 'Sending…' : 'Send test mail'}
      </button>
    </form>
  );
}

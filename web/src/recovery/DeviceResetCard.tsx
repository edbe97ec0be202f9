import { useId, useState } from 'react';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { PasswordField } from '../../shared/PasswordField.js';
import { useFormAction } from '../useFormAction.js';
import { FACTORY_RESET_PHRASE, RESTORE_DEFAULTS_PHRASE } from '../../../src/recorder/recovery/reset-phrases.js';
import { factoryReset, restoreDefaults } from './reset-button-api.js';

/** Restore defaults and factory reset: the admin types the phrase and the password (the danger zone). */
export function DeviceResetCard() {
  const id = useId();
  return (
    <section className="card danger-zone" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Restore defaults or factory reset</h2>
      <ConfirmedReset
        title="Restore defaults"
        explanation="Resets security mail, the password-age reminder, the two-step login requirement, the recovery settings and lockouts. Accounts, sessions, the login allow-list, footage and the audit log stay."
        phrase={RESTORE_DEFAULTS_PHRASE}
        action={restoreDefaults}
        done="The configuration is back to its defaults."
      />
      <ConfirmedReset
        title="Factory reset"
        explanation="Erases all accounts, configuration, recovery secrets, the audit log and all footage. The recorder becomes inactive: it is set up again with the label code on its sticker. Holding the reset button down does the same."
        phrase={FACTORY_RESET_PHRASE}
        action={factoryReset}
        // Nobody is logged in any more and the recorder waits for activation: start the UI afresh.
        onDone={() => window.location.assign('/')}
      />
    </section>
  );
}

function ConfirmedReset(props: {
  title: string;
  explanation: string;
  phrase: string;
  action: (confirm: string, currentPassword: string) => Promise<unknown>;
  done?: string;
  onDone?: () => void;
}) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const [password, setPassword] = useState('');
  const [finished, setFinished] = useState(false);
  const { submit, error, busy } = useFormAction(async () => {
    setFinished(false);
    await props.action(typed, password);
    setTyped('');
    setPassword('');
    setFinished(true);
    props.onDone?.();
  });
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={props.title}>
      <h3>{props.title}</h3>
      <p className="help">{props.explanation}</p>
      <div className="field">
        <label htmlFor={`${id}-phrase`}>
          Type <strong>{props.phrase}</strong> to confirm
        </label>
        <input
          id={`${id}-phrase`}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </div>
      <PasswordField label="Your password" name="currentPassword" autoComplete="current-password" value={password} onChange={setPassword} />
      <ErrorAlert error={error} />
      {finished && props.done && <Notice>{props.done}</Notice>}
      <button type="submit" className="danger" disabled={busy || typed.trim() !== props.phrase || password === ''}>
        {busy ? 'Working…' : props.title}
      </button>
    </form>
  );
}

import { useCallback } from 'react';
import type { Me } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { Page } from '../../shared/Page.js';
import { useLoaded } from '../security/useLoaded.js';
import { useFormAction } from '../useFormAction.js';
import { recoveryApi } from './recoveryApi.js';
import { RECOVERY_SETTINGS_CARDS } from './settings-cards.js';

const METHOD_NAMES: Record<string, string> = {
  email: 'reserved email',
  phone: 'reserved phone',
  securityQuestions: 'security questions',
  recoveryKey: 'recovery key file',
  vendorSupport: 'vendor support',
  cloud: 'cloud account',
};

/** Admins: the paths back in if the admin password is ever lost, each set up on its own card. */
export function RecoverySettingsPage({ me }: { me: Me }) {
  return (
    <Page title="Recovery">
      <p className="help">If you ever forget your password, these are the ways back in. Set up at least one strong one (the recovery key file).</p>
      <ReadinessSection />
      <WeakPathsSection />
      {RECOVERY_SETTINGS_CARDS.map(({ id, Card }) => (
        <Card key={id} me={me} />
      ))}
    </Page>
  );
}

/** The readiness check, also shown on the Security page. */
export function ReadinessSection() {
  const { value: readiness, error } = useLoaded(recoveryApi.readiness);
  if (!readiness) return error ? <ErrorAlert error={error} /> : <p aria-busy="true">Loading…</p>;
  const names = readiness.configured.map((m) => METHOD_NAMES[m] ?? m).join(', ');
  return (
    <section className="card" aria-labelledby="readiness-heading" data-readiness={readiness.level}>
      <h2 id="readiness-heading">Recovery readiness</h2>
      <p className="help">
        <a href="#/recovery">Set up recovery</a>
      </p>
      {readiness.level === 'ready' && (
        <p>
          Ready: {readiness.configured.length} recovery {readiness.configured.length === 1 ? 'path is' : 'paths are'} set up ({names}).
        </p>
      )}
      {readiness.level === 'weak_only' && (
        <p className="alert alert-error" role="status">
          Only weak paths are set up ({names}). A mailbox, a phone or the answers to questions can fall into other hands. Also download a recovery key
          file and keep it offline.
        </p>
      )}
      {readiness.level === 'none' && (
        <p className="alert alert-error" role="status">
          No recovery path is set up. If the admin password is lost, only the reset button with the label code, or a factory reset, gets you back in.
        </p>
      )}
    </section>
  );
}

function WeakPathsSection() {
  const { value, setValue, error } = useLoaded(useCallback(() => recoveryApi.settings(), []));
  const save = useFormAction(async () => {
    // Only this setting: the card for the questions saves its own, and must not be undone by this one.
    if (value) setValue(await recoveryApi.saveSettings({ weakPathsLanOnly: !value.weakPathsLanOnly }));
  });
  return (
    <section className="card" aria-labelledby="weak-paths-heading">
      <h2 id="weak-paths-heading">Weak paths from the internet</h2>
      <ErrorAlert error={error ?? save.error} />
      {value && (
        <>
          <p>
            The reserved email, phone and security questions work{' '}
            <strong>{value.weakPathsLanOnly ? 'only from the local network' : 'from anywhere'}</strong>.
          </p>
          <button type="button" disabled={save.busy} onClick={() => void save.submit()}>
            {value.weakPathsLanOnly ? 'Allow them from anywhere' : 'Only from the local network'}
          </button>
        </>
      )}
    </section>
  );
}

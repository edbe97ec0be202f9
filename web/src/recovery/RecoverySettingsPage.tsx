import { useCallback, useState } from 'react';
import type { Me } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { Page } from '../../shared/Page.js';
import { useLoaded } from '../security/useLoaded.js';
import { useFormAction } from '../useFormAction.js';
import type { ShownError } from '../errors.js';
import { recoveryApi, type RecoveryReadiness } from './recoveryApi.js';
import { RECOVERY_SETTINGS_CARDS, type RecoverySettingsCard } from './settings-cards.js';

const METHOD_NAMES: Record<string, string> = {
  email: 'reserved email',
  phone: 'reserved phone',
  securityQuestions: 'security questions',
  recoveryKey: 'recovery key file',
  vendorSupport: 'vendor support',
  cloud: 'cloud account',
};

/**
 * Admins: the paths back in if the admin password is ever lost. The readiness check on top, then
 * one collapsed section per path showing its state, opened to set it up; the readiness and the
 * states follow what a section changes, without a reload.
 */
export function RecoverySettingsPage({ me }: { me: Me }) {
  const readiness = useLoaded(recoveryApi.readiness);
  const { reload } = readiness;
  const onChanged = useCallback(() => void reload(), [reload]);
  return (
    <Page title="Recovery">
      <p className="help">If you ever forget your password, these are the ways back in. Set up at least one strong one (the recovery key file).</p>
      <ReadinessCard readiness={readiness.value} error={readiness.error} onRecoveryPage />
      <WeakPathsSection />
      {readiness.value && (
        <div className="recovery-paths">
          {RECOVERY_SETTINGS_CARDS.map((card) => (
            <PathSection key={card.id} card={card} configured={readiness.value!.configured} me={me} onChanged={onChanged} />
          ))}
        </div>
      )}
    </Page>
  );
}

/**
 * One path, collapsed to its name and state. The recovery key file starts open while it is not set
 * up: it is the strong path, the one to set up if only one is. Opened or closed, it stays as the
 * person left it when the states change.
 */
function PathSection({ card, configured, me, onChanged }: { card: RecoverySettingsCard; configured: readonly string[]; me: Me; onChanged: () => void }) {
  const [open, setOpen] = useState(() => card.id === 'recovery-key' && !configured.includes('recoveryKey'));
  const { Card } = card;
  const state = card.state?.(configured);
  return (
    <details className="recovery-path" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-path={card.id}>
      <summary>
        <span className="recovery-path-title">{card.title}</span>
        {state !== undefined && (
          <span className="recovery-path-state" data-testid="recovery-path-state" data-set={!state.startsWith('No')}>
            {state}
          </span>
        )}
      </summary>
      <Card me={me} onChanged={onChanged} />
    </details>
  );
}

/** The readiness check, on the Security page: loaded on its own. */
export function ReadinessSection() {
  const { value, error } = useLoaded(recoveryApi.readiness);
  return <ReadinessCard readiness={value} error={error} />;
}

/** `onRecoveryPage`: no link to the page it is on. */
function ReadinessCard({ readiness, error, onRecoveryPage = false }: { readiness: RecoveryReadiness | null; error: ShownError | null; onRecoveryPage?: boolean }) {
  if (!readiness) return error ? <ErrorAlert error={error} /> : <p aria-busy="true">Loading…</p>;
  const names = readiness.configured.map((m) => METHOD_NAMES[m] ?? m).join(', ');
  return (
    <section className="card" aria-labelledby="readiness-heading" data-readiness={readiness.level}>
      <h2 id="readiness-heading">Recovery readiness</h2>
      {!onRecoveryPage && (
        <p className="help">
          <a href="#/recovery">Set up recovery</a>
        </p>
      )}
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

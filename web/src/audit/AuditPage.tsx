import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { AUDIT_OUTCOMES, type AuditPage as AuditEntries, type AuditVerification } from '../../../src/recorder/api/audit.js';
import { describeDetails, describeEvent, describeOutcome, describeTarget } from '../../shared/audit-events.js';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { describeError, type ShownError } from '../errors.js';
import { formatTime } from '../../shared/format-time.js';
import { Page } from '../../shared/Page.js';
import { useLoaded } from '../security/useLoaded.js';
import { auditApi, type AuditFilters } from './audit-api.js';

/** The audit log for an admin: whether its chain verifies, the entries newest first with filters, a page at a time, and CSV. */
export function AuditPage() {
  const [filters, setFilters] = useState<AuditFilters>({});
  /** Where each page shown so far started (undefined: the newest), so "Newer" can go back. */
  const [starts, setStarts] = useState<(number | undefined)[]>([undefined]);
  const [page, setPage] = useState<AuditEntries | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const before = starts[starts.length - 1];

  const load = useCallback(async () => {
    try {
      setPage(await auditApi.page(filters, before));
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  }, [filters, before]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Page title="Audit log">
      <ChainStatus />
      <FilterForm
        onApply={(next) => {
          setFilters(next);
          setStarts([undefined]);
        }}
      />
      <p className="audit-actions">
        <a className="button" href={auditApi.exportHref(filters)} download>
          Export CSV
        </a>
        <span className="help">Every entry that matches the filters, oldest first.</span>
      </p>
      <ErrorAlert error={error} />
      {page === null ? (
        !error && <p aria-busy="true">Loading…</p>
      ) : page.entries.length === 0 ? (
        <p className="muted">No entries match.</p>
      ) : (
        <div className="table-wrap">
          <table className="sessions stacked audit">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Outcome</th>
                <th scope="col">User</th>
                <th scope="col">From</th>
                <th scope="col">About</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((entry) => (
                <tr key={entry.seq} data-testid="audit-row" data-type={entry.type} data-outcome={entry.outcome}>
                  <td>
                    <time dateTime={entry.at}>{formatTime(entry.at)}</time>
                  </td>
                  <td>
                    <strong data-testid="audit-event">{describeEvent(entry.type)}</strong>
                  </td>
                  <td data-label="Outcome">{describeOutcome(entry.outcome)}</td>
                  <td data-label="User">{entry.actor?.username ?? '—'}</td>
                  <td data-label="From">{entry.sourceIp ?? '—'}</td>
                  <td data-label="About" className="audit-about">
                    {[entry.target && describeTarget(entry.target), describeDetails(entry.details)].filter(Boolean).join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="buttons pager">
        <button type="button" disabled={starts.length === 1} onClick={() => setStarts(starts.slice(0, -1))}>
          Newer
        </button>
        <button type="button" disabled={!page?.nextBefore} onClick={() => page?.nextBefore && setStarts([...starts, page.nextBefore])}>
          Older
        </button>
      </div>
    </Page>
  );
}

/** The chain checked end to end on arrival: an edited, removed or reordered entry shows here. */
function ChainStatus() {
  const { value: check, error } = useLoaded(auditApi.verify);
  if (error) return <ErrorAlert error={error} />;
  if (!check) return <p aria-busy="true">Checking the audit log…</p>;
  return check.verified ? (
    <Notice>
      <span data-testid="audit-chain">
        The audit log is intact: all {check.checked.toLocaleString('en')} entries are as they were written, in order.
      </span>
    </Notice>
  ) : (
    <div className="alert alert-error" role="alert" data-testid="audit-chain">
      <p className="alert-message">The audit log was changed behind the recorder's back.</p>
      <p>{describeProblems(check)}</p>
    </div>
  );
}

function describeProblems(check: AuditVerification): string {
  const seqs = [...new Set(check.problems.map((p) => p.seq))].slice(0, 5);
  return `The chain breaks at entr${seqs.length === 1 ? 'y' : 'ies'} ${seqs.join(', ')}: an entry there was edited, removed or moved. Keep a copy of the data directory as it is.`;
}

/** From and To are local times in the form; the API takes them as UTC. */
const toIso = (local: string) => (local === '' ? undefined : new Date(local).toISOString());

function FilterForm({ onApply }: { onApply: (filters: AuditFilters) => void }) {
  const id = useId();
  // From the recorder: the web typecheck keeps Node-only modules (the audit chain) out of the browser's code.
  const eventTypes = useLoaded(auditApi.eventTypes).value ?? [];
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [type, setType] = useState('');
  const [user, setUser] = useState('');
  const [outcome, setOutcome] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The selects offer only the API's own values (or "" for any): the casts name them, nothing more.
    onApply({
      from: toIso(from),
      to: toIso(to),
      type: type || undefined,
      user: user.trim() || undefined,
      outcome: (outcome || undefined) as AuditFilters['outcome'],
    });
  }

  return (
    <form className="audit-filters" aria-label="Filters" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-from`}>From</label>
        <input id={`${id}-from`} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>To</label>
        <input id={`${id}-to`} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-type`}>Event</label>
        <select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">Any</option>
          {eventTypes.map((t) => (
            <option key={t} value={t}>
              {describeEvent(t)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-user`}>User</label>
        <input id={`${id}-user`} type="text" autoCapitalize="off" spellCheck={false} value={user} onChange={(e) => setUser(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-outcome`}>Outcome</label>
        <select id={`${id}-outcome`} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          <option value="">Any</option>
          {AUDIT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {describeOutcome(o)}
            </option>
          ))}
        </select>
      </div>
      <div className="buttons">
        <button type="submit" className="primary">
          Apply
        </button>
      </div>
    </form>
  );
}

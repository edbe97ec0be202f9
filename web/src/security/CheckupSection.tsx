import { api } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { useLoaded } from './useLoaded.js';

export function CheckupSection() {
  const { value: findings, error, reload } = useLoaded(api.getCheckup);
  return (
    <section className="card" aria-labelledby="checkup-heading">
      <h2 id="checkup-heading">Security checkup</h2>
      <ErrorAlert error={error} />
      {findings === null ? (
        <p aria-busy="true">Checking…</p>
      ) : findings.length === 0 ? (
        <p data-testid="checkup-clear">Nothing found that weakens this recorder.</p>
      ) : (
        <ul className="findings" data-testid="checkup-findings">
          {findings.map((finding) => (
            <li key={finding.id} data-severity={finding.severity} data-finding={finding.id}>
              <span className="severity">{finding.severity}</span>
              <strong>{finding.title}</strong>
              <p className="help">{finding.advice}</p>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={() => void reload()}>
        Check again
      </button>
    </section>
  );
}

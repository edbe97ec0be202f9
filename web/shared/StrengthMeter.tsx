import type { StrengthLevel } from '../../src/identity/passwords/policy.js';
import type { VerdictState } from './usePasswordVerdict.js';

const LABELS: Record<StrengthLevel, string> = {
  risky: 'Risky',
  weak: 'Weak',
  medium: 'Medium',
  strong: 'Strong',
};

const FILL: Record<StrengthLevel, number> = { risky: 1, weak: 2, medium: 3, strong: 4 };

/** Strength as text + a bar, and why. */
export function StrengthMeter({ id, state }: { id: string; state: VerdictState }) {
  const { verdict, pending } = state;
  const level = verdict?.level;
  return (
    <div
      id={id}
      className="strength"
      data-testid="strength-meter"
      data-level={level ?? 'none'}
      data-pending={pending ? 'true' : 'false'}
      data-accepted={state.accepted ? 'true' : 'false'}
    >
      <div className="strength-bar" aria-hidden="true">
        {[1, 2, 3, 4].map((segment) => (
          <span key={segment} className={level && segment <= FILL[level] ? `filled level-${level}` : ''} />
        ))}
      </div>
      <p className="strength-text" aria-live="polite">
        Strength: <strong>{level ? LABELS[level] : '—'}</strong>
        {verdict && !pending && (verdict.accepted ? ' · can be used' : ' · not allowed')}
      </p>
      {verdict && verdict.reasons.length > 0 && (
        <ul className="reasons">
          {verdict.reasons.map((reason) => (
            <li key={reason.code}>{reason.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

import { useEffect, useState, type ReactNode } from 'react';
import type { ShownError } from './errors.js';

/** An error shown in plain words, with what to do about it. */
export function ErrorAlert({ error }: { error: ShownError | null }) {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-message">{error.message}</p>
      {error.reasons && (
        <ul className="reasons">
          {error.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
      {error.retryAfter !== undefined ? <RetryCountdown key={error.id} seconds={error.retryAfter} /> : error.hint && <p>{error.hint}</p>}
    </div>
  );
}

function RetryCountdown({ seconds }: { seconds: number }) {
  const [deadline] = useState(() => Date.now() + seconds * 1000);
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const timer = setInterval(() => setLeft(Math.max(0, Math.ceil((deadline - Date.now()) / 1000))), 1000);
    return () => clearInterval(timer);
  }, [deadline]);
  return <p>{left > 0 ? `Too many attempts, try again in ${left} s.` : 'You can try again now.'}</p>;
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-info" role="status">
      {children}
    </div>
  );
}

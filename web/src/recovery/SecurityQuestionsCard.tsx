import { useEffect, useId, useState } from 'react';
import { QUESTION_COUNT } from '../../../src/recorder/api/security-questions.js';
import { PRESET_QUESTIONS } from '../../../src/recorder/recovery/security-questions-policy.js';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { describeError, type ShownError } from '../errors.js';
import { PasswordField } from '../../shared/PasswordField.js';
import { useFormAction } from '../useFormAction.js';
import {
  getMySecurityQuestions,
  getQuestionBlockMinutes,
  setMySecurityQuestions,
  setQuestionBlockMinutes,
  type SecurityQuestionsStatus,
} from './questions-and-key-api.js';
import type { RecoveryCardProps } from './recovery-card-props.js';

/** The select's value for "write my own question". */
const CUSTOM = 'custom';

interface Entry {
  /** An index into PRESET_QUESTIONS, or CUSTOM. */
  choice: string;
  custom: string;
  answer: string;
}

const freshEntries = (): Entry[] => Array.from({ length: QUESTION_COUNT }, (_, i) => ({ choice: String(i), custom: '', answer: '' }));

const questionOf = (entry: Entry) => (entry.choice === CUSTOM ? entry.custom : PRESET_QUESTIONS[Number(entry.choice)]!);

/** Three security questions for my admin account: a weak way back in, from the local network only by default. */
export function SecurityQuestionsCard({ onChanged }: RecoveryCardProps) {
  const id = useId();
  const [status, setStatus] = useState<SecurityQuestionsStatus | null>(null);
  const [loadError, setLoadError] = useState<ShownError | null>(null);
  const [entries, setEntries] = useState<Entry[]>(freshEntries);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);

  useEffect(() => {
    getMySecurityQuestions().then(setStatus, (err: unknown) => setLoadError(describeError(err)));
  }, []);

  const { submit, error, busy } = useFormAction(async () => {
    setDone(false);
    setStatus(await setMySecurityQuestions(password, entries.map((e) => ({ question: questionOf(e), answer: e.answer }))));
    setEntries(freshEntries());
    setPassword('');
    setDone(true);
    onChanged();
  });

  const update = (index: number, change: Partial<Entry>) => setEntries((all) => all.map((e, i) => (i === index ? { ...e, ...change } : e)));

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Security questions</h2>
      <p className="help">
        If you forget your password, answering all three lets you choose a new one, from your local network only (unless
        you change that above). Pick answers that people around you and the internet cannot find out. Capitals, spaces and
        accents typed differently do not matter. If you use two-step login, you will also need your authenticator app or a
        recovery code.
      </p>
      <ErrorAlert error={loadError} />
      {status?.set && (
        <>
          <p>Your questions:</p>
          <ol data-testid="my-security-questions">
            {status.questions.map((q) => (
              <li key={q}>{q}</li>
            ))}
          </ol>
        </>
      )}
      <form onSubmit={(e) => void submit(e)} aria-label="Security questions">
        {entries.map((entry, index) => (
          <fieldset key={index}>
            <legend>Question {index + 1}</legend>
            <div className="field">
              <label htmlFor={`${id}-q${index}`}>Question</label>
              <select id={`${id}-q${index}`} value={entry.choice} onChange={(e) => update(index, { choice: e.target.value })}>
                {PRESET_QUESTIONS.map((q, i) => (
                  <option key={q} value={String(i)}>
                    {q}
                  </option>
                ))}
                <option value={CUSTOM}>Write my own question…</option>
              </select>
            </div>
            {entry.choice === CUSTOM && (
              <div className="field">
                <label htmlFor={`${id}-custom${index}`}>Your question</label>
                <input id={`${id}-custom${index}`} type="text" required maxLength={200} value={entry.custom} onChange={(e) => update(index, { custom: e.target.value })} />
              </div>
            )}
            <div className="field">
              <label htmlFor={`${id}-a${index}`}>Answer {index + 1}</label>
              <input
                id={`${id}-a${index}`}
                type="text"
                autoComplete="off"
                spellCheck={false}
                required
                value={entry.answer}
                onChange={(e) => update(index, { answer: e.target.value })}
              />
            </div>
          </fieldset>
        ))}
        <PasswordField label="Current password" name="currentPassword" autoComplete="current-password" value={password} onChange={setPassword} />
        {done && <Notice>Your security questions are saved. The answers are stored only as hashes and are never shown again.</Notice>}
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy || status === null || password === ''}>
          {busy ? 'Saving…' : status?.set ? 'Replace my questions' : 'Save my questions'}
        </button>
      </form>
      <BlockTimeForm />
    </section>
  );
}

/** How long 5 wrong tries block the questions, for every admin of this recorder. */
function BlockTimeForm() {
  const id = useId();
  const [minutes, setMinutes] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<ShownError | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    getQuestionBlockMinutes().then((m) => setMinutes(String(m)), (err: unknown) => setLoadError(describeError(err)));
  }, []);

  const { submit, error, busy } = useFormAction(async () => {
    setDone(false);
    setMinutes(String(await setQuestionBlockMinutes(Number(minutes))));
    setDone(true);
  });

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Block time after wrong answers">
      <ErrorAlert error={loadError} />
      <div className="field">
        <label htmlFor={`${id}-minutes`}>After 5 wrong tries, block the questions for (minutes)</label>
        <input
          id={`${id}-minutes`}
          type="number"
          min={1}
          max={1440}
          required
          value={minutes ?? ''}
          onChange={(e) => {
            setDone(false);
            setMinutes(e.target.value);
          }}
        />
      </div>
      {done && <Notice>Saved.</Notice>}
      <ErrorAlert error={error} />
      <button type="submit" disabled={busy || minutes === null}>
        Save block time
      </button>
    </form>
  );
}

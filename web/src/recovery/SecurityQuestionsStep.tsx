import { useEffect, useId, useState } from 'react';
import { ApiError } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { describeError, type ShownError } from '../errors.js';
import { useFormAction } from '../useFormAction.js';
import { answerSecurityQuestions, securityQuestionsFor } from './questions-and-key-api.js';
import { NO_SECOND_FACTOR, secondFactorCode, SecondFactorCodeField } from './SecondFactorCodeField.js';
import type { RecoveryStepProps } from './types.js';

/** The wizard's security-question step: three answers, and the second factor if the account has one. */
export function SecurityQuestionsStep({ username, onGrant }: RecoveryStepProps) {
  const id = useId();
  const [questions, setQuestions] = useState<string[] | null>(null);
  const [loadError, setLoadError] = useState<ShownError | null>(null);
  const [answers, setAnswers] = useState<string[]>([]);
  // Shown after a refusal, for an account with two-step login; the answers stay as typed.
  const [askSecondFactor, setAskSecondFactor] = useState(false);
  const [secondFactor, setSecondFactor] = useState(NO_SECOND_FACTOR);

  useEffect(() => {
    securityQuestionsFor(username).then(
      (asked) => {
        setQuestions(asked);
        setAnswers(asked.map(() => ''));
      },
      (err: unknown) => setLoadError(describeError(err)),
    );
  }, [username]);

  const { submit, error, busy } = useFormAction(async () => {
    try {
      onGrant(await answerSecurityQuestions(username, answers, askSecondFactor ? secondFactorCode(secondFactor) : {}));
    } catch (err) {
      // The recorder answers the same whether the answers or the second factor were wrong (or it
      // was missing), so after any refusal the code can be added.
      if (err instanceof ApiError && err.code === 'invalid_answers') {
        setAskSecondFactor(true);
        setSecondFactor((s) => ({ ...s, code: '' }));
      }
      throw err;
    }
  });

  if (loadError) return <ErrorAlert error={loadError} />;
  if (!questions) return <p>Loading the questions…</p>;
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Answer your security questions">
      <p className="help">Capitals, spaces and accents typed differently do not matter. All three answers must be right.</p>
      {questions.map((question, index) => (
        <div className="field" key={question}>
          <label htmlFor={`${id}-a${index}`}>{question}</label>
          <input
            id={`${id}-a${index}`}
            type="text"
            autoComplete="off"
            spellCheck={false}
            required
            autoFocus={index === 0}
            value={answers[index] ?? ''}
            onChange={(e) => setAnswers((all) => all.map((a, i) => (i === index ? e.target.value : a)))}
          />
        </div>
      ))}
      {askSecondFactor && <SecondFactorCodeField value={secondFactor} onChange={setSecondFactor} optional />}
      <ErrorAlert error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Checking…' : 'Continue'}
      </button>
    </form>
  );
}

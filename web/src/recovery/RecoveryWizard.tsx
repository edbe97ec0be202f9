import { useId, useState, type FormEvent } from 'react';
import { api, type Device } from '../api.js';
import { useLoaded } from '../security/useLoaded.js';
import { Notice } from '../../shared/ErrorAlert.js';
import { Page } from '../../shared/Page.js';
import { RECOVERY_OFFER_ORDER, type RecoveryMethod } from '../../../src/recorder/api/recovery-methods.js';
import { LOST_ACCOUNTS, offeredLostAccounts, type LostAccount, type LostAccountOption } from '../../../src/recorder/api/lost-accounts.js';
import { NewPasswordStep } from './NewPasswordStep.js';
import { RECOVERY_STEPS } from './steps.js';
import type { ResetGrant } from './types.js';

type Step =
  | { kind: 'account' }
  | { kind: 'elsewhere'; account: LostAccount }
  | { kind: 'method' }
  | { kind: 'evidence'; method: RecoveryMethod }
  | { kind: 'password'; grant: ResetGrant }
  | { kind: 'done'; username: string; twoFactorCleared: boolean };

/** The paths this recorder has set up and this browser knows how to walk, strongest evidence first. */
export function offeredMethods(device: Device): RecoveryMethod[] {
  return RECOVERY_OFFER_ORDER.filter((m) => device.recoveryMethods[m] === true && RECOVERY_STEPS[m] !== undefined);
}

/**
 * "Forgot password?": which account was lost, then (for the recorder admin) one of the paths this
 * device has, then a new password. It never logs anyone in: it ends on the login page.
 */
export function RecoveryWizard({ device, onFinished, onCancel }: { device: Device; onFinished: (username: string) => void; onCancel: () => void }) {
  const [step, setStep] = useState<Step>({ kind: 'account' });
  // Read again on arrival: a path set up (or used up) since the page loaded changes what is offered.
  const current = useLoaded(api.getDevice).value ?? device;
  const [username, setUsername] = useState('admin');
  const restart = () => setStep({ kind: 'account' });

  return (
    <Page title="Forgot your password?">
      {step.kind === 'account' && (
        <OneChoice
          legend="Which password did you lose?"
          // The recorder does not pair with a Vigil Console yet (DESIGN §7, "next"), so that choice is not offered.
          options={offeredLostAccounts({ cloudBound: current.recoveryMethods.cloud, consolePaired: false })}
          onAnswer={(account) => setStep(account === 'admin' ? { kind: 'method' } : { kind: 'elsewhere', account })}
        />
      )}
      {step.kind === 'elsewhere' && <ElsewhereAdvice option={LOST_ACCOUNTS.find((a) => a.id === step.account)!} onBack={restart} />}
      {step.kind === 'method' && (
        <MethodChoice
          methods={offeredMethods(current)}
          username={username}
          onUsernameChange={setUsername}
          onChoose={(method) => setStep({ kind: 'evidence', method })}
        />
      )}
      {step.kind === 'evidence' && <EvidenceStep method={step.method} username={username.trim()} onGrant={(grant) => setStep({ kind: 'password', grant })} />}
      {step.kind === 'password' && (
        <NewPasswordStep
          device={device}
          grant={step.grant}
          onDone={(twoFactorCleared) => setStep({ kind: 'done', username: step.grant.username, twoFactorCleared })}
        />
      )}
      {step.kind === 'done' && (
        <>
          <Notice>
            The password of <strong>{step.username}</strong> was changed and every session of the account was logged out.
            {step.twoFactorCleared && ' Two-step login was turned off: turn it on again once you are in.'}
          </Notice>
          <button type="button" className="primary" onClick={() => onFinished(step.username)}>
            Log in with the new password
          </button>
        </>
      )}
      {step.kind !== 'done' && (
        <p>
          {step.kind !== 'account' && step.kind !== 'elsewhere' && (
            <button type="button" className="link" onClick={restart}>
              Start again
            </button>
          )}{' '}
          <button type="button" className="link" onClick={onCancel}>
            Back to login
          </button>
        </p>
      )}
    </Page>
  );
}

/** One question, its answers as radio buttons (the first chosen), and Continue. */
function OneChoice<Id extends string>({ legend, options, onAnswer }: { legend: string; options: readonly { id: Id; label: string }[]; onAnswer: (id: Id) => void }) {
  const [choice, setChoice] = useState<Id>(options[0]!.id);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onAnswer(choice);
  }
  return (
    <form onSubmit={submit}>
      <fieldset>
        <legend>{legend}</legend>
        {options.map((option) => (
          <label key={option.id} className="checkbox">
            <input type="radio" name="choice" value={option.id} checked={choice === option.id} onChange={() => setChoice(option.id)} />
            {option.label}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="primary">
        Continue
      </button>
    </form>
  );
}

function MethodChoice(props: { methods: RecoveryMethod[]; username: string; onUsernameChange: (name: string) => void; onChoose: (method: RecoveryMethod) => void }) {
  const id = useId();
  return (
    <>
      <div className="field">
        <label htmlFor={id}>Admin username</label>
        <input
          id={id}
          name="username"
          type="text"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          value={props.username}
          onChange={(e) => props.onUsernameChange(e.target.value)}
        />
      </div>
      {props.methods.length === 0 ? (
        <Notice>
          This recorder has no recovery path set up. Only a factory reset (hold the reset button on the recorder) gets you back in, and it erases the
          recordings.
        </Notice>
      ) : (
        <>
          <p>How do you want to prove this recorder is yours?</p>
          <ul className="choices">
            {props.methods.map((method) => {
              const step = RECOVERY_STEPS[method]!;
              return (
                <li key={method}>
                  <button type="button" data-method={method} disabled={props.username.trim() === ''} onClick={() => props.onChoose(method)}>
                    {step.title}
                  </button>
                  <span className="help">{step.needs}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </>
  );
}

function EvidenceStep({ method, username, onGrant }: { method: RecoveryMethod; username: string; onGrant: (grant: ResetGrant) => void }) {
  const step = RECOVERY_STEPS[method]!;
  return (
    <section aria-label={step.title}>
      <h2>{step.title}</h2>
      <step.Component username={username} onGrant={onGrant} />
    </section>
  );
}

/** Where an account other than the recorder admin is recovered: said at once, or after one more question. */
function ElsewhereAdvice({ option, onBack }: { option: LostAccountOption; onBack: () => void }) {
  const [answer, setAnswer] = useState<string | null>(null);
  const followUp = option.followUp;
  const advice = followUp ? followUp.answers.find((a) => a.id === answer)?.advice : option.advice;
  return (
    <>
      {followUp && advice === undefined && <OneChoice legend={followUp.question} options={followUp.answers} onAnswer={setAnswer} />}
      {advice !== undefined && <Notice>{advice}</Notice>}
      <button type="button" onClick={advice !== undefined && followUp ? () => setAnswer(null) : onBack}>
        Back
      </button>
    </>
  );
}

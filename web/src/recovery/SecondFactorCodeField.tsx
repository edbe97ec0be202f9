import { useId } from 'react';
import type { SecondFactorCode } from './questions-and-key-api.js';

export interface SecondFactorEntry {
  useRecoveryCode: boolean;
  code: string;
}

export const NO_SECOND_FACTOR: SecondFactorEntry = { useRecoveryCode: false, code: '' };

/** What the API takes: nothing while the field is empty, else the code in the form the server compares. */
export function secondFactorCode(entry: SecondFactorEntry): SecondFactorCode {
  if (entry.code.trim() === '') return {};
  return entry.useRecoveryCode ? { recoveryCode: entry.code.trim() } : { totp: entry.code.replace(/\s/g, '') };
}

/**
 * A code from the authenticator app, or (switchable) one of the saved recovery codes. `optional`
 * where the recorder will not say whether the account has two-step login.
 */
export function SecondFactorCodeField({
  value,
  onChange,
  optional = false,
}: {
  value: SecondFactorEntry;
  onChange: (value: SecondFactorEntry) => void;
  optional?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{value.useRecoveryCode ? 'Recovery code' : 'Authentication code'}</label>
      <input
        id={id}
        name={value.useRecoveryCode ? 'recoveryCode' : 'totp'}
        type="text"
        inputMode={value.useRecoveryCode ? 'text' : 'numeric'}
        autoComplete="one-time-code"
        autoCapitalize="off"
        spellCheck={false}
        required={!optional}
        value={value.code}
        onChange={(e) => onChange({ ...value, code: e.target.value })}
      />
      <p className="help">
        {optional && 'Only if this account has two-step login. '}
        {value.useRecoveryCode
          ? 'One of the recovery codes you saved when you set up two-step login. Each works once.'
          : 'The 6-digit code your authenticator app shows for Vigil.'}
      </p>
      <button type="button" onClick={() => onChange({ useRecoveryCode: !value.useRecoveryCode, code: '' })}>
        {value.useRecoveryCode ? 'Use the authenticator app instead' : 'Use a recovery code instead'}
      </button>
    </div>
  );
}

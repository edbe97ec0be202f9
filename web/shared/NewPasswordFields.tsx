import { useId } from 'react';
import { PasswordField } from './PasswordField.js';
import { StrengthMeter } from './StrengthMeter.js';
import type { VerdictState } from './usePasswordVerdict.js';

interface Props {
  label: string;
  password: string;
  confirm: string;
  onPasswordChange: (value: string) => void;
  onConfirmChange: (value: string) => void;
  strength: VerdictState;
}

/** New password with live strength meter, plus a confirmation field that must match. */
export function NewPasswordFields({ label, password, confirm, onPasswordChange, onConfirmChange, strength }: Props) {
  const meterId = useId();
  const mismatchId = useId();
  const mismatch = confirm !== '' && confirm !== password;
  return (
    <>
      <PasswordField
        label={label}
        name="newPassword"
        autoComplete="new-password"
        value={password}
        onChange={onPasswordChange}
        describedBy={meterId}
        invalid={strength.verdict !== null && !strength.pending && !strength.accepted}
      />
      <StrengthMeter id={meterId} state={strength} />
      <PasswordField
        label="Confirm password"
        name="confirmPassword"
        autoComplete="new-password"
        value={confirm}
        onChange={onConfirmChange}
        describedBy={mismatch ? mismatchId : undefined}
        invalid={mismatch}
      />
      {mismatch && (
        <p id={mismatchId} className="field-error">
          The two passwords do not match.
        </p>
      )}
    </>
  );
}

export function passwordsReady(strength: VerdictState, password: string, confirm: string): boolean {
  return strength.accepted && password === confirm;
}

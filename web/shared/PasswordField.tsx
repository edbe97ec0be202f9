import { useId, useState, type ChangeEvent } from 'react';

interface Props {
  label: string;
  name: string;
  autoComplete: 'current-password' | 'new-password';
  value: string;
  onChange: (value: string) => void;
  /** Id of an element describing the field (strength meter, mismatch message). */
  describedBy?: string;
  invalid?: boolean;
  autoFocus?: boolean;
}

/** A labelled password input with a show/hide toggle. Paste is allowed. */
export function PasswordField({ label, name, autoComplete, value, onChange, describedBy, invalid, autoFocus }: Props) {
  const id = useId();
  const [visible, setVisible] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="password-input">
        <input
          id={id}
          name={name}
          type={visible ? 'text' : 'password'}
          autoComplete={autoComplete}
          autoCapitalize="off"
          spellCheck={false}
          required
          value={value}
          autoFocus={autoFocus}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
        />
        <button
          type="button"
          className="toggle"
          aria-pressed={visible}
          aria-controls={id}
          title={visible ? 'Hide the password' : 'Show the password'}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? 'Hide' : 'Show'}
        </button>
      </div>
    </div>
  );
}

import { useId } from 'react';

const FIELDS = {
  email: { label: 'Email address', type: 'email', inputMode: 'email' },
  phone: { label: 'Phone number', type: 'tel', inputMode: 'tel' },
  either: { label: 'Email address or phone number', type: 'text', inputMode: 'email' },
} as const;

interface Props {
  kind: keyof typeof FIELDS;
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
}

/** The account's address, an email address or a phone number: what a password manager files the password under. */
export function AddressField({ kind, value, onChange, autoFocus }: Props) {
  const id = useId();
  const field = FIELDS[kind];
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      <input
        id={id}
        name="username"
        type={field.type}
        inputMode={field.inputMode}
        autoComplete="username"
        autoCapitalize="off"
        spellCheck={false}
        required
        maxLength={254}
        autoFocus={autoFocus}
        placeholder={kind === 'phone' ? '+44 7700 900123' : undefined}
        aria-describedby={kind === 'email' ? undefined : `${id}-help`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {kind !== 'email' && (
        <p id={`${id}-help`} className="help">
          {kind === 'phone' ? 'With the country code, starting with +.' : 'A phone number with its country code, starting with +.'}
        </p>
      )}
    </div>
  );
}

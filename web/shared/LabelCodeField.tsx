import { useId } from 'react';

/** The label code from the device's sticker (activation, recovery with the reset button, binding to the cloud). */
export function LabelCodeField({ value, onChange, autoFocus }: { value: string; onChange: (value: string) => void; autoFocus?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Label code</label>
      <input
        id={id}
        name="labelCode"
        type="text"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        required
        autoFocus={autoFocus}
        placeholder="K7QM-3XPA-9TRW-2HDN"
        aria-describedby={`${id}-help`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-help`} className="help">
        On the sticker under the device. Dashes and spaces are optional.
      </p>
    </div>
  );
}

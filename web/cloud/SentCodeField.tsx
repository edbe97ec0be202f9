/** The 8-digit code a mail or a text brought; spaces and dashes as copied from it are taken out before it is sent. */
export function SentCodeField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <div className="field">
      <label htmlFor="sent-code">{label}</label>
      <input
        id="sent-code"
        name="code"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 \-]{8,10}"
        required
        autoFocus
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

/** The digits the cloud wants, from the code as typed or pasted. */
export const sentCode = (typed: string) => typed.replace(/[\s-]/g, '');

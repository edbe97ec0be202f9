/** The 8-digit code a mail brought; spaces and dashes as copied from it are taken out before it is sent. */
export function MailedCodeField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <div className="field">
      <label htmlFor="mailed-code">Code from the mail</label>
      <input
        id="mailed-code"
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
export const mailedCode = (typed: string) => typed.replace(/[\s-]/g, '');

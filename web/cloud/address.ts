// An account's address: an email address, or a phone number in international form (+ and digits).

export type Address = { email: string } | { phone: string };

/** A phone number as the cloud keeps it: people type spaces, dashes and brackets; the cloud wants "+" and digits. */
export const phoneOf = (typed: string) => typed.replace(/[\s()-]/g, '');

/** What a person typed in a field that takes either: a number starts with "+". */
export function addressOf(typed: string): Address {
  const text = typed.trim();
  return text.startsWith('+') ? { phone: phoneOf(text) } : { email: text };
}

/** The username the cloud's password policy counts against: the email's local part, or the number. */
export const policyUsername = (address: Address) => ('email' in address ? address.email.toLowerCase().split('@')[0] : address.phone);

export const addressText = (address: Address) => ('email' in address ? address.email : address.phone);

const DAY_MS = 24 * 3600 * 1000;

export interface PasswordAgeReminder {
  ageDays: number;
  maxDays: number;
}

/** Whole days since the password was set. */
export function passwordAgeDays(passwordChangedAt: number, now: number): number {
  return Math.max(0, Math.floor((now - passwordChangedAt) / DAY_MS));
}

/**
 * A reminder (never a forced change) when the admin set a maximum age and this password is older.
 * Off (null) by default: forced rotation pushes people to weaker, patterned passwords.
 */
export function passwordAgeReminder(passwordChangedAt: number, now: number, maxDays: number | null): PasswordAgeReminder | null {
  if (maxDays === null) return null;
  const ageDays = passwordAgeDays(passwordChangedAt, now);
  return ageDays > maxDays ? { ageDays, maxDays } : null;
}

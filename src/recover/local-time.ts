/**
 * A deadline as the person at the terminal reads it: their local clock time with the zone, since a
 * raw UTC timestamp makes them do arithmetic under stress. Reads the process zone (TZ).
 */
export function localDeadline(iso: string): string {
  const at = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  // getTimezoneOffset is minutes *behind* UTC, so its sign is the opposite of the zone's.
  const offset = -at.getTimezoneOffset();
  const zone = `UTC${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())} (${zone})`;
}

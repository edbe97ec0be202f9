import { isoTime } from '../../shared/clock.js';
import type { AuditEntry } from './audit-log.js';

const HEADER = ['seq', 'time', 'type', 'outcome', 'user', 'source_ip', 'target', 'details', 'hash'];

/**
 * One CSV cell. Quoted when needed (RFC 4180); a leading = + - @ tab or CR is defused with a quote
 * mark so a spreadsheet never runs a username like `=HYPERLINK(...)` as a formula.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${HEADER.join(',')}\r\n`;
}

export function csvRow(entry: AuditEntry): string {
  return (
    [
      entry.seq,
      isoTime(entry.at),
      entry.type,
      entry.outcome,
      entry.actorUsername,
      entry.sourceIp,
      entry.target,
      entry.details,
      entry.hash,
    ]
      .map(csvCell)
      .join(',') + '\r\n'
  );
}

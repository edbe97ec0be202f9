/**
 * The recovery key file: a small text file a person saves and can read. Pure (no Node imports):
 * the web UI names the download with it, the terminal wizard reads files with it.
 */

const FORMAT = 'vigil-recovery-key/1';
/** Generous for the few lines a real file has; the API refuses anything bigger before parsing. */
export const RECOVERY_KEY_FILE_MAX_LENGTH = 4096;
/** 32 random bytes in base64url. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface RecoveryKeyFileContent {
  serial: string;
  username: string;
  /** ISO time. */
  createdAt: string;
  secret: string;
}

export function recoveryKeyFileName(serial: string): string {
  return `vigil-recovery-key-${serial.replace(/[^A-Za-z0-9-]/g, '_')}.txt`;
}

export function formatRecoveryKeyFile(content: RecoveryKeyFileContent): string {
  return [
    'Vigil recorder recovery key. Whoever has this file can set a new admin password for this recorder.',
    'Keep it offline (for example on a USB stick in a drawer), not in your mail or a cloud folder.',
    'It works once: after a recovery, export a new file from the Recovery settings.',
    '',
    `format: ${FORMAT}`,
    `serial: ${content.serial}`,
    `username: ${content.username}`,
    `created: ${content.createdAt}`,
    `key: ${content.secret}`,
    '',
  ].join('\n');
}

/**
 * Reads the fields of a recovery key file, or undefined if it is not one. Tolerant of what editors
 * and mail clients do to text (CRLF, indentation, trailing spaces); strict about the key itself.
 */
export function parseRecoveryKeyFile(text: string): Omit<RecoveryKeyFileContent, 'createdAt'> | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(format|serial|username|key):\s*(.*?)\s*$/.exec(line);
    if (match && !fields.has(match[1]!)) fields.set(match[1]!, match[2]!);
  }
  const serial = fields.get('serial');
  const username = fields.get('username');
  const secret = fields.get('key');
  if (fields.get('format') !== FORMAT || !serial || !username || !secret || !SECRET_PATTERN.test(secret)) return undefined;
  return { serial, username, secret };
}

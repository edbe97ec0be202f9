// Which audit entries become a security mail, and to whom: the pure mapping, as a table; the SMTP
// error wording; and the audit log's subscription (after commit, off the request, never failing it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createAuditLog, type AuditEntry, type AuditLog } from '../../src/recorder/audit/audit-log.js';
import { openDatabase } from '../../src/recorder/db/store.js';
import { recipientUserId, securityMailFor, type MailRecipient } from '../../src/recorder/mail/security-notifier.js';
import { describeSmtpFailure } from '../../src/identity/senders/smtp.js';

const AT = Date.UTC(2026, 2, 14, 9, 30);
const ADMIN: MailRecipient = { username: 'alice', role: 'admin' };
const VIEWER: MailRecipient = { username: 'victor', role: 'viewer' };
const SETTING = { deviceName: 'VR-8 VGL260314ABCDEFGH', externalUrl: 'https://nvr.example.net' };

function entry(fields: Partial<AuditEntry> & { details?: string }): AuditEntry {
  return {
    seq: 7,
    at: AT,
    type: 'auth.login',
    outcome: 'success',
    actorUserId: 1,
    actorUsername: 'alice',
    sourceIp: '192.0.2.10',
    target: null,
    details: '{}',
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...fields,
  };
}

describe('securityMailFor', () => {
  it.each([
    ['a login from a new device', entry({ details: '{"newDevice":true}' }), ADMIN, 'Vigil: New login to your account'],
    ['a login from a known device', entry({ details: '{"newDevice":false}' }), ADMIN, null],
    ['a login without the newDevice flag', entry({}), ADMIN, null],
    ['a login with newDevice as a string', entry({ details: '{"newDevice":"true"}' }), ADMIN, null],
    ['a password change', entry({ type: 'password.changed', target: 'user:1' }), VIEWER, 'Vigil: Your password was changed'],
    ['a failed password change', entry({ type: 'password.changed', outcome: 'failure', target: 'user:1' }), VIEWER, null],
    ['an admin reset', entry({ type: 'password.reset', target: 'user:2' }), VIEWER, 'Vigil: Your password was reset'],
    ['2FA turned on', entry({ type: 'twofactor.enabled', target: 'user:1' }), ADMIN, 'Vigil: Two-step login was turned on'],
    ['2FA turned off', entry({ type: 'twofactor.disabled', target: 'user:1' }), VIEWER, 'Vigil: Two-step login was turned off'],
    ['a lockout of an admin account', entry({ type: 'auth.lockout', outcome: 'info', target: 'user:1' }), ADMIN, 'Vigil: Your admin account was locked'],
    ['a lockout of a viewer account', entry({ type: 'auth.lockout', outcome: 'info', target: 'user:3' }), VIEWER, null],
    ['a logout', entry({ type: 'auth.logout' }), ADMIN, null],
    ['a failed login', entry({ type: 'auth.login_failed', outcome: 'failure' }), ADMIN, null],
    ['a settings change', entry({ type: 'settings.changed', target: 'settings:mail' }), ADMIN, null],
  ] as const)('%s → %s', (_name, e, user, subject) => {
    expect(securityMailFor(e, user, SETTING)?.subject ?? null).toBe(subject);
  });

  it('says what happened, when, from where and what to do, and links only the configured URL', () => {
    const mail = securityMailFor(entry({ type: 'password.changed', target: 'user:1', details: '{"userAgent":"Firefox/140","revokedSessions":2}' }), ADMIN, SETTING)!;
    expect(mail.text.split('\n')).toEqual([
      'Hello alice,',
      '',
      'The password of your account alice was changed. Your other sessions were logged out.',
      '',
      'When:   2026-03-14T09:30:00.000Z (UTC)',
      'From:   address 192.0.2.10, browser Firefox/140',
      'Device: VR-8 VGL260314ABCDEFGH',
      '',
      'If this was you, there is nothing to do.',
      'If it was not you, someone else knows your password: ask an admin to reset it and check the audit log.',
      '',
      'Your recorder: https://nvr.example.net',
      '',
      '-- ',
      'Sent by your Vigil recorder. Its mails never contain a password, a code or a link that logs you in.',
    ]);
    const withoutUrl = securityMailFor(entry({ type: 'password.changed', target: 'user:1' }), ADMIN, { ...SETTING, externalUrl: null })!;
    expect(withoutUrl.text).not.toMatch(/https?:/);
  });
});

describe('recipientUserId', () => {
  it.each([
    [entry({ type: 'auth.login', actorUserId: 4 }), 4],
    [entry({ type: 'auth.login', actorUserId: null }), null],
    [entry({ type: 'password.changed', actorUserId: 9, target: 'user:2' }), 2],
    [entry({ type: 'auth.lockout', target: 'source:192.0.2.1' }), null],
    [entry({ type: 'auth.lockout', target: 'user:12' }), 12],
    [entry({ type: 'twofactor.enabled', target: 'user:x' }), null],
    [entry({ type: 'twofactor.enabled', target: null }), null],
  ])('%#', (e, id) => {
    expect(recipientUserId(e)).toBe(id);
  });
});

describe('describeSmtpFailure', () => {
  const server = { host: 'smtp.example.net', port: 587 };
  it.each([
    [{ code: 'EAUTH', responseCode: 535 }, 'The mail server at smtp.example.net:587 refused the username or password (SMTP status 535).'],
    [{ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:587' }, 'Nothing answers at smtp.example.net:587 (connection refused): check the host and the port.'],
    [{ code: 'ETIMEDOUT' }, 'The mail server at smtp.example.net:587 did not answer in time: check the host, the port and the firewall.'],
    [{ code: 'EDNS' }, 'The mail server name smtp.example.net could not be found: check the host.'],
    [{ code: 'EENVELOPE', responseCode: 550 }, 'The mail server at smtp.example.net:587 refused the sender or the recipient address (SMTP status 550).'],
    [{ code: 'ESOCKET', message: 'socket hang up' }, 'The connection to the mail server at smtp.example.net:587 failed: check the host, the port and the security setting.'],
    [{ message: 'something else with a password=hunter2 in it' }, 'Sending through the mail server at smtp.example.net:587 failed.'],
  ])('%j', (error, words) => {
    expect(describeSmtpFailure(error, server)).toBe(words);
  });
});

describe('AuditLog.subscribe', () => {
  let dir: string;
  let log: AuditLog;
  let db: ReturnType<typeof openDatabase>;
  const errors: unknown[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-audit-sub-'));
    db = openDatabase(join(dir, 'vigil.db'));
    errors.length = 0;
    log = createAuditLog(db, Buffer.alloc(32, 7), new ManualClock(AT), { onListenerError: (error) => errors.push(error) });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells listeners about committed entries after the append returns, not during it', async () => {
    const seen: number[] = [];
    log.subscribe((e) => void seen.push(e.seq));
    log.append({ type: 'auth.logout', outcome: 'success' });
    expect(seen).toEqual([]);
    await log.settled();
    expect(seen).toEqual([1]);
  });

  it('never announces an entry whose transaction rolled back', async () => {
    const seen: number[] = [];
    log.subscribe((e) => void seen.push(e.seq));
    expect(() =>
      db.transaction(() => {
        log.append({ type: 'auth.logout', outcome: 'success' });
        throw new Error('the change failed after its audit entry');
      })(),
    ).toThrow('the change failed');
    log.append({ type: 'auth.login', outcome: 'success' });
    await log.settled();
    expect(seen).toEqual([1]);
    expect(log.query({}).map((e) => e.type)).toEqual(['auth.login']);
  });

  it('a throwing or rejecting listener breaks neither the append nor the other listeners, and is reported', async () => {
    const seen: string[] = [];
    log.subscribe(() => {
      throw new Error('sync failure');
    });
    log.subscribe(async () => {
      throw new Error('async failure');
    });
    log.subscribe((e) => void seen.push(e.type));
    expect(log.append({ type: 'auth.logout', outcome: 'success' }).seq).toBe(1);
    await log.settled();
    expect(seen).toEqual(['auth.logout']);
    expect(errors.map((e) => (e as Error).message).sort()).toEqual(['async failure', 'sync failure']);
    expect(log.verify().problems).toEqual([]);
  });

  it('stops after unsubscribing', async () => {
    const seen: number[] = [];
    const unsubscribe = log.subscribe((e) => void seen.push(e.seq));
    log.append({ type: 'auth.logout', outcome: 'success' });
    await log.settled();
    unsubscribe();
    log.append({ type: 'auth.logout', outcome: 'success' });
    await log.settled();
    expect(seen).toEqual([1]);
  });
});

import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, verifyChain, type ChainedEntry } from '../../src/identity/audit/chain.js';
import { csvCell } from '../../src/recorder/audit/csv.js';
import { dataPaths } from '../../src/recorder/device/data-dir.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { runVigil } from '../helpers/cli.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';

describe('audit log', () => {
  let rec: TestRecorder;
  let admin: ApiClient;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await new ApiClient(rec.url).post('/api/v1/activate', { labelCode: 'WRNG-WRNG-WRNG-WRNG', password: STRONG_PASSWORD });
    await activate(rec);
    await new ApiClient(rec.url).login('admin', 'not the password');
    await new ApiClient(rec.url).login('=HYPERLINK("http://evil")', 'whatever');
    admin = await loggedInAdmin(rec);
  });
  afterEach(() => rec.close());

  it('records security events with actor, source address, time and outcome', async () => {
    const res = await admin.get('/api/v1/audit');
    expect(res.status).toBe(200);
    const types = res.body.entries.map((e: { type: string; outcome: string }) => `${e.type}:${e.outcome}`);
    expect(types).toEqual([
      'auth.login:success',
      'auth.login_failed:failure',
      'auth.login_failed:failure',
      'device.activated:success',
      'device.activation_failed:failure',
    ]);
    const [login, , wrongPassword] = res.body.entries;
    expect(login).toMatchObject({ actor: { id: 1, username: 'admin' }, sourceIp: '127.0.0.1' });
    expect(login.target).toMatch(/^session:[0-9a-f]{24}$/);
    expect(wrongPassword.actor).toEqual({ id: 1, username: 'admin' });
    expect(Date.parse(login.at)).toBe(rec.clock.now());
    expect(res.body.nextBefore).toBeNull();
  });

  it('records password changes, logouts and revocations, and never a secret', async () => {
    await admin.post('/api/v1/me/password', { currentPassword: 'wrong one here', newPassword: OTHER_STRONG_PASSWORD });
    await admin.post('/api/v1/me/password', { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD });
    const other = await loggedInAdmin(rec, OTHER_STRONG_PASSWORD);
    await admin.delete(`/api/v1/sessions/${(await other.get('/api/v1/me')).body.session.id}`);
    await admin.delete('/api/v1/sessions/current');
    const again = await loggedInAdmin(rec, OTHER_STRONG_PASSWORD);
    const res = await again.get('/api/v1/audit?limit=6');
    expect(res.body.entries.map((e: { type: string; outcome: string }) => `${e.type}:${e.outcome}`)).toEqual([
      'auth.login:success',
      'auth.logout:success',
      'session.revoked:success',
      'auth.login:success',
      'password.changed:success',
      'password.changed:failure',
    ]);
    expect(res.body.entries[4].details).toEqual({ revokedSessions: 0 });

    const csv = await (await fetch(`${rec.url}/api/v1/audit/export.csv`, { headers: { cookie: again.cookie! } })).text();
    for (const secret of [STRONG_PASSWORD, OTHER_STRONG_PASSWORD, 'not the password', 'wrong one here', rec.labelCode]) {
      expect(csv).not.toContain(secret);
    }
  });

  it('filters by type, user and time, and pages backwards', async () => {
    const failed = await admin.get('/api/v1/audit?type=auth.login_failed');
    expect(failed.body.entries).toHaveLength(2);
    const byAdmin = await admin.get('/api/v1/audit?user=ADMIN');
    expect(byAdmin.body.entries.map((e: { type: string }) => e.type)).toEqual(['auth.login', 'auth.login_failed', 'device.activated']);

    rec.clock.advance(20 * 60); // less than the idle timeout: the admin stays logged in
    await new ApiClient(rec.url).login('admin', 'late wrong password');
    const since = new Date(rec.clock.now() - 60_000).toISOString();
    const recent = await admin.get(`/api/v1/audit?from=${since}`);
    expect(recent.body.entries.map((e: { type: string }) => e.type)).toEqual(['auth.login_failed']);
    const until = await admin.get(`/api/v1/audit?to=${since}`);
    expect(until.body.entries).toHaveLength(5);

    const page1 = await admin.get('/api/v1/audit?limit=2');
    expect(page1.body.entries.map((e: { seq: number }) => e.seq)).toEqual([6, 5]);
    expect(page1.body.nextBefore).toBe(5);
    const page2 = await admin.get(`/api/v1/audit?limit=2&before=${page1.body.nextBefore}`);
    expect(page2.body.entries.map((e: { seq: number }) => e.seq)).toEqual([4, 3]);

    expect((await admin.get('/api/v1/audit?type=no.such')).status).toBe(400);
    expect((await admin.get('/api/v1/audit?limit=0')).status).toBe(400);
    expect((await admin.get('/api/v1/audit?from=yesterday')).status).toBe(400);
  });

  it('lists the event types its type filter takes', async () => {
    const { types } = (await admin.get('/api/v1/audit/event-types')).body;
    expect(types).toContain('auth.login_failed');
    expect(types).toContain('camera.exported');
    for (const type of types) expect((await admin.get(`/api/v1/audit?type=${type}&limit=1`)).status).toBe(200);
  });

  it('filters by outcome', async () => {
    const failures = await admin.get('/api/v1/audit?outcome=failure');
    expect(failures.body.entries.map((e: { type: string }) => e.type)).toEqual(['auth.login_failed', 'auth.login_failed', 'device.activation_failed']);
    expect((await admin.get('/api/v1/audit?outcome=maybe')).status).toBe(400);
  });

  it('says whether the chain verifies, and where an entry edited behind its back breaks it', async () => {
    expect((await admin.get('/api/v1/audit/verify')).body).toEqual({ verified: true, checked: 5, problems: [] });
    const db = new Database(dataPaths(rec.dataDir).database);
    db.exec("UPDATE audit_log SET source_ip = '10.0.0.9' WHERE seq = 3");
    db.close();
    const broken = await admin.get('/api/v1/audit/verify');
    expect(broken.body.verified).toBe(false);
    expect(broken.body.problems).toContainEqual({ kind: 'bad_hash', seq: 3 });
    expect((await new ApiClient(rec.url).get('/api/v1/audit/verify')).status).toBe(401);
  });

  it('is for admins only', async () => {
    const anonymous = await new ApiClient(rec.url).get('/api/v1/audit');
    expect(anonymous.status).toBe(401);
    expect((await fetch(`${rec.url}/api/v1/audit/export.csv`)).status).toBe(401);
  });

  it('exports CSV with formulas defused', async () => {
    const res = await fetch(`${rec.url}/api/v1/audit/export.csv?type=auth.login_failed`, { headers: { cookie: admin.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(`vigil-audit-${rec.serial}.csv`);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('seq,time,type,outcome,user,source_ip,target,details,hash');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('a,b')).toBe('"a,b"');
  });
});

describe('tamper detection', () => {
  let rec: TestRecorder;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
    for (let i = 0; i < 4; i++) await new ApiClient(rec.url).login('admin', `wrong password ${i}`);
    await loggedInAdmin(rec);
    await rec.running.close(); // tamper with the files of a stopped recorder, as an intruder would
  });
  afterEach(() => rec.close());

  const verify = () => runVigil(['recorder', 'audit', 'verify', '--data', rec.dataDir]);
  const tamper = (sql: string) => {
    const db = new Database(dataPaths(rec.dataDir).database);
    db.exec(sql);
    db.close();
  };

  it('passes an untouched log', () => {
    const res = verify();
    expect(res.stdout).toContain('Audit log intact: 6 entries');
    expect(res.status).toBe(0);
  });

  it.each([
    ['an edited entry', "UPDATE audit_log SET source_ip = '10.0.0.9' WHERE seq = 3", /entry 3 does not match its hash/],
    ['an edited outcome', "UPDATE audit_log SET outcome = 'success' WHERE seq = 2", /entry 2 does not match/],
    ['a removed entry', 'DELETE FROM audit_log WHERE seq = 4', /entry 5 follows entry 3/],
    ['removed entries at the end', 'DELETE FROM audit_log WHERE seq >= 5', /should end at entry 6 but ends at entry 4/],
    [
      'two entries swapped',
      `UPDATE audit_log SET seq = -1 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = -1;`,
      /entry 2 does not carry the hash/,
    ],
    ['everything deleted', 'DELETE FROM audit_log', /should end at entry 6 but ends at entry 0/],
  ])('detects %s and exits non-zero', (_name, sql, message) => {
    tamper(sql);
    const res = verify();
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('TAMPERED');
    expect(res.stderr).toMatch(message);
  });

  it('detects an entry re-chained without the key (plain SHA-256 instead of the HMAC)', () => {
    const db = new Database(dataPaths(rec.dataDir).database);
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, string | number | null>[];
    let prev = GENESIS_HASH;
    for (const row of rows) {
      const edited = row.seq === 2 ? { ...row, source_ip: '10.9.9.9' } : row;
      const hash = createHash('sha256').update(prev + JSON.stringify(edited)).digest('hex');
      db.prepare('UPDATE audit_log SET source_ip = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(edited.source_ip, prev, hash, row.seq);
      prev = hash;
    }
    db.prepare('UPDATE audit_head SET hash = ? WHERE id = 1').run(prev);
    db.close();
    const res = verify();
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/entry 1 does not match its hash/);
  });
});

describe('verifyChain', () => {
  const key = Buffer.alloc(32, 7);
  const chain = (n: number): ChainedEntry[] => {
    const out: ChainedEntry[] = [];
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= n; seq++) {
      const fields = { seq, at: seq * 1000, type: 'auth.login', outcome: 'success' as const, actorUserId: 1, actorUsername: 'admin', sourceIp: null, target: null, details: '{}' };
      const entry = { ...fields, prevHash, hash: entryHash(key, prevHash, fields) };
      out.push(entry);
      prevHash = entry.hash;
    }
    return out;
  };

  it('accepts a good chain and an empty log', () => {
    const entries = chain(5);
    expect(verifyChain(key, entries, { seq: 5, hash: entries[4]!.hash })).toEqual({ checked: 5, problems: [] });
    expect(verifyChain(key, [], undefined)).toEqual({ checked: 0, problems: [] });
  });

  it('rejects the right chain under another key', () => {
    const entries = chain(3);
    const result = verifyChain(Buffer.alloc(32, 8), entries, { seq: 3, hash: entries[2]!.hash });
    expect(result.problems.map((p) => p.kind)).toEqual(['bad_hash', 'bad_hash', 'bad_hash']);
  });
});

import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_CODE_LOCK } from '../../src/identity/codes/code-rules.js';
import { markVerified, signUpAddress } from '../../src/cloud/db/accounts.js';
import type { CloudDatabase } from '../../src/cloud/db/database.js';
import { openPostgresDatabase } from '../../src/cloud/db/postgres.js';
import { SIGN_UP_THROTTLE } from '../../src/cloud/accounts/sign-up.js';
import { LOGIN_SOURCE_THROTTLE } from '../../src/cloud/services.js';
import { DEFAULT_LOCKOUT_POLICY } from '../../src/identity/lockout/policy.js';
import { PasswordHasher, TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { startVigilDaemon } from '../helpers/cli.js';
import { startNginx, type TestNginx } from '../helpers/nginx.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { activate, loggedInAdmin } from '../helpers/client.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD, startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { until } from '../helpers/until.js';

// Three `vigil cloud` processes on one PostgreSQL server and one Redis, behind nginx (round robin),
// sharing the keys of one data directory, as docs/cloud.md "Running several instances" says. An
// attacker who spreads guesses over the three through nginx gets no more of them checked than one
// who sends them all to one instance; an instance killed with SIGKILL loses nothing it committed.
// Each attack comes from a loopback address of its own (all of 127/8 is loopback on Linux): nginx
// names it in X-Forwarded-For, and the instances believe only nginx (--trusted-proxy 127.0.0.1).

interface Instance {
  child: ChildProcessWithoutNullStreams;
  url: string;
  dataDir: string;
  /** What it printed so far (its log). */
  output: () => string;
}

let postgres: TestPostgres;
let redis: TestRedis;
let smtp: TestSmtpServer;
let nginx: TestNginx;
let db: CloudDatabase;
let root: string;
const instances: Instance[] = [];
let recorder: TestRecorder | undefined;

async function startInstance(name: string, databaseUrl: string): Promise<Instance> {
  const dataDir = join(root, name);
  const smtpUrl = `smtp://${encodeURIComponent(smtp.username)}:${encodeURIComponent(smtp.password)}@127.0.0.1:${smtp.port}?security=none`;
  const { child, url, output } = await startVigilDaemon([
    'cloud', '--data', dataDir, '--listen', '127.0.0.1:0', '--database', databaseUrl, '--redis', redis.url,
    '--trusted-proxy', '127.0.0.1', '--smtp', smtpUrl, '--mail-from', 'cloud@example.net',
  ]);
  return { child, url, dataDir, output };
}

beforeAll(async () => {
  [postgres, redis, smtp] = await Promise.all([startPostgres(), startRedis(), startTestSmtpServer()]);
  root = mkdtempSync(join(tmpdir(), 'vigil-cloud-instances-'));
  const databaseUrl = await postgres.freshSchemaUrl();
  // The first instance makes the keys (and the schema); the others get a copy of its keys.
  instances.push(await startInstance('a', databaseUrl));
  for (const name of ['b', 'c']) cpSync(join(root, 'a', 'keys'), join(root, name, 'keys'), { recursive: true });
  instances.push(...(await Promise.all(['b', 'c'].map((name) => startInstance(name, databaseUrl)))));
  nginx = await startNginx(instances.map((i) => new URL(i.url).host));
  db = await openPostgresDatabase(databaseUrl);
}, 120_000);

afterAll(async () => {
  await recorder?.close();
  for (const { child } of instances) child.kill('SIGKILL');
  await db?.close();
  await Promise.all([nginx?.stop(), postgres?.stop(), redis?.stop(), smtp?.close()]);
  rmSync(root, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
  /** The instance that answered, as nginx names it (host:port); undefined for a request sent straight to one. */
  upstream: string | undefined;
  /** The first cookie set, as `name=value`. */
  cookie: string | undefined;
}

/** A request sent from the loopback address `from`, as a client there would; with a body, a JSON one. */
function send(method: string, base: string, path: string, body: unknown, from: string, headers: Record<string, string> = {}): Promise<Answer> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const json = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, localAddress: from, headers: { ...json, ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
          upstream: res.headers['x-upstream'] as string | undefined,
          cookie: res.headers['set-cookie']?.[0]?.split(';')[0],
        }),
      );
    });
    req.once('error', reject);
    req.end(payload);
  });
}

const post = (base: string, path: string, body: unknown, from: string, headers?: Record<string, string>) => send('POST', base, path, body, from, headers);

/** How many answers had each status, e.g. { 401: 5, 429: 7 }. */
const countByStatus = (answers: Answer[]) => answers.reduce<Record<number, number>>((n, a) => ({ ...n, [a.status]: (n[a.status] ?? 0) + 1 }), {});

/** How many requests each instance answered, in the order of `instances`. */
const spread = (answers: Answer[]) => instances.map((i) => answers.filter((a) => a.upstream === new URL(i.url).host).length);

/** `n` requests one after the other, as a patient attacker sends them. */
async function inTurn(n: number, send: (i: number) => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < n; i++) answers.push(await send(i));
  return answers;
}

const hasher = new PasswordHasher(TEST_ARGON2);
async function verifiedAccount(email: string): Promise<void> {
  const { id } = await signUpAddress(db, 'email', email, await hasher.hash(STRONG_PASSWORD), 0);
  await markVerified(db, id, 0);
}

async function mailedCode(to: string): Promise<string> {
  const mail = await until(() => smtp.mails.findLast((m) => m.rcptTo.includes(to)), `a mail to ${to}`);
  return /Your code is (\d{8})/.exec(mail.text)![1]!;
}

/** A code of 8 digits that is not `code`. */
const wrongCode = (code: string, i: number) => String((Number(code) + 1 + i) % 100_000_000).padStart(8, '0');

describe('three cloud instances behind nginx on one PostgreSQL and one Redis', () => {
  const one = () => instances[0]!.url;

  it('a client\'s lockout on an account holds across instances: through nginx it gets as many password checks as against one instance', async () => {
    await verifiedAccount('spread@example.com');
    await verifiedAccount('single@example.com');
    const guess = (base: string, email: string, from: string) => () => post(base, '/api/v1/login', { email, password: 'Wrong guess 123456' }, from);
    const spreadOver = await inTurn(12, guess(nginx.url, 'spread@example.com', '127.0.0.11'));
    const againstOne = await inTurn(12, guess(one(), 'single@example.com', '127.0.0.12'));

    expect(spread(spreadOver)).toEqual([4, 4, 4]);
    const expected = { 401: DEFAULT_LOCKOUT_POLICY.userThreshold, 429: 12 - DEFAULT_LOCKOUT_POLICY.userThreshold };
    expect(countByStatus(spreadOver)).toEqual(expected);
    expect(countByStatus(againstOne)).toEqual(expected);
    // The right password does not open a locked client's way in either, on any instance.
    const owner = await inTurn(3, () => post(nginx.url, '/api/v1/login', { email: 'spread@example.com', password: STRONG_PASSWORD }, '127.0.0.11'));
    expect(owner.map((a) => a.status)).toEqual([429, 429, 429]);
  });

  it('the per-source throttle across accounts holds across instances, counts the client\'s address and not nginx\'s, and believes no other X-Forwarded-For', async () => {
    const guess = (base: string, from: string, headers?: Record<string, string>) => (i: number) =>
      post(base, '/api/v1/login', { email: `nobody${i}@example.com`, password: 'Wrong guess 123456' }, from, headers);
    const spreadOver = await inTurn(15, guess(nginx.url, '127.0.0.13'));
    const againstOne = await inTurn(15, guess(one(), '127.0.0.14'));

    expect(spread(spreadOver)).toEqual([5, 5, 5]);
    const expected = { 401: LOGIN_SOURCE_THROTTLE.maxAttempts, 429: 15 - LOGIN_SOURCE_THROTTLE.maxAttempts };
    expect(countByStatus(spreadOver)).toEqual(expected);
    expect(countByStatus(againstOne)).toEqual(expected);
    // A forged X-Forwarded-For, through nginx (which replaces it) or straight to an instance (which trusts only nginx), changes nothing.
    const forged = { 'x-forwarded-for': '198.51.100.77' };
    expect((await inTurn(3, guess(nginx.url, '127.0.0.13', forged))).map((a) => a.status)).toEqual([429, 429, 429]);
    expect((await inTurn(3, guess(instances[1]!.url, '127.0.0.13', forged))).map((a) => a.status)).toEqual([429, 429, 429]);
    // Everyone else comes through the same nginx and is not held back by the attacker's count.
    await verifiedAccount('neighbour@example.com');
    expect((await post(nginx.url, '/api/v1/login', { email: 'neighbour@example.com', password: STRONG_PASSWORD }, '127.0.0.15')).status).toBe(200);
  });

  it('the sign-up budget per source holds across instances (it was per instance before Redis)', async () => {
    const signUp = (base: string, from: string, tag: string) => (i: number) =>
      post(base, '/api/v1/signup', { email: `${tag}${i}@example.com`, password: STRONG_PASSWORD }, from);
    const n = SIGN_UP_THROTTLE.maxAttempts + 3;
    const spreadOver = await inTurn(n, signUp(nginx.url, '127.0.0.16', 'spread'));
    const againstOne = await inTurn(n, signUp(one(), '127.0.0.17', 'single'));

    expect(Math.min(...spread(spreadOver))).toBeGreaterThanOrEqual(4);
    const expected = { 202: SIGN_UP_THROTTLE.maxAttempts, 429: 3 };
    expect(countByStatus(spreadOver)).toEqual(expected);
    expect(countByStatus(againstOne)).toEqual(expected);
  }, 60_000);

  it('guessing a sign-up code across instances gets as many tries as against one, and then not even the right code works', async () => {
    const guessCodes = async (base: string, email: string, from: string) => {
      const started = await post(base, '/api/v1/signup', { email, password: STRONG_PASSWORD }, from);
      expect(started.status).toBe(202);
      const code = await mailedCode(email);
      const guesses = await inTurn(9, (i) => post(base, '/api/v1/signup/verify', { requestId: started.body.requestId, code: wrongCode(code, i) }, from));
      const right = await post(base, '/api/v1/signup/verify', { requestId: started.body.requestId, code }, from);
      return { guesses, right };
    };
    const spreadOver = await guessCodes(nginx.url, 'guessed-spread@example.com', '127.0.0.18');
    const againstOne = await guessCodes(one(), 'guessed-single@example.com', '127.0.0.19');

    expect(spread(spreadOver.guesses)).toEqual([3, 3, 3]);
    const expected = { 400: CONTACT_CODE_LOCK.maxFailures, 429: 9 - CONTACT_CODE_LOCK.maxFailures };
    expect(countByStatus(spreadOver.guesses)).toEqual(expected);
    expect(countByStatus(againstOne.guesses)).toEqual(expected);
    expect([spreadOver.right.status, againstOne.right.status]).toEqual([429, 429]);
  }, 60_000);

  it('a session ended on one instance is refused at once by the others: every request reads it from the database, so no cache holds it', async () => {
    await verifiedAccount('revoker@example.com');
    const login = await post(instances[0]!.url, '/api/v1/login', { email: 'revoker@example.com', password: STRONG_PASSWORD }, '127.0.0.22');
    expect(login.status).toBe(200);
    const asOwner = { cookie: login.cookie! };
    const account = (i: Instance) => send('GET', i.url, '/api/v1/account', undefined, '127.0.0.22', asOwner);
    expect((await Promise.all(instances.map(account))).map((a) => a.status)).toEqual([200, 200, 200]);
    expect((await post(instances[0]!.url, '/api/v1/logout', undefined, '127.0.0.22', asOwner)).status).toBe(204);
    expect((await Promise.all(instances.map(account))).map((a) => [a.status, a.body.error && (a.body.error as { code: string }).code])).toEqual([
      [401, 'not_logged_in'],
      [401, 'not_logged_in'],
      [401, 'not_logged_in'],
    ]);
  });

  it('an instance killed with SIGKILL loses nothing it committed, and nginx keeps answering from the others', async () => {
    const victim = instances[1]!;
    const email = 'durable@example.com';
    const started = await post(victim.url, '/api/v1/signup', { email, password: STRONG_PASSWORD }, '127.0.0.20');
    const verified = await post(victim.url, '/api/v1/signup/verify', { requestId: started.body.requestId, code: await mailedCode(email) }, '127.0.0.20');
    expect(verified.status).toBe(200);
    const killed = new Promise((resolve) => victim.child.once('exit', (_code, signal) => resolve(signal)));
    victim.child.kill('SIGKILL');
    expect(await killed).toBe('SIGKILL');

    const { rows } = await db.query<{ verified: boolean }>('SELECT verified_at IS NOT NULL AS verified FROM accounts WHERE email = $1', [email]);
    expect(rows).toEqual([{ verified: true }]);
    const audit = await db.query<{ type: string }>("SELECT type FROM audit_log WHERE type = 'account.verified' AND target = (SELECT 'account:' || id FROM accounts WHERE email = $1)", [email]);
    expect(audit.rows).toHaveLength(1);
    // Six logins in turn: nginx finds the dead instance refusing, passes its turn on to a living one
    // (X-Upstream lists both), and every login succeeds.
    const logins = await inTurn(6, () => post(nginx.url, '/api/v1/login', { email, password: STRONG_PASSWORD }, '127.0.0.21'));
    expect(logins.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const [living, dead] = [[instances[0]!, instances[2]!].map((i) => new URL(i.url).host), new URL(victim.url).host];
    const tried = logins.map((a) => a.upstream!.split(', '));
    expect(new Set(tried.map((hosts) => hosts.at(-1)))).toEqual(new Set(living));
    expect(tried.some((hosts) => hosts[0] === dead)).toBe(true);
  });

  it('a recorder connected to one instance is reset from a request made on another, and after its instance is SIGKILLed it reconnects through nginx', async () => {
    // Runs after the kill above: nginx passes the dead instance's turns on to the living two.
    const living = [instances[0]!, instances[2]!];
    recorder = await startTestRecorder({ cloudUrl: nginx.url });
    await activate(recorder);
    const rec = recorder;
    const connectionsAt = (i: Instance) => i.output().split('\n').filter((line) => line.includes('"device_connected"') && line.includes(rec.serial)).length;
    await until(() => rec.running.ctx.cloudLink?.status().state === 'online', 'the recorder connected');
    const holder = await until(() => living.find((i) => connectionsAt(i) === 1), 'the instance holding the recorder');
    const other = living.find((i) => i !== holder)!;

    await verifiedAccount('owner@example.com');
    const login = await post(other.url, '/api/v1/login', { email: 'owner@example.com', password: STRONG_PASSWORD }, '127.0.0.23');
    const asOwner = { cookie: login.cookie! };
    const bound = await post(other.url, '/api/v1/devices/bind', { serial: rec.serial, labelCode: rec.labelCode }, '127.0.0.23', asOwner);
    expect(bound.status).toBe(201);
    const listed = await send('GET', other.url, '/api/v1/devices', undefined, '127.0.0.23', asOwner);
    expect(listed.body.devices).toEqual([expect.objectContaining({ serial: rec.serial, online: true })]);
    // The reset is asked of the instance that does not hold the connection: it travels through Redis.
    const reset = await post(other.url, `/api/v1/devices/${rec.serial}/reset`, { username: 'admin', newPassword: OTHER_STRONG_PASSWORD }, '127.0.0.23', asOwner);
    expect([reset.status, reset.body.reset]).toEqual([200, true]);
    await loggedInAdmin(rec, OTHER_STRONG_PASSWORD);
    await expect(loggedInAdmin(rec, STRONG_PASSWORD)).rejects.toThrow(/login failed: 401/);

    const killed = new Promise((resolve) => holder.child.once('exit', (_code, signal) => resolve(signal)));
    const start = performance.now();
    holder.child.kill('SIGKILL');
    expect(await killed).toBe('SIGKILL');
    await until(() => connectionsAt(other) === 1, 'the recorder reconnected to the living instance', 10_000);
    const seconds = (performance.now() - start) / 1000;
    console.log(`recorder reconnected through nginx ${seconds.toFixed(2)} s after its instance was SIGKILLed`);
    expect(seconds).toBeLessThan(10);
    // Reached where it now is: a second reset goes straight down its new connection.
    const again = await post(other.url, `/api/v1/devices/${rec.serial}/reset`, { username: 'admin', newPassword: STRONG_PASSWORD }, '127.0.0.23', asOwner);
    expect([again.status, again.body.reset]).toEqual([200, true]);
    await loggedInAdmin(rec, STRONG_PASSWORD);
  }, 60_000);
});

// "Bad input gets a clear error and loses nothing": generated requests against a real cloud on
// PGlite (one database for the file), for every route. Never a 5xx; every error in the API's
// format with a code; a refused request writes nothing; the cloud still answers afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markVerified, signUpAddress } from '../../src/cloud/db/accounts.js';
import { startCloud, type RunningCloud } from '../../src/cloud/daemon.js';
import { PasswordHasher, TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { PasswordJudge } from '../../src/identity/passwords/judge.js';
import { ManualClock } from '../../src/shared/clock.js';
import { isWellFormedText } from '../../src/shared/well-formed-text.js';
import { createLogger } from '../../src/shared/logger.js';
import {
  anyJson,
  CONTENT_TYPES,
  jsonBody,
  loneSurrogate,
  rawBody,
  sendRaw,
  urlJunk,
  weirdString,
  type RawRequest,
  type RawResponse,
} from '../helpers/generated-input.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { printedRoutes } from '../helpers/routes.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const RUNS = 120;
const ALLOWED_STATUSES = new Set([200, 202, 400, 401, 403, 404, 405, 413, 415, 422, 429]);
/** Answers that refuse the request as it was sent: none of them may leave a trace in the database. */
const REFUSALS = new Set([400, 404, 405, 413, 415, 422]);
/**
 * A wrong secret in a well-formed request is no malformed one: it is counted against the source
 * (and the code's account) and audited, so it writes those counters and the audit log, nothing else.
 */
const COUNTED_FAILURES: Record<string, string> = {
  '/api/v1/password/forgot/verify': 'invalid_code',
  '/api/v1/password/reset': 'invalid_reset_token',
  '/api/v1/account-recovery': 'invalid_grant',
  '/api/v1/account-recovery/cancel': 'invalid_token',
};
const COUNTERS = ['source_attempts', 'method_locks', 'audit_log', 'audit_head'];
const OWNER = 'owner@example.com';

interface RouteSpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** As requested: a route with a parameter is requested with a right-looking value for it. */
  path: string;
  /** As the router names it, when the path has a parameter. */
  route?: string;
  /** Body properties of a JSON route. */
  keys?: readonly string[];
}

/** Every cloud route; a test below checks this list against the routes the app really has. */
const ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/api/v1/health' },
  { method: 'POST', path: '/api/v1/signup', keys: ['email', 'password'] },
  { method: 'POST', path: '/api/v1/signup/verify', keys: ['requestId', 'code'] },
  { method: 'POST', path: '/api/v1/login', keys: ['email', 'password'] },
  { method: 'POST', path: '/api/v1/login/second-factor', keys: ['challenge', 'totp'] },
  { method: 'POST', path: '/api/v1/logout' },
  { method: 'GET', path: '/api/v1/account' },
  { method: 'GET', path: '/api/v1/account/sessions' },
  { method: 'DELETE', path: '/api/v1/account/sessions/:id' },
  { method: 'POST', path: '/api/v1/account/sessions/revoke-others' },
  { method: 'POST', path: '/api/v1/account/password', keys: ['currentPassword', 'newPassword'] },
  { method: 'POST', path: '/api/v1/account/2fa/totp', keys: ['currentPassword'] },
  { method: 'POST', path: '/api/v1/account/2fa/totp/confirm', keys: ['currentPassword', 'code'] },
  { method: 'POST', path: '/api/v1/account/2fa/recovery-codes', keys: ['currentPassword'] },
  { method: 'DELETE', path: '/api/v1/account/2fa', keys: ['currentPassword'] },
  { method: 'GET', path: '/api/v1/account/2fa/passkeys' },
  { method: 'GET', path: '/api/v1/account/audit' },
  { method: 'POST', path: '/api/v1/account/2fa/passkeys/registration', keys: ['currentPassword'] },
  { method: 'POST', path: '/api/v1/account/2fa/passkeys', keys: ['name', 'response'] },
  { method: 'DELETE', path: '/api/v1/account/2fa/passkeys/:id', keys: ['currentPassword'] },
  { method: 'POST', path: '/api/v1/offline-reset/code', keys: ['challenge'] },
  { method: 'POST', path: '/api/v1/password/forgot', keys: ['email', 'phone'] },
  { method: 'POST', path: '/api/v1/password/forgot/verify', keys: ['requestId', 'code'] },
  { method: 'POST', path: '/api/v1/password/reset', keys: ['grant', 'newPassword'] },
  { method: 'POST', path: '/api/v1/account-recovery', keys: ['grant'] },
  { method: 'POST', path: '/api/v1/account-recovery/cancel', keys: ['token'] },
  { method: 'GET', path: '/api/v1/devices' },
  { method: 'POST', path: '/api/v1/devices/bind', keys: ['serial', 'labelCode'] },
  { method: 'DELETE', path: '/api/v1/devices/VGL2612070AAAAAAAA', route: '/api/v1/devices/:serial' },
  { method: 'POST', path: '/api/v1/devices/VGL2612070AAAAAAAA/reset', route: '/api/v1/devices/:serial/reset', keys: ['username', 'newPassword'] },
];
const BODY_ROUTES = ROUTES.filter((r) => r.keys);

let root: string;
let smtp: TestSmtpServer;
let cloud: RunningCloud;
let agent: Agent;
let port: number;
let tables: string[];
const judge = new PasswordJudge();
const clock = new ManualClock(Date.now());
/** Which error codes the answers carried: proof the generators reach every layer. */
const errorCodesSeen = new Set<string>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vigil-cloud-generated-'));
  smtp = await startTestSmtpServer();
  cloud = await startCloud({
    dataDir: root,
    listen: { host: '127.0.0.1', port: 0 },
    mail: { server: { host: '127.0.0.1', port: smtp.port, security: 'none', username: smtp.username, password: smtp.password }, from: 'cloud@example.net' },
    argon2: TEST_ARGON2,
    judgePassword: judge.judge,
    logger: createLogger({ level: 'silent' }),
    clock,
  });
  expect(cloud.database).not.toMatch(/^postgres/); // the embedded PGlite
  port = Number(new URL(cloud.url).port);
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
  // A verified account, so a login can reach its password check.
  const { id } = await signUpAddress(cloud.db, 'email', OWNER, await new PasswordHasher(TEST_ARGON2).hash(STRONG_PASSWORD), clock.now());
  await markVerified(cloud.db, id, clock.now());
  const { rows } = await cloud.db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' ORDER BY tablename",
  );
  tables = rows.map((r) => r.tablename);
}, 60_000);

afterAll(async () => {
  agent?.destroy();
  await cloud?.close();
  await judge.close();
  await smtp?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Every row of every table: what a refused request must leave as it was. */
async function snapshot(): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const table of tables) {
    state[table] = (await cloud.db.query(`SELECT * FROM "${table}"`)).rows;
  }
  return state;
}

/** The shape every answer must have, whatever was asked. */
function checkResponse(req: RawRequest, res: RawResponse): void {
  const what = `${req.method} ${req.path.slice(0, 120)} ${String(req.body ?? '').slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, what).toBeLessThan(500);
  expect(ALLOWED_STATUSES.has(res.status), what).toBe(true);
  if (res.status >= 400 && req.method !== 'HEAD') {
    expect(String(res.headers['content-type']), what).toMatch(/^application\/json/);
    const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } };
    expect(body.error?.code, what).toMatch(/^[a-z_]+$/);
    expect(body.error?.message, what).toEqual(expect.any(String));
    errorCodesSeen.add(body.error!.code as string);
  }
  if (res.status === 429) expect(res.headers['retry-after'], what).toMatch(/^\d+$/);
  // Never the owner's password, in any body or header.
  expect(res.text + JSON.stringify(res.headers), what).not.toContain(STRONG_PASSWORD);
}

/**
 * Sends one request past every throttle (the clock moves on two hours first), checks its answer,
 * that a refusal wrote nothing, and that the cloud still answers.
 */
async function exercise(req: RawRequest, expectAlso?: (res: RawResponse) => void): Promise<RawResponse> {
  clock.advance(2 * 3600);
  const before = await snapshot();
  const res = await sendRaw(port, agent, req);
  checkResponse(req, res);
  expectAlso?.(res);
  if (REFUSALS.has(res.status)) {
    const counted = res.status === 400 && JSON.parse(res.text).error.code === COUNTED_FAILURES[req.path];
    const kept = (state: Record<string, unknown>) => Object.fromEntries(Object.entries(state).filter(([table]) => !counted || !COUNTERS.includes(table)));
    expect(kept(await snapshot()), `${req.method} ${req.path.slice(0, 80)} → ${res.status} wrote to the database`).toEqual(kept(before));
  }
  const health = await sendRaw(port, agent, { method: 'GET', path: '/api/v1/health' });
  expect(health.status).toBe(200);
  return res;
}

/** Whether the JSON text holds a string (key or value) that is not well-formed Unicode. */
function holdsLoneSurrogate(json: string): boolean {
  let found = false;
  try {
    JSON.parse(json, (key, value: unknown) => {
      if (!isWellFormedText(key) || (typeof value === 'string' && !isWellFormedText(value))) found = true;
      return value;
    });
  } catch {
    return false;
  }
  return found;
}

/** A body sent to a path: by POST, or by the route's own method (a DELETE with a body) when `method` says so. */
const post = (path: string, body: string | Buffer, contentType: string | undefined = 'application/json', method = 'POST'): RawRequest => ({
  method,
  path,
  headers: { 'content-type': contentType },
  body,
});

/** A right-looking body for a route, so a single wrong field is the only fault. */
const WELL_FORMED: Record<string, Record<string, unknown>> = {
  '/api/v1/signup': { email: 'someone@example.com', password: STRONG_PASSWORD },
  '/api/v1/signup/verify': { requestId: 'no-such-request', code: '12345678' },
  '/api/v1/login': { email: OWNER, password: 'not the password' },
  '/api/v1/login/second-factor': { challenge: 'A'.repeat(43), totp: '123456' },
  '/api/v1/account/password': { currentPassword: STRONG_PASSWORD, newPassword: 'Another fine 42 password' },
  '/api/v1/account/2fa/totp': { currentPassword: STRONG_PASSWORD },
  '/api/v1/account/2fa/totp/confirm': { currentPassword: STRONG_PASSWORD, code: '123456' },
  '/api/v1/account/2fa/recovery-codes': { currentPassword: STRONG_PASSWORD },
  '/api/v1/account/2fa': { currentPassword: STRONG_PASSWORD },
  '/api/v1/account/2fa/passkeys/registration': { currentPassword: STRONG_PASSWORD },
  '/api/v1/account/2fa/passkeys': { name: 'My key', response: { id: 'a', rawId: 'a', type: 'public-key', response: {} } },
  '/api/v1/account/2fa/passkeys/:id': { currentPassword: STRONG_PASSWORD },
  '/api/v1/offline-reset/code': { challenge: 'VGL260101ABCDEFGH 0000-0000-0000-0000-0000-0000' },
  '/api/v1/password/forgot': { email: OWNER },
  '/api/v1/password/forgot/verify': { requestId: 'no-such-request', code: '12345678' },
  '/api/v1/password/reset': { grant: 'no-such-grant', newPassword: STRONG_PASSWORD },
  '/api/v1/account-recovery': { grant: 'no-such-grant' },
  '/api/v1/account-recovery/cancel': { token: 'no-such-token' },
  '/api/v1/devices/bind': { serial: 'VGL2612070AAAAAAAA', labelCode: 'AAAA-BBBB-CCCC-DDDD' },
  '/api/v1/devices/VGL2612070AAAAAAAA/reset': { username: 'admin', newPassword: STRONG_PASSWORD },
};

describe('generated input against the cloud', () => {
  it('the list of routes under test is every route the cloud has', () => {
    const served = printedRoutes(cloud.app).filter((r) => !r.startsWith('HEAD '));
    expect(served.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.route ?? r.path}`).sort());
  });

  it('generated JSON bodies (wrong types, missing and extra fields, odd and huge strings, deep nesting): never a 5xx, nothing written when refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES).chain((route) => fc.tuple(fc.constant(route), jsonBody(route.keys ?? []))),
        async ([route, body]) => {
          // A route that takes a body gets it by its method; any other path gets a POST (answered 404).
          await exercise(post(route.path, body, 'application/json', route.keys ? route.method : 'POST'), (res) => {
            // Ill-formed text is refused at the edge, whatever else is wrong (an oversize body is refused sooner).
            if (holdsLoneSurrogate(body) && res.status !== 413) expect(JSON.parse(res.text).error.code, body.slice(0, 200)).toBe('invalid_text');
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('each field of a right-looking body replaced by a wrong type, an ill-formed, NUL or huge string, or left out: refused with 400, nothing written', async () => {
    const wrongValue = fc.oneof(
      anyJson.filter((v) => typeof v !== 'string'),
      fc.tuple(fc.string({ maxLength: 10 }), loneSurrogate, fc.string({ maxLength: 10 })).map(([a, s, b]) => a + s + b),
      fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}\u0000${b}@example.com`),
      fc.integer({ min: 2000, max: 60_000 }).map((n) => 'x'.repeat(n)),
      fc.constant(undefined), // the field left out
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES).chain((route) => fc.tuple(fc.constant(route), fc.constantFrom(...route.keys!), wrongValue)),
        async ([route, key, value]) => {
          // A NUL in a password is text like any other: only stored text (addresses, ids) refuses it.
          fc.pre(!(/^(password|currentPassword|newPassword)$/.test(key) && typeof value === 'string' && isWellFormedText(value) && value.length <= 1024));
          // Forgot password takes an email address or a phone number: the one not given is no fault.
          fc.pre(!(key === 'phone' && value === undefined));
          // A remote reset's new password is optional: without it the recorder hands back a grant for the LAN.
          fc.pre(!(route.route === '/api/v1/devices/:serial/reset' && key === 'newPassword' && value === undefined));
          const body = JSON.stringify({ ...WELL_FORMED[route.path], [key]: value });
          await exercise(post(route.path, body, 'application/json', route.method), (res) => expect(res.status, `${route.path} ${key}=${body.slice(0, 120)}`).toBe(400));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('bodies that are not JSON, or not what their content type says: never a 5xx, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BODY_ROUTES), rawBody, fc.constantFrom(...CONTENT_TYPES), async (route, body, contentType) => {
        await exercise(post(route.path, body, contentType, route.method));
      }),
      { numRuns: RUNS },
    );
  });

  it('broken URLs, unknown paths and wrong methods: answered as JSON errors', async () => {
    const anyMethod = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS');
    const url = fc.constantFrom(...ROUTES).chain((route) =>
      fc.oneof(
        fc.tuple(urlJunk, fc.nat()).map(([junk, at]) => {
          const i = 1 + (at % route.path.length);
          return route.path.slice(0, i) + junk + route.path.slice(i);
        }),
        urlJunk.map((junk) => route.path + junk),
        weirdString.map((q) => `${route.path}?${encodeURI(q.replace(/[\ud800-\udfff]/g, '')).slice(0, 3000)}`),
        fc.constant(`${route.path}/${'a'.repeat(200)}`),
      ),
    );
    await fc.assert(
      fc.asyncProperty(anyMethod, url, async (method, path) => {
        const res = await exercise({ method, path, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
        expect(res.headers['x-content-type-options'], path).toBe('nosniff');
      }),
      { numRuns: RUNS },
    );
  });

  it('the generators reached every layer: the schema, the edge checks, the parser and the router', () => {
    expect([...errorCodesSeen].sort()).toEqual(
      expect.arrayContaining(['invalid_json', 'invalid_request', 'invalid_text', 'not_found', 'payload_too_large', 'unsupported_media_type']),
    );
  });
});

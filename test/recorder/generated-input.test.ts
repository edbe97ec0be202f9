// "Bad input never produces a 500, a crash or a partial write": generated requests against a
// real recorder, for every API route, before and after activation, logged in and not.
import { generateKeyPairSync } from 'node:crypto';
import { Agent } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttemptThrottle } from '../../src/identity/lockout/attempt-throttle.js';
import { TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { ApiClient } from '../helpers/client.js';
import {
  anyJson,
  CONTENT_TYPES,
  jsonBody,
  oddChar,
  printable,
  rawBody,
  sendRaw,
  urlJunk,
  weirdString,
  type RawRequest,
  type RawResponse,
} from '../helpers/generated-input.js';
import { liftAllLockouts, startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { printedRoutes } from '../helpers/routes.js';

/** The admin password: recognisable, so a leak into a response or a log line is found. */
const MARKER = 'Quokka-MARKER-7fz4 lantern harbour';
/** Another acceptable password. */
const OTHER = 'Quiet harbour 47 velvet anchor';
const RUNS = 150;
const ALLOWED_STATUSES = new Set([200, 201, 202, 204, 400, 401, 403, 404, 409, 413, 415, 422, 429]);
const SOURCE_IP = '127.0.0.1';

type Access = 'anyone' | 'public' | 'session' | 'admin';
interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  access: Access;
  /** Body properties of a JSON route. */
  keys?: readonly string[];
}

/** Every API route; a test below checks this list against the routes the app really has. */
const ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/api/v1/device', access: 'anyone' },
  { method: 'GET', path: '/api/v1/storage', access: 'session' },
  { method: 'GET', path: '/api/v1/storage/history', access: 'admin' },
  { method: 'GET', path: '/api/v1/openapi.json', access: 'anyone' },
  { method: 'POST', path: '/api/v1/activate', access: 'anyone', keys: ['labelCode', 'password'] },
  { method: 'POST', path: '/api/v1/password-strength', access: 'anyone', keys: ['password', 'username'] },
  { method: 'POST', path: '/api/v1/sessions', access: 'public', keys: ['username', 'password'] },
  { method: 'GET', path: '/api/v1/sessions', access: 'session' },
  { method: 'DELETE', path: '/api/v1/sessions/current', access: 'session' },
  { method: 'DELETE', path: '/api/v1/sessions/:id', access: 'session' },
  { method: 'GET', path: '/api/v1/me', access: 'session' },
  { method: 'POST', path: '/api/v1/me/password', access: 'session', keys: ['currentPassword', 'newPassword'] },
  { method: 'GET', path: '/api/v1/audit', access: 'admin' },
  { method: 'GET', path: '/api/v1/audit/verify', access: 'admin' },
  { method: 'GET', path: '/api/v1/audit/event-types', access: 'admin' },
  { method: 'GET', path: '/api/v1/audit/export.csv', access: 'admin' },
  { method: 'GET', path: '/api/v1/users', access: 'admin' },
  { method: 'POST', path: '/api/v1/users', access: 'admin', keys: ['username', 'role', 'permissions'] },
  { method: 'GET', path: '/api/v1/users/:id', access: 'admin' },
  { method: 'PATCH', path: '/api/v1/users/:id', access: 'admin', keys: ['role', 'permissions'] },
  { method: 'DELETE', path: '/api/v1/users/:id', access: 'admin' },
  { method: 'POST', path: '/api/v1/users/:id/password-reset', access: 'admin' },
  { method: 'GET', path: '/api/v1/me/notification-email', access: 'session' },
  { method: 'PUT', path: '/api/v1/me/notification-email', access: 'session', keys: ['email', 'currentPassword'] },
  { method: 'GET', path: '/api/v1/settings/mail', access: 'admin' },
  { method: 'PUT', path: '/api/v1/settings/mail', access: 'admin', keys: ['enabled', 'host', 'port', 'security', 'username', 'password', 'from'] },
  { method: 'POST', path: '/api/v1/settings/mail/test', access: 'admin', keys: ['to'] },
  { method: 'GET', path: '/api/v1/settings/password-age', access: 'admin' },
  { method: 'PUT', path: '/api/v1/settings/password-age', access: 'admin', keys: ['maxPasswordAgeDays'] },
  { method: 'GET', path: '/api/v1/settings/login-allow-list', access: 'admin' },
  { method: 'PUT', path: '/api/v1/settings/login-allow-list', access: 'admin', keys: ['enabled', 'entries', 'confirm'] },
  { method: 'GET', path: '/api/v1/security/checkup', access: 'admin' },
  { method: 'POST', path: '/api/v1/sessions/second-factor', access: 'public', keys: ['challenge', 'totp', 'recoveryCode', 'webauthn'] },
  { method: 'GET', path: '/api/v1/me/2fa', access: 'session' },
  { method: 'POST', path: '/api/v1/me/2fa/totp', access: 'session', keys: ['currentPassword'] },
  { method: 'POST', path: '/api/v1/me/2fa/totp/confirm', access: 'session', keys: ['currentPassword', 'code'] },
  { method: 'POST', path: '/api/v1/me/2fa/recovery-codes', access: 'session', keys: ['currentPassword'] },
  { method: 'POST', path: '/api/v1/me/2fa/disable', access: 'session', keys: ['currentPassword'] },
  { method: 'GET', path: '/api/v1/me/2fa/passkeys', access: 'session' },
  { method: 'POST', path: '/api/v1/me/2fa/passkeys/registration', access: 'session', keys: ['currentPassword'] },
  { method: 'POST', path: '/api/v1/me/2fa/passkeys', access: 'session', keys: ['name', 'response'] },
  { method: 'POST', path: '/api/v1/me/2fa/passkeys/:id/remove', access: 'session', keys: ['currentPassword'] },
  { method: 'GET', path: '/api/v1/settings/two-factor', access: 'admin' },
  { method: 'PUT', path: '/api/v1/settings/two-factor', access: 'admin', keys: ['required', 'currentPassword'] },
  { method: 'GET', path: '/api/v1/lockouts', access: 'admin' },
  { method: 'DELETE', path: '/api/v1/lockouts/:id', access: 'admin' },
  { method: 'POST', path: '/api/v1/recovery/reset', access: 'public', keys: ['token', 'newPassword', 'clearTwoFactor'] },
  { method: 'GET', path: '/api/v1/recovery/readiness', access: 'admin' },
  { method: 'GET', path: '/api/v1/settings/recovery', access: 'admin' },
  { method: 'PUT', path: '/api/v1/settings/recovery', access: 'admin', keys: ['weakPathsLanOnly', 'questionBlockMinutes'] },
  { method: 'GET', path: '/api/v1/me/recovery/questions', access: 'admin' },
  { method: 'PUT', path: '/api/v1/me/recovery/questions', access: 'admin', keys: ['currentPassword', 'questions'] },
  { method: 'POST', path: '/api/v1/recovery/questions', access: 'public', keys: ['username'] },
  { method: 'POST', path: '/api/v1/recovery/questions/verify', access: 'public', keys: ['username', 'answers', 'totp', 'recoveryCode'] },
  { method: 'GET', path: '/api/v1/me/recovery/key', access: 'admin' },
  { method: 'POST', path: '/api/v1/me/recovery/key', access: 'admin', keys: ['currentPassword', 'totp', 'recoveryCode'] },
  { method: 'POST', path: '/api/v1/recovery/key/verify', access: 'public', keys: ['file'] },
  { method: 'POST', path: '/api/v1/recovery/button/verify', access: 'public', keys: ['username', 'labelCode'] },
  { method: 'POST', path: '/api/v1/device/restore-defaults', access: 'admin', keys: ['confirm', 'currentPassword'] },
  { method: 'POST', path: '/api/v1/device/factory-reset', access: 'admin', keys: ['confirm', 'currentPassword'] },
  { method: 'GET', path: '/api/v1/device/cloud', access: 'admin' },
  { method: 'POST', path: '/api/v1/device/cloud/unbind', access: 'admin', keys: ['currentPassword'] },
  { method: 'GET', path: '/api/v1/me/recovery/contacts', access: 'admin' },
  { method: 'PUT', path: '/api/v1/me/recovery/contacts/:channel', access: 'admin', keys: ['address', 'currentPassword'] },
  { method: 'POST', path: '/api/v1/me/recovery/contacts/:channel/confirm', access: 'admin', keys: ['code'] },
  { method: 'POST', path: '/api/v1/me/recovery/contacts/:channel/remove', access: 'admin', keys: ['currentPassword'] },
  { method: 'PUT', path: '/api/v1/me/recovery/hint', access: 'admin', keys: ['hint', 'currentPassword'] },
  { method: 'GET', path: '/api/v1/settings/sms-gateway', access: 'admin' },
  { method: 'PUT', path: '/api/v1/settings/sms-gateway', access: 'admin', keys: ['enabled', 'url', 'authorization'] },
  { method: 'POST', path: '/api/v1/recovery/code', access: 'public', keys: ['username', 'channel', 'address'] },
  { method: 'POST', path: '/api/v1/recovery/code/verify', access: 'public', keys: ['requestId', 'code', 'totp', 'recoveryCode'] },
  { method: 'POST', path: '/api/v1/recovery/hint', access: 'public', keys: ['username', 'address'] },
  { method: 'POST', path: '/api/v1/recovery/support/request', access: 'public', keys: ['username'] },
  { method: 'POST', path: '/api/v1/recovery/support/verify', access: 'public', keys: ['file'] },
  { method: 'GET', path: '/api/v1/recovery/support/vendor-key', access: 'admin' },
  { method: 'POST', path: '/api/v1/recovery/cloud/challenge', access: 'public' },
  { method: 'POST', path: '/api/v1/recovery/cloud/verify', access: 'public', keys: ['username', 'code'] },
  { method: 'GET', path: '/api/v1/recovery/cloud/pending', access: 'public' },
  { method: 'POST', path: '/api/v1/recovery/cloud/pending/claim', access: 'public', keys: ['claimToken'] },
  { method: 'POST', path: '/api/v1/recovery/cloud/pending/cancel', access: 'public' },
  { method: 'GET', path: '/api/v1/settings/cloud-reset', access: 'admin' },
  { method: 'PUT', path: '/api/v1/settings/cloud-reset', access: 'admin', keys: ['waitHours'] },
  { method: 'POST', path: '/api/v1/settings/cloud-reset/cancel-pending', access: 'admin' },
  { method: 'GET', path: '/api/v1/cameras', access: 'session' },
  { method: 'POST', path: '/api/v1/cameras', access: 'admin', keys: ['name', 'url', 'username', 'password', 'transport', 'enabled'] },
  { method: 'POST', path: '/api/v1/cameras/probe', access: 'admin', keys: ['url', 'username', 'password', 'transport'] },
  { method: 'POST', path: '/api/v1/cameras/discovery', access: 'admin' },
  { method: 'POST', path: '/api/v1/lan-devices/scan', access: 'admin' },
  { method: 'POST', path: '/api/v1/cameras/activate', access: 'admin', keys: ['name', 'deviceUrl', 'labelCode'] },
  { method: 'POST', path: '/api/v1/cameras/onvif', access: 'admin', keys: ['name', 'deviceUrl', 'username', 'password', 'transport'] },
  { method: 'GET', path: '/api/v1/cameras/:id', access: 'session' },
  { method: 'PATCH', path: '/api/v1/cameras/:id', access: 'admin', keys: ['name', 'url', 'username', 'password', 'transport', 'enabled'] },
  { method: 'DELETE', path: '/api/v1/cameras/:id', access: 'admin' },
  { method: 'POST', path: '/api/v1/cameras/:id/probe', access: 'admin', keys: ['url', 'username', 'password', 'transport'] },
  { method: 'POST', path: '/api/v1/cameras/:id/password/reveal', access: 'admin', keys: ['currentPassword', 'totp', 'recoveryCode'] },
  { method: 'GET', path: '/api/v1/cameras/password-rotation', access: 'admin' },
  { method: 'POST', path: '/api/v1/cameras/password-rotation', access: 'admin', keys: ['cameraIds'] },
  { method: 'GET', path: '/api/v1/cameras/password-rotation/jobs/:jobId', access: 'admin' },
  { method: 'PUT', path: '/api/v1/cameras/password-rotation/schedule', access: 'admin', keys: ['everyDays'] },
  { method: 'PUT', path: '/api/v1/cameras/:id/password', access: 'admin', keys: ['currentPassword', 'newPassword'] },
  { method: 'PUT', path: '/api/v1/cameras/:id/recording-mode', access: 'admin', keys: ['mode'] },
  { method: 'GET', path: '/api/v1/cameras/:id/events', access: 'session' },
  { method: 'GET', path: '/api/v1/cameras/:id/live', access: 'session' },
  { method: 'GET', path: '/api/v1/cameras/:id/snapshot.jpg', access: 'session' },
  { method: 'GET', path: '/api/v1/cameras/:id/recordings', access: 'session' },
  { method: 'GET', path: '/api/v1/cameras/:id/playback', access: 'session' },
  { method: 'GET', path: '/api/v1/cameras/:id/export.mp4', access: 'session' },
];

/** Methods whose requests carry a JSON body. */
const hasBody = (route: RouteSpec) => route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';

let rec: TestRecorder;
let db: Database.Database;
let agent: Agent;
let port: number;
let session: { cookie: string; csrfToken: string } | undefined;
/** How many responses were checked, and which error codes they carried: proof the generators reach every layer. */
let responsesSeen = 0;
const errorCodesSeen = new Set<string>();

function send(req: RawRequest): Promise<RawResponse> {
  return sendRaw(port, agent, req);
}

// ---------------------------------------------------------------------------------------------
// What must hold after every request.

function snapshot() {
  const store = rec.running.ctx.store;
  const device = store.getDevice()!;
  const admin = store.findUserByUsername('admin');
  const counts = db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM users) AS users,
              (SELECT COUNT(*) FROM sessions) AS sessions,
              (SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL) AS liveSessions,
              (SELECT COUNT(*) FROM user_permissions) AS grants,
              (SELECT COUNT(*) FROM device) AS devices`,
    )
    .get() as { users: number; sessions: number; liveSessions: number; grants: number; devices: number };
  return {
    activatedAt: device.activatedAt,
    serial: device.serial,
    labelCodeHash: device.labelCodeHash,
    serverSecret: device.serverSecret.toString('hex'),
    admin: admin && {
      id: admin.id,
      role: admin.role,
      passwordHash: admin.passwordHash,
      passwordChangedAt: admin.passwordChangedAt,
      oneTimePasswordExpiresAt: admin.oneTimePasswordExpiresAt,
    },
    adminLiveSessionIds: admin ? store.listSessions(admin.id).map((s) => s.id) : [],
    ...counts,
  };
}

function secretsIn(text: string): string[] {
  const found: string[] = [];
  const labelCompact = rec.labelCode.replace(/-/g, '');
  for (const secret of [MARKER, rec.labelCode, labelCompact]) {
    if (text.includes(secret) || text.toLowerCase().includes(secret.toLowerCase())) found.push(secret);
  }
  return found;
}

/** The shape every answer must have, whatever was asked. */
function checkResponse(req: RawRequest, res: RawResponse): void {
  responsesSeen++;
  const what = `${req.method} ${req.path.slice(0, 120)} → ${res.status} ${res.text.slice(0, 300)}`;
  expect(ALLOWED_STATUSES.has(res.status), what).toBe(true);
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400 && req.method !== 'HEAD') {
    expect(String(res.headers['content-type']), what).toMatch(/^application\/json/);
    const body: unknown = JSON.parse(res.text);
    expect(body, what).toEqual({
      error: expect.objectContaining({ code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) }),
    });
    const error = (body as { error: Record<string, unknown> }).error;
    expect(Object.keys(error).every((k) => ['code', 'message', 'details'].includes(k)), what).toBe(true);
    expect((error.message as string).length, what).toBeGreaterThan(0);
    errorCodesSeen.add(error.code as string);
  }
  if (res.status === 204) expect(res.text, what).toBe('');
  if (res.status === 429) expect(res.headers['retry-after'], what).toMatch(/^\d+$/);
  // Never the password or the label code, in any body or header.
  expect(secretsIn(res.text + JSON.stringify(res.headers)), what).toEqual([]);
  // No request here may start a session: a session cookie may only be cleared.
  for (const cookie of [res.headers['set-cookie'] ?? []].flat()) {
    if (cookie.startsWith('__Host-vigil_session=')) expect(cookie, what).toMatch(/^__Host-vigil_session=;/);
  }
}

/** Forgets this address in every throttle of the recorder, so the requests keep reaching the handlers. */
async function clearThrottles(): Promise<void> {
  for (const value of Object.values(rec.running.ctx)) if (value instanceof AttemptThrottle) value.clear(SOURCE_IP);
  await liftAllLockouts(rec);
}

/** Sends one request, checks its answer, that nothing changed, and that the server still answers. */
async function exercise(req: RawRequest, expectAlso?: (res: RawResponse) => void): Promise<RawResponse> {
  await clearThrottles();
  const before = snapshot();
  const res = await send(req);
  checkResponse(req, res);
  expectAlso?.(res);
  expect(snapshot(), `${req.method} ${req.path.slice(0, 80)} changed the database`).toEqual(before);
  const health = await send({ method: 'GET', path: '/api/v1/device' });
  expect(health.status).toBe(200);
  expect(JSON.parse(health.text).activated).toBe(before.activatedAt !== null);
  return res;
}

// ---------------------------------------------------------------------------------------------
// Generators.

function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?')); // lone surrogates cannot be encoded
  }
}

function leniencyDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const hexId = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** A `:id` for DELETE /api/v1/sessions/:id; never one that could mean the current session. */
const sessionIdParam = fc
  .oneof(
    hexId(24), // the right form: no such session of mine
    fc.integer({ min: 0, max: 40 }).chain(hexId),
    hexId(24).map((s) => s.toUpperCase()),
    fc.string({ unit: 'binary', maxLength: 60 }).map(safeEncode),
    printable.map(safeEncode),
    fc.tuple(hexId(12), urlJunk, hexId(11)).map(([a, j, b]) => a + j + b),
    fc.integer({ min: 90, max: 3000 }).map((n) => 'a'.repeat(n)), // past the router's maxParamLength (100)
    fc.constantFrom('.', '..', '%2e%2e', '%00', '%2F', 'null', 'undefined', '0', '-1', '1e3', '[]', '{}', '%20', 'CURRENT'),
  )
  .filter((id) => !leniencyDecode(id).toLowerCase().includes('current') && !id.includes('?') && !id.includes('#'));

/**
 * A `:id` for /api/v1/users/:id: numbers (1 is the admin under test, who may not delete or reset
 * themselves, nor stop being the last admin), almost-numbers, and the session id junk.
 */
const userIdParam = fc.oneof(
  fc.integer({ min: 1, max: 2 ** 31 }).map(String),
  fc.constantFrom('1', '2', '0', '01', '-1', '1e3', '1.0', '%201', '0x1', '99999999999', '1%00'),
  sessionIdParam,
);

const idParamFor = (route: RouteSpec) => (route.path.startsWith('/api/v1/users/') || route.path.startsWith('/api/v1/cameras/') ? userIdParam : sessionIdParam);

function concretePath(route: RouteSpec, id: string): string {
  return route.path.replace(/:(id|jobId)\b/, id);
}

/** A route's URL with junk inserted somewhere, or a junk query string. */
function mangledUrl(route: RouteSpec): fc.Arbitrary<string> {
  const base = idParamFor(route).map((id) => concretePath(route, id));
  return fc.oneof(
    fc.tuple(base, urlJunk, fc.nat()).map(([p, junk, at]) => {
      const i = 1 + (at % p.length);
      return p.slice(0, i) + junk + p.slice(i);
    }),
    fc.tuple(base, urlJunk).map(([p, junk]) => p + junk),
    fc.tuple(base, fc.array(fc.oneof(urlJunk, printable), { maxLength: 6 })).map(([p, parts]) => `${p}?${parts.join('')}`),
    fc.tuple(base, printable).map(([p, q]) => `${p}?${q.replace(/#/g, '')}`),
  );
}

/** Request headers a browser, a script or an attacker might add. */
function extraHeaders(): fc.Arbitrary<Record<string, string | undefined>> {
  return fc.record(
    {
      origin: fc.constantFrom(`http://127.0.0.1:${port}`, 'null', 'http://evil.example', 'garbage', 'http://127.0.0.1', `http://localhost:${port}`),
      accept: fc.constantFrom('*/*', 'text/html', 'application/xml', ''),
      'user-agent': printable,
      'x-forwarded-for': fc.constantFrom('10.9.8.7', '1.2.3.4, 127.0.0.1', 'garbage'),
      'accept-version': fc.constantFrom('1.0.0', '*', 'x'),
    },
    { requiredKeys: [] },
  );
}

type Auth = 'none' | 'session';

/** Cookie and CSRF headers: in session mode usually right, sometimes missing or wrong. */
function authHeaders(auth: Auth, route: RouteSpec): fc.Arbitrary<Record<string, string | undefined>> {
  const garbageCookie = fc.oneof(printable.map((v) => `__Host-vigil_session=${v.replace(/;/g, '')}`), printable.map((v) => v.replace(/;/g, '')));
  if (auth === 'none') {
    return fc.record({ cookie: garbageCookie, 'x-csrf-token': printable }, { requiredKeys: [] });
  }
  const s = session!;
  // Logging out (DELETE /sessions/current with the right token) would end the session under test.
  const csrfChoices = route.path.endsWith('/current')
    ? fc.constantFrom(undefined, 'wrong', s.csrfToken.slice(1))
    : fc.oneof({ weight: 8, arbitrary: fc.constant(s.csrfToken) }, { weight: 2, arbitrary: fc.constantFrom(undefined, '', 'x', s.csrfToken.toUpperCase()) });
  return fc.record({
    cookie: fc.oneof({ weight: 9, arbitrary: fc.constant(s.cookie) }, { weight: 1, arbitrary: garbageCookie }),
    'x-csrf-token': csrfChoices,
  });
}

function routeRequests(auth: Auth, bodyFor: (route: RouteSpec) => fc.Arbitrary<{ body?: string | Buffer; contentType?: string }>) {
  return fc.constantFrom(...ROUTES).chain((route) =>
    fc.record({
      route: fc.constant(route),
      id: idParamFor(route),
      payload: bodyFor(route),
      extra: extraHeaders(),
      auth: authHeaders(auth, route),
      head: route.method === 'GET' ? fc.boolean() : fc.constant(false),
    }),
  );
}

function toRequest(r: {
  route: RouteSpec;
  id: string;
  payload: { body?: string | Buffer; contentType?: string };
  extra: Record<string, string | undefined>;
  auth: Record<string, string | undefined>;
  head: boolean;
}): RawRequest {
  const withBody = r.route.method !== 'GET' || r.payload.body !== undefined;
  return {
    method: r.head ? 'HEAD' : r.route.method,
    path: concretePath(r.route, r.id),
    headers: { ...r.extra, ...r.auth, 'content-type': r.payload.contentType },
    body: withBody && !r.head ? r.payload.body : undefined,
  };
}

const jsonPayload = (route: RouteSpec) =>
  fc.record({
    body: route.method === 'GET' ? fc.option(jsonBody(['x']), { nil: undefined }) : jsonBody(route.keys ?? []),
    contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8'),
  });

const rawPayload = () =>
  fc.record({ body: fc.option(rawBody, { nil: undefined }), contentType: fc.constantFrom(...CONTENT_TYPES) });

/** A password the policy must reject whatever surrounds it: it contains the product name. */
const rejectedPassword = fc.oneof(
  fc.tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 })).map(([a, b]) => `${a} vigil ${b}`),
  // Odd but well-formed: text with lone surrogates is refused at the edge (400), before any policy.
  fc.tuple(fc.string({ unit: oddChar, maxLength: 20 }), printable).map(([a, b]) => `${a} VIGIL ${b}`),
  fc.string({ maxLength: 3 }).filter((s) => s.length > 0), // too short, even once normalised
  fc.integer({ min: 129, max: 1024 }).map((n) => 'x'.repeat(n)), // too long
  fc.constantFrom('password', 'Password1', '12345678', 'admin admin admin', 'qwertyuiop', 'iloveyou'),
);

/** Wrong passwords that contain the real one, so a leak of either shows up. */
const markerVariant = fc
  .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
  .filter(([a, b]) => a.length + b.length > 0)
  .map(([a, b]) => a + MARKER + b);

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  // With a vendor key, so the vendor support routes read what they are sent instead of answering 409.
  rec = await startTestRecorder({ vendorPublicKey: generateKeyPairSync('ed25519').publicKey });
  // Bound to a cloud account, so the cloud reset routes read what they are sent instead of answering 409.
  rec.running.ctx.cloudBinding.bind({ cloudUrl: 'wss://cloud.example.net', cloudPublicKey: 'unused', ownerLabel: 'o***@example.net', boundAt: 0 }, Buffer.alloc(32, 1));
  port = Number(new URL(rec.url).port);
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
  db = new Database(join(rec.dataDir, 'vigil.db'), { readonly: true, fileMustExist: true });
});

afterAll(async () => {
  db?.close();
  agent?.destroy();
  await rec?.close();
});

describe('setup', () => {
  it('runs against a recorder with the cheap test argon2 parameters, inactive, with no users', () => {
    expect(rec.running.ctx.hasher.params).toEqual(TEST_ARGON2);
    const s = snapshot();
    expect(s.activatedAt).toBeNull();
    expect(s.users).toBe(0);
    expect(s.sessions).toBe(0);
    expect(s.devices).toBe(1);
  });

  it('the route list covers every API route the app has', () => {
    const app = rec.running.app;
    for (const route of ROUTES) expect(app.hasRoute({ method: route.method, url: route.path }), route.path).toBe(true);
    const listed = printedRoutes(app).filter((r) => !r.startsWith('HEAD ') && r.includes(' /api/'));
    const ours = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    expect([...new Set(listed)].sort()).toEqual([...ours].sort());
  });
});

describe('router errors (found by this file: they bypassed the error handler)', () => {
  it.each([
    ['GET', '/api/v1/device%'],
    ['GET', '/api/v1/%zz'],
    ['POST', '/api/v1/activate%E0%A4%A'],
    ['DELETE', '/api/v1/sessions/%C0%AF'],
    ['DELETE', `/api/v1/sessions/${'a'.repeat(101)}`], // over the router's maxParamLength: was a 414
    ['DELETE', `/api/v1/sessions/${'%41'.repeat(200)}`],
  ])('%s %s is a 400 in the API error format, with the usual headers', async (method, path) => {
    const res = await exercise({ method, path });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ error: { code: 'invalid_request', message: expect.stringMatching(/URL/) } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

/** Bodies that are not JSON and URLs that are not well formed, against every route. */
function malformedRequestTests(): void {
  it('non-JSON bodies and wrong content types, for every route', async () => {
    await fc.assert(
      fc.asyncProperty(routeRequests('none', rawPayload), async (r) => {
        await exercise(toRequest(r));
      }),
      { numRuns: RUNS },
    );
  });

  it('malformed URLs (percent-encoding, traversal, odd :id, junk query strings), for every route', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES).chain((route) => fc.record({ route: fc.constant(route), path: mangledUrl(route) })),
        async ({ route, path }) => {
          await exercise({
            method: route.method,
            path,
            headers: hasBody(route) ? { 'content-type': 'application/json' } : {},
            body: hasBody(route) ? '{}' : undefined,
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
}

describe('before activation', () => {
  it('generated JSON bodies, for every route', async () => {
    await fc.assert(
      fc.asyncProperty(routeRequests('none', jsonPayload), async (r) => {
        await exercise(toRequest(r), (res) => {
          // 413: an oversized body is refused before routing, whatever the device state.
          if (r.route.access !== 'anyone' && ![400, 403, 404, 413].includes(res.status)) {
            throw new Error(`${r.route.path} answered ${res.status} on an inactive device`);
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  malformedRequestTests();

  it('a wrong label code is refused (403) whatever the password, and the device stays inactive', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 64 }), fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZIOLUabc- '), minLength: 16, maxLength: 25 })),
        fc.oneof(fc.string({ minLength: 1, maxLength: 64 }), fc.constant(MARKER), markerVariant),
        async (labelCode, password) => {
          await exercise(
            { method: 'POST', path: '/api/v1/activate', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ labelCode, password }) },
            (res) => {
              expect(res.status).toBe(403);
              expect(JSON.parse(res.text).error.code).toBe('invalid_label_code');
            },
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the right label code with a rejected password is refused (422), and the device stays inactive', async () => {
    const typed = fc.constantFrom(
      rec.labelCode,
      rec.labelCode.toLowerCase(),
      rec.labelCode.replace(/-/g, ' '),
      rec.labelCode.replace(/-/g, ''),
      ` ${rec.labelCode.toLowerCase().replace(/-/g, '')} `,
    );
    await fc.assert(
      fc.asyncProperty(typed, rejectedPassword, async (labelCode, password) => {
        await exercise(
          { method: 'POST', path: '/api/v1/activate', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ labelCode, password }) },
          (res) => {
            expect(res.status).toBe(422);
            const body = JSON.parse(res.text);
            expect(body.error.code).toBe('password_rejected');
            expect(body.error.details.reasons.length).toBeGreaterThan(0);
          },
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('the right label code with a password of the wrong type is refused (400)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(anyJson.filter((v) => typeof v !== 'string'), fc.constant(''), weirdString.filter((s) => [...s].length > 1024)), // the schema's maxLength counts code points
        async (password) => {
          await exercise(
            {
              method: 'POST',
              path: '/api/v1/activate',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ labelCode: rec.labelCode, password }),
            },
            (res) => expect([400, 413]).toContain(res.status),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('activation', () => {
  it('activates with the marker password; the answer does not echo it', async () => {
    const client = new ApiClient(rec.url);
    const res = await client.post('/api/v1/activate', { labelCode: rec.labelCode.toLowerCase(), password: MARKER });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ username: 'admin' });
    expect(snapshot().users).toBe(1);

    const login = await client.login('admin', MARKER);
    expect(login.status).toBe(201);
    expect(secretsIn(JSON.stringify(login.body))).toEqual([]);
    session = { cookie: client.cookie!, csrfToken: client.csrfToken! };
    const s = snapshot();
    expect(s.activatedAt).not.toBeNull();
    expect(s.liveSessions).toBe(1);
    expect(s.adminLiveSessionIds).toHaveLength(1);
  });
});

describe('after activation, not logged in', () => {
  it('generated JSON bodies, for every route', async () => {
    await fc.assert(
      fc.asyncProperty(routeRequests('none', jsonPayload), async (r) => {
        await exercise(toRequest(r), (res) => {
          if (r.route.access === 'session' || r.route.access === 'admin') expect([400, 401, 403, 404, 413]).toContain(res.status);
        });
      }),
      { numRuns: RUNS },
    );
  });

  malformedRequestTests();

  it('a second activation is refused (409) and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(rec.labelCode, 'AAAA-BBBB-CCCC-DDDD', ''), fc.oneof(fc.constant(OTHER), markerVariant), async (labelCode, password) => {
        await exercise(
          { method: 'POST', path: '/api/v1/activate', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ labelCode, password }) },
          (res) => {
            expect(res.status).toBe(409);
            expect(JSON.parse(res.text).error.code).toBe('already_activated');
          },
        );
      }),
      { numRuns: 30 },
    );
  });

  it('wrong passwords (containing the real one) never log in, and are never echoed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('admin', 'Admin', 'ADMIN', 'admin ', 'root', 'a\u0000dmin', 'ad\u0301min'),
        fc.oneof(markerVariant, fc.constant(MARKER.toLowerCase()), fc.constant(MARKER.slice(0, -1))),
        async (username, password) => {
          fc.pre(!(username.toLowerCase() === 'admin' && password === MARKER));
          await exercise(
            { method: 'POST', path: '/api/v1/sessions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) },
            (res) => {
              expect(res.status).toBe(401);
              expect(JSON.parse(res.text).error.code).toBe('invalid_credentials');
            },
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});


describe('logged in', () => {
  it('generated JSON bodies, for every route', async () => {
    await fc.assert(
      fc.asyncProperty(routeRequests('session', jsonPayload), async (r) => {
        await exercise(toRequest(r));
      }),
      { numRuns: RUNS },
    );
  });

  it('non-JSON bodies and wrong content types, for every route', async () => {
    await fc.assert(
      fc.asyncProperty(routeRequests('session', rawPayload), async (r) => {
        await exercise(toRequest(r));
      }),
      { numRuns: RUNS },
    );
  });

  it('malformed URLs, for every route', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES).chain((route) => fc.record({ route: fc.constant(route), path: mangledUrl(route) })),
        async ({ route, path }) => {
          const s = session!;
          // Never the right token on a DELETE: a mangled URL must not be able to log us out.
          const csrf = route.method === 'DELETE' ? 'wrong' : s.csrfToken;
          await exercise({
            method: route.method,
            path,
            headers: { cookie: s.cookie, 'x-csrf-token': csrf, ...(hasBody(route) ? { 'content-type': 'application/json' } : {}) },
            body: hasBody(route) ? '{}' : undefined,
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('odd ids for DELETE /api/v1/sessions/:id are 400 or 404 and revoke nothing', async () => {
    await fc.assert(
      fc.asyncProperty(sessionIdParam, async (id) => {
        const s = session!;
        await exercise(
          { method: 'DELETE', path: `/api/v1/sessions/${id}`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken } },
          (res) => {
            expect([400, 404]).toContain(res.status);
            if (/^[0-9a-f]{24}$/.test(id)) expect(res.status).toBe(404);
          },
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('odd ids on every /users/:id route are 400, 403 or 409 (the admin themselves) or 404, and change nothing', async () => {
    const userRoutes = ROUTES.filter((r) => r.path.startsWith('/api/v1/users/:id'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...userRoutes), userIdParam, async (route, id) => {
        const s = session!;
        await exercise(
          {
            method: route.method,
            path: concretePath(route, id),
            headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, ...(hasBody(route) ? { 'content-type': 'application/json' } : {}) },
            body: route.method === 'PATCH' ? '{"role":"viewer"}' : hasBody(route) ? '{}' : undefined,
          },
          (res) => {
            expect(route.method === 'GET' && id === '1' ? [200] : [400, 403, 404, 409]).toContain(res.status);
            if (/^[1-9][0-9]{0,9}$/.test(id) && id !== '1') expect(res.status).toBe(404);
          },
        );
      }),
      // The admin under test on every route: the refusals of the last admin and of their own account.
      { numRuns: RUNS, examples: userRoutes.map((route) => [route, '1']) },
    );
  });

  it('a password change with a wrong current password (403) or a rejected new one (422) changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ currentPassword: markerVariant, newPassword: fc.oneof(fc.constant(OTHER), rejectedPassword), expected: fc.constant(403) }),
          fc.record({ currentPassword: fc.constant(MARKER), newPassword: rejectedPassword, expected: fc.constant(422) }),
        ),
        async ({ currentPassword, newPassword, expected }) => {
          const s = session!;
          await exercise(
            {
              method: 'POST',
              path: '/api/v1/me/password',
              headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': 'application/json' },
              body: JSON.stringify({ currentPassword, newPassword }),
            },
            (res) => expect(res.status, res.text).toBe(expected),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the session under test survived all of it', async () => {
    const s = session!;
    const res = await send({ method: 'GET', path: '/api/v1/me', headers: { cookie: s.cookie } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).user.username).toBe('admin');
    expect(secretsIn(res.text)).toEqual([]);
  });
});

describe('throttling and logs', () => {
  it('repeated failures end in 429 with a well-formed body and Retry-After', async () => {
    await clearThrottles();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const req = { method: 'POST', path: '/api/v1/sessions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `admin-${i}`, password: `${MARKER}${i}` }) };
      const res = await send(req);
      checkResponse(req, res);
      statuses.push(res.status);
    }
    // One failure per name (the address's throttle, not an account's lockout).
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Even the right password is refused while blocked, and no session is made.
    const before = snapshot();
    const blocked = await send({ method: 'POST', path: '/api/v1/sessions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: MARKER }) });
    expect(blocked.status).toBe(429);
    expect(snapshot()).toEqual(before);
    await clearThrottles();
  });

  it('the generated requests reached every layer: router, parser, schema, access control and handlers', () => {
    expect(responsesSeen).toBeGreaterThan(RUNS * 10);
    expect([...errorCodesSeen]).toEqual(
      expect.arrayContaining([
        'already_activated', // handler, after activation
        'cross_origin', // access control: Origin
        'csrf_failed', // access control: CSRF token
        'device_inactive', // access control: before activation
        'invalid_credentials', // login handler
        'invalid_current_password', // password change handler
        'invalid_json', // body parser
        'invalid_label_code', // activation handler
        'invalid_request', // schema validation, bad URLs
        'not_found', // router, DELETE /sessions/:id and /users/:id
        'last_admin', // PATCH /users/1 demoting the only admin
        'own_account', // DELETE /users/1 and its password reset
        'password_rejected', // password policy
        'payload_too_large', // body limit
        'too_many_attempts', // throttle
        'unauthenticated', // access control: session
        'unsupported_media_type', // content type
      ]),
    );
  });

  it('no log line holds the password or the label code, and nothing was logged as an unexpected error', () => {
    const all = rec.logs.join('');
    // The logs are really being written: failed activations and logins are there.
    expect(all).toContain('activation_failed');
    expect(all).toContain('login_failed');
    expect(secretsIn(all)).toEqual([]);
    const lines = rec.logs.flatMap((chunk) => chunk.split('\n')).filter(Boolean);
    const errors = lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
  });
});

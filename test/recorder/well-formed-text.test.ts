// Text that is not well-formed Unicode (lone UTF-16 surrogates, as JSON's "\ud800" makes) is
// refused at the edge on every route, and whatever the requests, `vigil recorder audit verify`
// still finds the log intact: nobody who reaches the login page can raise a false tamper alarm.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/recorder/db/store.js';
import { createAuditLog } from '../../src/recorder/audit/audit-log.js';
import { entryHash, GENESIS_HASH, verifyChain } from '../../src/identity/audit/chain.js';
import { AttemptThrottle } from '../../src/identity/lockout/attempt-throttle.js';
import { ManualClock } from '../../src/shared/clock.js';
import { isWellFormedText } from '../../src/shared/well-formed-text.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { runVigil } from '../helpers/cli.js';
import { liftAllLockouts, startTestRecorder, type TestRecorder } from '../helpers/recorder.js';

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnits = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength });

/** Holds at least one lone surrogate. */
const illFormed = fc
  .tuple(codeUnits(10), fc.integer({ min: 0xd800, max: 0xdfff }), codeUnits(10))
  .map(([a, s, b]) => a + String.fromCharCode(s) + b)
  .filter((s) => !isWellFormedText(s));

describe('the audit chain and text that is not well-formed', () => {
  const key = Buffer.alloc(32, 7);
  const fields = (actorUsername: string) => ({
    seq: 1,
    at: 1000,
    type: 'auth.login_failed',
    outcome: 'failure' as const,
    actorUserId: null,
    actorUsername,
    sourceIp: '127.0.0.1',
    target: `user:${actorUsername}`,
    details: JSON.stringify({ username: actorUsername }),
  });

  it('an entry hashed with a lone surrogate verifies as UTF-8 storage returns it (U+FFFD in its place)', () => {
    const hash = entryHash(key, GENESIS_HASH, fields('ad\ud800min'));
    const readBack = { ...fields('ad\ufffdmin'), details: JSON.stringify({ username: 'ad\ud800min' }), prevHash: GENESIS_HASH, hash };
    expect(verifyChain(key, [readBack], { seq: 1, hash })).toEqual({ checked: 1, problems: [] });
  });

  it('any UTF-16 code units in any text field: the SQLite audit log stores what it hashed, and verifies', () => {
    const db = openDatabase(':memory:');
    const log = createAuditLog(db, key, new ManualClock(0));
    fc.assert(
      fc.property(codeUnits(30), codeUnits(30), codeUnits(30), (username, target, detail) => {
        const appended = log.append({ type: 'auth.login_failed', outcome: 'failure', actor: { id: null, username }, target, details: { detail } });
        expect(log.query({ limit: 1 })[0]).toEqual(appended);
      }),
      { examples: [['\ud800', '\udfff', '\ud83d']] },
    );
    expect(log.verify().problems).toEqual([]);
    db.close();
  });
});

describe('every route, with text of any UTF-16 code units', () => {
  let rec: TestRecorder;
  let admin: ApiClient;
  /** Each JSON route, with the properties of its body. */
  let routes: { method: string; path: string; keys: string[] }[];

  beforeAll(async () => {
    rec = await startTestRecorder();
    await activate(rec);
    admin = await loggedInAdmin(rec);
    const doc = (await admin.get('/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>>;
    };
    routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.requestBody?.content['application/json'])
        .map(([method, operation]) => ({
          method: method.toUpperCase(),
          path: path.replace('{id}', '1').replace('{channel}', 'email'),
          keys: Object.keys(operation.requestBody!.content['application/json']!.schema.properties ?? { text: {} }),
        })),
    );
  });
  afterAll(() => rec.close());

  /** Lets every request reach its handler: no throttle or lockout from the failures so far. */
  async function clearThrottles(): Promise<void> {
    for (const value of Object.values(rec.running.ctx)) if (value instanceof AttemptThrottle) value.clear('127.0.0.1');
    await liftAllLockouts(rec);
  }

  it('the routes under test are every JSON route, the login and recovery requests among them', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'POST', path: '/api/v1/sessions', keys: ['username', 'password'] },
        expect.objectContaining({ method: 'POST', path: '/api/v1/recovery/questions' }),
        expect.objectContaining({ method: 'POST', path: '/api/v1/recovery/code' }),
      ]),
    );
  });

  it('a failed login or a recovery request named with a lone surrogate is refused (400 invalid_text)', async () => {
    for (const [path, body] of [
      ['/api/v1/sessions', { username: 'ad\ud800min', password: 'not the password' }],
      ['/api/v1/recovery/questions', { username: '\udfff' }],
      ['/api/v1/recovery/code', { username: 'admin\ud83d', channel: 'email', address: 'a@example.com' }],
      ['/api/v1/recovery/support/request', { username: '\ud800' }],
    ] as const) {
      await clearThrottles();
      const res = await new ApiClient(rec.url).post(path, body);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('invalid_text');
    }
  });

  it('generated bodies, logged in and not: no 500, ill-formed text past access control is always a 400 invalid_text', async () => {
    const anonymous = new ApiClient(rec.url);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }).map((i) => routes[i % routes.length]!),
        fc.boolean(),
        fc.array(fc.oneof(codeUnits(24), illFormed), { minLength: 1, maxLength: 4 }),
        async (route, loggedIn, texts) => {
          await clearThrottles();
          const body = Object.fromEntries(route.keys.map((key, i) => [key, texts[i % texts.length]!]));
          const res = await (loggedIn ? admin : anonymous).request(route.method, route.path, body);
          const what = `${route.method} ${route.path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`;
          expect(res.status, what).toBeLessThan(500);
          // Access control answers first (401, 403, 404 for camera 1, which does not exist); past it,
          // such text never reaches a handler.
          const refusedByAccess = [401, 403].includes(res.status) || res.body.error?.code === 'camera_not_found';
          if (Object.values(body).some((t) => !isWellFormedText(t)) && !refusedByAccess) {
            expect([res.status, res.body.error?.code], what).toEqual([400, 'invalid_text']);
          }
        },
      ),
      { numRuns: 300 },
    );
    // The admin's session came through all of it.
    expect((await admin.get('/api/v1/me')).status).toBe(200);
  });

  it('then `vigil recorder audit verify` finds the log intact', async () => {
    await rec.running.ctx.audit.settled();
    const res = runVigil(['recorder', 'audit', 'verify', '--data', rec.dataDir]);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/Audit log intact: \d+ entries/);
    expect(res.status).toBe(0);
  });
});

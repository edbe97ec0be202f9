// A factory reset while requests are being hashed (production argon2, so they really are in the
// middle of it): each of them is answered 401 or 503 (or with what it would have got had it
// finished first), never a 500, and the recorder is inactive and answers afterwards.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PRODUCTION_ARGON2 } from '../../../src/recorder/accounts/password-hash.js';
import { FACTORY_RESET_PHRASE } from '../../../src/recorder/recovery/reset-phrases.js';
import { activate, ApiClient, loggedInAdmin, loginFrom } from '../../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../../helpers/recorder.js';

let rec: TestRecorder;
beforeEach(async () => {
  rec = await startTestRecorder({ argon2: PRODUCTION_ARGON2 });
  await activate(rec);
});
afterEach(() => rec.close());

it('requests hashing during a factory reset are answered 401 or 503, never 500', async () => {
  const admin = await loggedInAdmin(rec);
  const created = await admin.post('/api/v1/users', { username: 'operator1', role: 'operator', permissions: { device: [], cameras: {} } });
  const operator = new ApiClient(rec.url);
  await operator.login('operator1', created.body.oneTimePassword);

  // Each from its own address, so no throttle or lockout refuses them before their hash.
  const inFlight = [
    ...Array.from({ length: 8 }, (_, i) => loginFrom(rec, `127.0.0.${10 + i}`, 'admin', STRONG_PASSWORD)),
    ...Array.from({ length: 3 }, (_, i) => loginFrom(rec, `127.0.0.${20 + i}`, 'admin', `wrong password ${i}`)),
    ...Array.from({ length: 3 }, (_, i) => loginFrom(rec, `127.0.0.${30 + i}`, `nobody${i}`, 'whatever it is')),
    operator.post('/api/v1/me/password', { currentPassword: created.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD }),
    admin.post('/api/v1/me/password', { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD }),
  ];
  const reset = await admin.post('/api/v1/device/factory-reset', { confirm: FACTORY_RESET_PHRASE, currentPassword: STRONG_PASSWORD });
  const answers = await Promise.all(inFlight);

  const statuses = answers.map((a) => `${a.status} ${a.body?.error?.code ?? ''}`.trim());
  // Done before the reset (200, 201), refused (401, 429), or cut off by it (503): never a fault.
  for (const status of statuses) expect(status, statuses.join(', ')).toMatch(/^(200|201|401 [a-z_]+|429 [a-z_]+|503 device_reset)$/);
  // Some really were in the middle of their hash when the reset ran.
  expect(statuses.filter((s) => s === '503 device_reset').length, statuses.join(', ')).toBeGreaterThan(0);
  expect([reset.status, reset.body]).toEqual([200, expect.anything()]);
  expect((await new ApiClient(rec.url).get('/api/v1/device')).body.activated).toBe(false);
  const errors = rec.logs.flatMap((chunk) => chunk.split('\n')).filter((l) => l && (JSON.parse(l) as { level: number }).level >= 50);
  expect(errors).toEqual([]);
});

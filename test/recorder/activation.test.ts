import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/recorder/device/data-dir.js';
import { ApiClient } from '../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';

/** Every documented operation, from the served OpenAPI document, with path parameters filled in. */
async function allOperations(client: ApiClient): Promise<{ method: string; path: string }[]> {
  const doc = (await client.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({
      method: method.toUpperCase(),
      path: path.replace(/\{[^}]+\}/g, '0123456789abcdef01234567'),
    })),
  );
}

describe('activation', () => {
  let rec: TestRecorder;
  let client: ApiClient;
  beforeEach(async () => {
    rec = await startTestRecorder();
    client = new ApiClient(rec.url);
  });
  afterEach(() => rec.close());

  it('starts inactive with no account, and says which recovery methods exist', async () => {
    const res = await client.get('/api/v1/device');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ serial: rec.serial, model: rec.model, activated: false });
    expect(typeof res.body.firmwareVersion).toBe('string');
    expect(Object.values(res.body.recoveryMethods).every((v) => typeof v === 'boolean')).toBe(true);
    expect(rec.running.ctx.store.findUserByUsername('admin')).toBeUndefined();
  });

  it('refuses every other endpoint with device_inactive until activated', async () => {
    const open = new Set(['GET /api/v1/device', 'POST /api/v1/activate', 'POST /api/v1/password-strength']);
    const operations = (await allOperations(client)).filter((op) => !open.has(`${op.method} ${op.path}`));
    expect(operations.length).toBeGreaterThanOrEqual(6);
    for (const op of operations) {
      const res = await client.request(op.method, op.path, op.method === 'GET' || op.method === 'DELETE' ? undefined : {});
      expect(res.status, `${op.method} ${op.path}`).toBe(403);
      expect(res.body.error.code, `${op.method} ${op.path}`).toBe('device_inactive');
    }
  });

  it('refuses a wrong label code with 403, and throttles guessing with 429 and Retry-After', async () => {
    const wrong = { labelCode: 'AAAA-BBBB-CCCC-DDDD', password: STRONG_PASSWORD };
    for (let i = 0; i < 10; i++) {
      const res = await client.post('/api/v1/activate', wrong);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('invalid_label_code');
    }
    const blocked = await client.post('/api/v1/activate', { labelCode: rec.labelCode, password: STRONG_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBe(60);
    expect((await client.get('/api/v1/device')).body.activated).toBe(false);

    rec.clock.advance(61);
    const res = await client.post('/api/v1/activate', { labelCode: rec.labelCode, password: STRONG_PASSWORD });
    expect(res.status).toBe(201);
  });

  it('rejects a weak password with reasons and stays inactive', async () => {
    const res = await client.post('/api/v1/activate', { labelCode: rec.labelCode, password: 'password1' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('password_rejected');
    expect(res.body.error.details.reasons.map((r: { code: string }) => r.code)).toContain('common_password');
    expect((await client.get('/api/v1/device')).body.activated).toBe(false);

    const withSerial = await client.post('/api/v1/activate', {
      labelCode: rec.labelCode,
      password: `${rec.serial.toLowerCase()} quiet river`,
    });
    expect(withSerial.status).toBe(422);
    expect(withSerial.body.error.details.reasons.map((r: { code: string }) => r.code)).toContain('contains_serial');
  });

  it('accepts the label code however it is typed, creates admin, then answers 409', async () => {
    const typed = rec.labelCode.toLowerCase().replace(/-/g, ' ');
    const res = await client.post('/api/v1/activate', { labelCode: typed, password: STRONG_PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ username: 'admin' });
    expect((await client.get('/api/v1/device')).body.activated).toBe(true);
    expect(rec.running.ctx.store.findUserByUsername('admin')?.role).toBe('admin');

    const again = await client.post('/api/v1/activate', { labelCode: rec.labelCode, password: STRONG_PASSWORD });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_activated');
  });

  it('lets exactly one of many concurrent activations win', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        new ApiClient(rec.url).post('/api/v1/activate', { labelCode: rec.labelCode, password: `${STRONG_PASSWORD} ${i}` }),
      ),
    );
    expect(attempts.filter((r) => r.status === 201)).toHaveLength(1);
    expect(attempts.filter((r) => r.status === 409)).toHaveLength(7);
  });

  it('keeps the label code and passwords only as hashes', async () => {
    await client.post('/api/v1/activate', { labelCode: rec.labelCode, password: STRONG_PASSWORD });
    rec.running.ctx.store.close(); // flush the WAL into the file before reading it
    const db = readFileSync(dataPaths(rec.dataDir).database);
    expect(db.includes(rec.labelCode.replace(/-/g, ''))).toBe(false);
    expect(db.includes(rec.labelCode)).toBe(false);
    expect(db.includes(STRONG_PASSWORD)).toBe(false);
    expect(db.includes('$argon2id$')).toBe(true);
    expect(rec.logs.join('').includes(rec.labelCode)).toBe(false);
    expect(rec.logs.join('').includes(STRONG_PASSWORD)).toBe(false);
  });
});

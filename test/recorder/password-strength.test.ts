import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STRENGTH_CHECK_THROTTLE } from '../../src/recorder/daemon.js';
import { activate, ApiClient } from '../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../helpers/recorder.js';

describe('POST /api/v1/password-strength', () => {
  let rec: TestRecorder;
  let client: ApiClient;
  beforeEach(async () => {
    rec = await startTestRecorder();
    client = new ApiClient(rec.url);
  });
  afterEach(() => rec.close());

  it('rates passwords with the device as context, before activation too', async () => {
    const common = await client.post('/api/v1/password-strength', { password: 'iloveyou' });
    expect(common.status).toBe(200);
    expect(common.body).toMatchObject({ level: 'risky', accepted: false });
    expect(common.body.reasons.map((r: { code: string }) => r.code)).toContain('common_password');

    const model = await client.post('/api/v1/password-strength', { password: `my ${rec.model} lighthouse garden` });
    expect(model.body.reasons.map((r: { code: string }) => r.code)).toContain('contains_model');

    const named = await client.post('/api/v1/password-strength', { password: 'margaretha kestrel 44', username: 'margaretha' });
    expect(named.body.reasons.map((r: { code: string }) => r.code)).toEqual(['contains_username']);

    const strong = await client.post('/api/v1/password-strength', { password: 'correct horse battery staple orbit' });
    expect(strong.body).toEqual({ level: 'strong', accepted: true, reasons: [] });
  });

  it('gives each address a budget, since scoring costs the server time', async () => {
    for (let i = 0; i < STRENGTH_CHECK_THROTTLE.maxAttempts; i++) {
      expect((await client.post('/api/v1/password-strength', { password: `candidate ${i}` })).status).toBe(200);
    }
    const over = await client.post('/api/v1/password-strength', { password: 'one too many' });
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('too_many_requests');
    expect(Number(over.headers.get('retry-after'))).toBe(STRENGTH_CHECK_THROTTLE.baseBlockSeconds);
    rec.clock.advance(STRENGTH_CHECK_THROTTLE.baseBlockSeconds);
    expect((await client.post('/api/v1/password-strength', { password: 'after the wait' })).status).toBe(200);
  });
});

describe('Unicode passwords', () => {
  let rec: TestRecorder;
  beforeEach(async () => {
    rec = await startTestRecorder();
  });
  afterEach(() => rec.close());

  it('accepts the same password typed in another normalisation form', async () => {
    const composed = 'Crème brûlée façade 1987 naïve';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    await activate(rec, composed);
    expect((await new ApiClient(rec.url).login('admin', decomposed)).status).toBe(201);
    expect((await new ApiClient(rec.url).login('admin', composed)).status).toBe(201);
    expect((await new ApiClient(rec.url).login('admin', composed.replace('è', 'e'))).status).toBe(401);
  });
});

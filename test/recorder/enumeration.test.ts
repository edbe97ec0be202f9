import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_ARGON2 } from '../../src/identity/passwords/hash.js';
import { activate, ApiClient } from '../helpers/client.js';
import { liftAllLockouts, startTestRecorder, type TestRecorder } from '../helpers/recorder.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function interquartileRange(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;
  return at(0.75) - at(0.25);
}

describe('account enumeration', () => {
  let rec: TestRecorder;
  beforeAll(async () => {
    // Production hashing: the point is that an unknown name costs the same real argon2 work.
    rec = await startTestRecorder({ argon2: PRODUCTION_ARGON2 });
    await activate(rec);
  });
  afterAll(() => rec.close());

  it('gives an unknown user and a wrong password the same status and body', async () => {
    const client = new ApiClient(rec.url);
    const unknown = await client.login('nobody-here', 'Some wrong password 1');
    const wrong = await client.login('admin', 'Some wrong password 1');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(unknown.status);
    expect(wrong.body).toEqual(unknown.body);
    expect([...wrong.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort());
  });

  it('takes the same time for an unknown user as for a wrong password, within the noise', async () => {
    const client = new ApiClient(rec.url);
    const time = async (username: string) => {
      rec.running.ctx.sourceThrottle.clear('127.0.0.1');
      await liftAllLockouts(rec);
      const start = process.hrtime.bigint();
      const res = await client.login(username, 'Another wrong password 2');
      expect(res.status).toBe(401);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    for (let i = 0; i < 5; i++) await time(i % 2 ? 'admin' : 'ghost'); // warm-up
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 60; i++) {
      // Interleaved, so drift in machine load hits both series alike.
      known.push(await time('admin'));
      unknown.push(await time(`ghost-${i}`));
    }
    const difference = Math.abs(median(known) - median(unknown));
    const noise = Math.max(interquartileRange(known), interquartileRange(unknown));
    expect(difference, `medians ${median(known).toFixed(2)} vs ${median(unknown).toFixed(2)} ms, noise ${noise.toFixed(2)} ms`).toBeLessThan(noise);
  });
});

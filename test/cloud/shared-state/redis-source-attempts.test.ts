import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSourceAttemptStore } from '../../../src/cloud/shared-state/redis-source-attempts.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';
import type { IdentityAdapter } from '../../identity/contract/index.js';
import { describeSourceAttemptContract } from '../../identity/contract/source-attempts.js';

// The per-source attempt times on a real Redis server: the security core's contract for the port,
// unchanged, through a client of its own per store as each instance has.
let server: TestRedis;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  clients.forEach((c) => c.disconnect());
  await server?.stop();
});

let stores = 0;
function freshStore() {
  const redis = new Redis(server.url);
  clients.push(redis);
  // A prefix of its own per store: an empty store without flushing what another test holds.
  return { redis, store: redisSourceAttemptStore(redis, `test-${++stores}:`) };
}

describeSourceAttemptContract(async () => {
  const { redis, store } = freshStore();
  // This part of the contract reads only the source-attempt port: the others are the database's.
  return { sourceAttempts: store, close: async () => redis.disconnect() } as Partial<IdentityAdapter> as IdentityAdapter;
});

describe('per-source attempt times in Redis', () => {
  it('a source\'s set expires when its newest time can no longer count, so an idle source leaves nothing behind', async () => {
    const { redis, store } = freshStore();
    const now = Date.now();
    await store.reserve('ip:198.51.100.7', now, now - 60_000);
    const ttl = await redis.pttl(`test-${stores}:ip:198.51.100.7`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('instances on one Redis count one source together: 30 reservations through three clients see 30 different counts', async () => {
    const three = [freshStore(), freshStore(), freshStore()];
    const prefix = `test-${++stores}:`;
    const shared = three.map(({ redis }) => redisSourceAttemptStore(redis, prefix));
    const at = Date.now();
    const seen = await Promise.all(Array.from({ length: 30 }, (_, i) => shared[i % 3]!.reserve('ip:203.0.113.9', at, 0)));
    expect(seen.map((t) => t.length).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SourceAttemptStore } from '../../identity/lockout/source-attempt-store.js';

// The per-source throttle's attempt times in Redis: a sorted set per source, the time as the score
// (a member of its own per attempt, so two at one millisecond are two). Each method that reads and
// writes is one Lua script, which Redis runs alone: the atomic step the port asks for.

/** Drops what can no longer count, adds this attempt, answers the times; the set expires when its newest time stops counting. */
const RESERVE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')`;

const REMOVE_ONE = `
local members = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1], 'LIMIT', 0, 1)
if members[1] then redis.call('ZREM', KEYS[1], members[1]) end
return 0`;

/** [member, score, member, score, ...] from ZRANGE WITHSCORES: the scores, in order. */
const scoresOf = (reply: string[]): number[] => reply.filter((_, i) => i % 2 === 1).map(Number);

/**
 * The port on Redis, for instances that share it: a flood of attempts costs the database nothing.
 * `prefix` keeps its keys apart from anything else in the same Redis database.
 */
export function redisSourceAttemptStore(redis: Redis, prefix = 'vigil:source-attempts:'): SourceAttemptStore {
  const keyOf = (source: string) => prefix + source;
  return {
    async times(source) {
      return scoresOf(await redis.zrange(keyOf(source), 0, -1, 'WITHSCORES'));
    },
    async reserve(source, at, dropUpTo) {
      const reply = (await redis.eval(RESERVE, 1, keyOf(source), at, dropUpTo, `${at}:${randomUUID()}`, at - dropUpTo)) as string[];
      return scoresOf(reply);
    },
    async removeOne(source, at) {
      await redis.eval(REMOVE_ONE, 1, keyOf(source), at);
    },
    async clear(source) {
      await redis.del(keyOf(source));
    },
    async forgetBefore(before) {
      // Every source's set, a batch at a time: SCAN does not block Redis as KEYS would.
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) {
          const batch = redis.pipeline();
          for (const key of keys) batch.zremrangebyscore(key, '-inf', `(${before}`);
          await batch.exec();
        }
      } while (cursor !== '0');
    },
  };
}

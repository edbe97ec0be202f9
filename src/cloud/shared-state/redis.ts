import { MaxRetriesPerRequestError, Redis } from 'ioredis';

/** Where a Redis server is, without any password: for the startup line and errors. */
export function describeRedis(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  const database = pathname.length > 1 ? `, database ${pathname.slice(1)}` : '';
  return `Redis at ${hostname}:${port || 6379}${database}`;
}

/** Connects to Redis and checks that it answers; rejects with the reason if it does not. */
export async function openRedis(url: string): Promise<Redis> {
  // Tried once at start: a cloud told to share its state must not run without it. Once it runs it
  // reconnects every half second at most, and a command fails after two retries (1.5 s at most)
  // rather than wait: the request answers 503 (isRedisOutage) while the person is still there.
  let started = false;
  let lastError: Error | undefined;
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => (started ? Math.min(times * 100, 500) : null),
  });
  // Each failing command reports its own error; without a listener ioredis prints every reconnection.
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    // "Connection is closed" says less than the socket's own error.
    throw lastError ?? error;
  }
  started = true;
  return redis;
}

/**
 * Whether `error` says that Redis does not answer (a command given up after its retries, or one
 * cut off by a closed connection) rather than that a command is wrong: the request may succeed
 * later, so it is answered 503, not 500.
 */
export function isRedisOutage(error: unknown): boolean {
  return error instanceof MaxRetriesPerRequestError || (error instanceof Error && error.message === 'Connection is closed.');
}

/** How long the health check waits for Redis's PONG: a health check that hangs takes no instance out. */
const PING_TIMEOUT_MS = 1000;

/** Whether Redis answers now: connected, and a PING answered in time. Never throws. */
export async function redisAnswers(redis: Redis): Promise<boolean> {
  // While it reconnects a PING would queue behind the retries: known already.
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
  try {
    return await Promise.race([redis.ping().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

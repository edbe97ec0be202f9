import { Redis } from 'ioredis';

/** Where a Redis server is, without any password: for the startup line and errors. */
export function describeRedis(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  const database = pathname.length > 1 ? `, database ${pathname.slice(1)}` : '';
  return `Redis at ${hostname}:${port || 6379}${database}`;
}

/** Connects to Redis and checks that it answers; rejects with the reason if it does not. */
export async function openRedis(url: string): Promise<Redis> {
  // Tried once at start: a cloud told to share its state must not run without it. Once it runs it
  // reconnects, and a command fails after two retries rather than wait.
  let started = false;
  let lastError: Error | undefined;
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => (started ? Math.min(times * 200, 2000) : null),
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

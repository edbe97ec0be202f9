/**
 * Polls `condition` until it gives a value, for what happens in real time (a camera streams at its
 * own pace); fails with `what` after `timeoutMs`. `afterEachPoll` moves a manual clock along.
 */
export async function until<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
  options: { everyMs?: number; afterEachPoll?: () => void } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 100));
    options.afterEachPoll?.();
  }
}

import { describe, expect, it } from 'vitest';
import { countMethodFailure } from '../../../src/identity/lockout/method-lock-store.js';
import { methodLockState, type MethodLockPolicy } from '../../../src/identity/lockout/method-lock.js';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

const POLICY: MethodLockPolicy = { maxFailures: 5, blockSeconds: 900 };

export function describeMethodLockContract(makeAdapter: MakeAdapter): void {
  describe('method locks', () => {
    const t = freshAdapterEachTest(makeAdapter);

    it('counts failures per (method, scope) and blocks at the limit until the block ends', async () => {
      for (let i = 0; i < 4; i++) await countMethodFailure(t.adapter.methodLocks, 'recoveryKey', 'user:1', POLICY, t.clock.now());
      await countMethodFailure(t.adapter.methodLocks, 'recoveryKey', 'user:2', POLICY, t.clock.now());
      await countMethodFailure(t.adapter.methodLocks, 'securityQuestions', 'user:1', POLICY, t.clock.now());
      expect(await t.adapter.methodLocks.get('recoveryKey', 'user:1')).toEqual({ failures: 4, blockedUntil: null });
      expect(await countMethodFailure(t.adapter.methodLocks, 'recoveryKey', 'user:1', POLICY, t.clock.now())).toEqual({
        failures: 5,
        blockedUntil: t.clock.now() + 900_000,
      });
      expect(await t.adapter.methodLocks.get('recoveryKey', 'user:2')).toEqual({ failures: 1, blockedUntil: null });
      expect(await t.adapter.methodLocks.get('securityQuestions', 'user:1')).toEqual({ failures: 1, blockedUntil: null });
      expect(methodLockState(await t.adapter.methodLocks.get('recoveryKey', 'user:1'), t.clock.now() + 899_999).blocked).toBe(true);
      expect(methodLockState(await t.adapter.methodLocks.get('recoveryKey', 'user:1'), t.clock.now() + 900_000).blocked).toBe(false);
    });

    it('of 20 concurrent failures none is lost', async () => {
      const policy = { maxFailures: 100, blockSeconds: 60 };
      const seen = await concurrently(20, () => countMethodFailure(t.adapter.methodLocks, 'email', 'user:1', policy, t.clock.now()));
      expect(seen.map((lock) => lock.failures).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await t.adapter.methodLocks.get('email', 'user:1')).toEqual({ failures: 20, blockedUntil: null });
    });

    it('clearing forgets one (method, scope) only', async () => {
      await countMethodFailure(t.adapter.methodLocks, 'recoveryKey', 'user:1', POLICY, t.clock.now());
      await countMethodFailure(t.adapter.methodLocks, 'recoveryKey', 'device', POLICY, t.clock.now());
      await t.adapter.methodLocks.clear('recoveryKey', 'user:1');
      expect(await t.adapter.methodLocks.get('recoveryKey', 'user:1')).toBeUndefined();
      expect(await t.adapter.methodLocks.get('recoveryKey', 'device')).toEqual({ failures: 1, blockedUntil: null });
    });
  });
}

import { describe, expect, it } from 'vitest';
import { freshAdapterEachTest, type MakeAdapter } from './adapter.js';

export function describeTwoFactorPolicyContract(makeAdapter: MakeAdapter): void {
  describe('the "two-factor required" setting', () => {
    const t = freshAdapterEachTest(makeAdapter);

    it('is off in a fresh store, and reads as it was last set', async () => {
      const policy = t.adapter.twoFactorPolicy;
      expect(await policy.isTwoFactorRequired()).toBe(false);
      await policy.setTwoFactorRequired(true, t.clock.now());
      expect(await policy.isTwoFactorRequired()).toBe(true);
      t.clock.advance(5);
      await policy.setTwoFactorRequired(false, t.clock.now());
      expect(await policy.isTwoFactorRequired()).toBe(false);
      await policy.setTwoFactorRequired(true, t.clock.now());
      await policy.setTwoFactorRequired(true, t.clock.now());
      expect(await policy.isTwoFactorRequired()).toBe(true);
    });
  });
}

import { describe, expect, it } from 'vitest';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

const SOURCE = 'ip:198.51.100.7';
const OTHER = 'ip:203.0.113.9';

export function describeSourceAttemptContract(makeAdapter: MakeAdapter): void {
  describe('per-source attempt times', () => {
    const t = freshAdapterEachTest(makeAdapter);

    it('a reservation answers the source\'s times, this one included, oldest first, and drops the ones that can no longer count', async () => {
      const start = t.clock.now();
      expect(await t.adapter.sourceAttempts.reserve(SOURCE, start, 0)).toEqual([start]);
      t.clock.advance(10);
      expect(await t.adapter.sourceAttempts.reserve(SOURCE, t.clock.now(), 0)).toEqual([start, t.clock.now()]);
      await t.adapter.sourceAttempts.reserve(OTHER, t.clock.now(), 0);
      t.clock.advance(10);
      expect(await t.adapter.sourceAttempts.reserve(SOURCE, t.clock.now(), start)).toEqual([start + 10_000, t.clock.now()]);
      expect(await t.adapter.sourceAttempts.times(OTHER)).toEqual([start + 10_000]);
      expect(await t.adapter.sourceAttempts.times('ip:192.0.2.1')).toEqual([]);
    });

    it('20 concurrent reservations each see a different count', async () => {
      const seen = await concurrently(20, () => t.adapter.sourceAttempts.reserve(SOURCE, t.clock.now(), 0));
      expect(seen.map((times) => times.length).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('takes back one reserved time, not every one at that time', async () => {
      const at = t.clock.now();
      await t.adapter.sourceAttempts.reserve(SOURCE, at, 0);
      await t.adapter.sourceAttempts.reserve(SOURCE, at, 0);
      await t.adapter.sourceAttempts.removeOne(SOURCE, at);
      expect(await t.adapter.sourceAttempts.times(SOURCE)).toEqual([at]);
      await t.adapter.sourceAttempts.removeOne(SOURCE, at + 1);
      expect(await t.adapter.sourceAttempts.times(SOURCE)).toEqual([at]);
    });

    it('clears one source, and forgets old times of every source', async () => {
      const old = t.clock.now();
      await t.adapter.sourceAttempts.reserve(SOURCE, old, 0);
      await t.adapter.sourceAttempts.reserve(OTHER, old, 0);
      t.clock.advance(60);
      await t.adapter.sourceAttempts.reserve(SOURCE, t.clock.now(), 0);
      await t.adapter.sourceAttempts.reserve(OTHER, t.clock.now(), 0);
      await t.adapter.sourceAttempts.forgetBefore(t.clock.now());
      expect(await t.adapter.sourceAttempts.times(SOURCE)).toEqual([t.clock.now()]);
      await t.adapter.sourceAttempts.clear(SOURCE);
      expect(await t.adapter.sourceAttempts.times(SOURCE)).toEqual([]);
      expect(await t.adapter.sourceAttempts.times(OTHER)).toEqual([t.clock.now()]);
    });
  });
}

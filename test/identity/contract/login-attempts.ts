import { describe, expect, it } from 'vitest';
import type { LoginClientKey } from '../../../src/identity/lockout/attempt-store.js';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

const ADDRESS: LoginClientKey = { accountKey: 'user:1', kind: 'address', clientId: '198.51.100.7' };
const DEVICE: LoginClientKey = { accountKey: 'user:1', kind: 'device', clientId: 'd3v1ce' };
const OTHER_ACCOUNT: LoginClientKey = { ...ADDRESS, accountKey: 'name:mallory' };

export function describeLoginAttemptContract(makeAdapter: MakeAdapter): void {
  describe('login attempts', () => {
    const t = freshAdapterEachTest(makeAdapter);
    const since = () => t.clock.now() - 3_600_000;

    it('a failure reserved before the password check counts even if the check never finishes', async () => {
      const seen = await t.adapter.loginAttempts.reserveFailure(ADDRESS, t.clock.now(), true, since());
      expect(seen).toEqual([{ at: t.clock.now(), ok: false }]);
      // The hash never finishes: nothing withdraws the reservation, and the next request sees it.
      t.clock.advance(1);
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toEqual([{ at: t.clock.now() - 1000, ok: false }]);
      expect(await t.adapter.loginAttempts.unknownClientGuesses(ADDRESS.accountKey, since())).toEqual([t.clock.now() - 1000]);
    });

    it('20 concurrent reservations each see a different count, so exactly one sees the 20th failure', async () => {
      const seen = await concurrently(20, () => t.adapter.loginAttempts.reserveFailure(ADDRESS, t.clock.now(), true, since()));
      expect(seen.map((attempts) => attempts.length).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toHaveLength(20);
    });

    it('keeps attempts per (account, client), in the order they happened', async () => {
      await t.adapter.loginAttempts.reserveFailure(ADDRESS, t.clock.now(), true, since());
      t.clock.advance(1);
      await t.adapter.loginAttempts.reserveFailure(DEVICE, t.clock.now(), true, since());
      await t.adapter.loginAttempts.reserveFailure(OTHER_ACCOUNT, t.clock.now(), true, since());
      t.clock.advance(1);
      await t.adapter.loginAttempts.recordSuccess(DEVICE, t.clock.now());
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toEqual([{ at: t.clock.now() - 2000, ok: false }]);
      expect(await t.adapter.loginAttempts.clientAttempts(DEVICE, since())).toEqual([{ at: t.clock.now(), ok: true }]);
      expect(await t.adapter.loginAttempts.clientAttempts(OTHER_ACCOUNT, since())).toHaveLength(1);
      // Device clients are known browsers: their failures are not unknown-client guesses.
      expect(await t.adapter.loginAttempts.unknownClientGuesses(ADDRESS.accountKey, since())).toEqual([t.clock.now() - 2000]);
    });

    it('a success supersedes the client\'s earlier attempts', async () => {
      for (let i = 0; i < 3; i++) await t.adapter.loginAttempts.reserveFailure(ADDRESS, t.clock.now(), true, since());
      t.clock.advance(1);
      await t.adapter.loginAttempts.recordSuccess(ADDRESS, t.clock.now());
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toEqual([{ at: t.clock.now(), ok: true }]);
    });

    it('a failure that reached no password check is no guess', async () => {
      await t.adapter.loginAttempts.reserveFailure(ADDRESS, t.clock.now(), false, since());
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toHaveLength(1);
      expect(await t.adapter.loginAttempts.unknownClientGuesses(ADDRESS.accountKey, since())).toEqual([]);
    });

    it('reads only what happened since the given time, and forgets what is older than asked', async () => {
      await t.adapter.loginAttempts.reserveFailure(ADDRESS, t.clock.now(), true, since());
      t.clock.advance(2 * 3600);
      const recent = await t.adapter.loginAttempts.reserveFailure(ADDRESS, t.clock.now(), true, since());
      expect(recent).toEqual([{ at: t.clock.now(), ok: false }]);
      expect((await t.adapter.loginAttempts.attemptsSince(0)).map((a) => a.at)).toEqual([t.clock.now() - 7_200_000, t.clock.now()]);
      await t.adapter.loginAttempts.deleteBefore(since());
      expect(await t.adapter.loginAttempts.attemptsSince(0)).toEqual([{ ...ADDRESS, at: t.clock.now(), ok: false, guess: true }]);
    });

    it('unlocking forgets one client, and forgiving stops unknown guesses counting without touching streaks', async () => {
      await t.adapter.loginAttempts.reserveFailure(ADDRESS, t.clock.now(), true, since());
      await t.adapter.loginAttempts.reserveFailure(DEVICE, t.clock.now(), true, since());
      await t.adapter.loginAttempts.forgiveUnknownGuesses(ADDRESS.accountKey);
      expect(await t.adapter.loginAttempts.unknownClientGuesses(ADDRESS.accountKey, since())).toEqual([]);
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toHaveLength(1);
      await t.adapter.loginAttempts.clearClient(ADDRESS);
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toEqual([]);
      expect(await t.adapter.loginAttempts.clientAttempts(DEVICE, since())).toHaveLength(1);
    });
  });
}

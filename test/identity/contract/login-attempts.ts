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
    const sinces = () => ({ client: since(), guesses: since() });
    const reserve = (key: LoginClientKey, guess = true) => t.adapter.loginAttempts.reserveFailure(key, t.clock.now(), guess, sinces());

    it('a failure reserved before the password check counts even if the check never finishes', async () => {
      const seen = await reserve(ADDRESS);
      expect(seen).toEqual({ id: expect.any(String), clientAttempts: [{ at: t.clock.now(), ok: false }], unknownClientGuesses: [t.clock.now()] });
      // The hash never finishes: nothing withdraws the reservation, and the next request sees it.
      t.clock.advance(1);
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toEqual([{ at: t.clock.now() - 1000, ok: false }]);
      expect(await t.adapter.loginAttempts.unknownClientGuesses(ADDRESS.accountKey, since())).toEqual([t.clock.now() - 1000]);
    });

    it('20 concurrent reservations each see a different count, so exactly one sees the 20th failure', async () => {
      const seen = await concurrently(20, () => reserve(ADDRESS));
      expect(seen.map((r) => r.clientAttempts.length).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toHaveLength(20);
    });

    it('keeps attempts per (account, client), in the order they happened', async () => {
      await reserve(ADDRESS);
      t.clock.advance(1);
      await reserve(DEVICE);
      await reserve(OTHER_ACCOUNT);
      t.clock.advance(1);
      await t.adapter.loginAttempts.recordSuccess(DEVICE, t.clock.now());
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toEqual([{ at: t.clock.now() - 2000, ok: false }]);
      expect(await t.adapter.loginAttempts.clientAttempts(DEVICE, since())).toEqual([{ at: t.clock.now(), ok: true }]);
      expect(await t.adapter.loginAttempts.clientAttempts(OTHER_ACCOUNT, since())).toHaveLength(1);
      // Device clients are known browsers: their failures are not unknown-client guesses.
      expect(await t.adapter.loginAttempts.unknownClientGuesses(ADDRESS.accountKey, since())).toEqual([t.clock.now() - 2000]);
    });

    it('a success supersedes the client\'s earlier attempts', async () => {
      for (let i = 0; i < 3; i++) await reserve(ADDRESS);
      t.clock.advance(1);
      await t.adapter.loginAttempts.recordSuccess(ADDRESS, t.clock.now());
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toEqual([{ at: t.clock.now(), ok: true }]);
    });

    it('a failure that reached no password check is no guess', async () => {
      await reserve(ADDRESS, false);
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toHaveLength(1);
      expect(await t.adapter.loginAttempts.unknownClientGuesses(ADDRESS.accountKey, since())).toEqual([]);
    });

    it('reads only what happened since the given time, and forgets what is older than asked', async () => {
      await reserve(ADDRESS);
      t.clock.advance(2 * 3600);
      const recent = await reserve(ADDRESS);
      expect(recent.clientAttempts).toEqual([{ at: t.clock.now(), ok: false }]);
      expect(recent.unknownClientGuesses).toEqual([t.clock.now()]);
      expect((await t.adapter.loginAttempts.attemptsSince(0)).map((a) => a.at)).toEqual([t.clock.now() - 7_200_000, t.clock.now()]);
      await t.adapter.loginAttempts.deleteBefore(since());
      expect(await t.adapter.loginAttempts.attemptsSince(0)).toEqual([{ ...ADDRESS, at: t.clock.now(), ok: false, guess: true }]);
    });

    it('unlocking forgets one client, and forgiving stops unknown guesses counting without touching streaks', async () => {
      await reserve(ADDRESS);
      await reserve(DEVICE);
      await t.adapter.loginAttempts.forgiveUnknownGuesses(ADDRESS.accountKey);
      expect(await t.adapter.loginAttempts.unknownClientGuesses(ADDRESS.accountKey, since())).toEqual([]);
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toHaveLength(1);
      await t.adapter.loginAttempts.clearClient(ADDRESS);
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toEqual([]);
      expect(await t.adapter.loginAttempts.clientAttempts(DEVICE, since())).toHaveLength(1);
    });
    it('20 concurrent reservations on a client one failure short of a lock: 20 distinct counts, each with the streak before it, this one last', async () => {
      for (let i = 0; i < 4; i++) await reserve(ADDRESS);
      t.clock.advance(1);
      const seen = await concurrently(20, () => reserve(ADDRESS));
      expect(seen.map((r) => r.clientAttempts.length).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 5));
      // Exactly one of them is the 5th failure: the one that starts the lock.
      expect(seen.filter((r) => r.clientAttempts.length === 5)).toHaveLength(1);
      for (const r of seen) expect(r.clientAttempts.at(-1)).toEqual({ at: t.clock.now(), ok: false });
      expect(new Set(seen.map((r) => r.id)).size).toBe(20);
    });

    it("the answer holds the account's unknown-client guesses, this one included, and 20 concurrent guesses see 20 distinct counts", async () => {
      await reserve(OTHER_ACCOUNT); // another account's guess is not this one's
      await reserve(DEVICE); // a known browser's failure is no unknown-client guess
      await reserve({ ...ADDRESS, clientId: '198.51.100.8' }, false); // nor one that reached no check
      let next = 0;
      const seen = await concurrently(20, () => reserve({ ...ADDRESS, clientId: `203.0.113.${next++}` }));
      expect(seen.map((r) => r.unknownClientGuesses.length).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const fromDevice = await reserve(DEVICE);
      expect(fromDevice.unknownClientGuesses).toHaveLength(20);
      expect((await reserve(ADDRESS, false)).unknownClientGuesses).toHaveLength(20);
    });

    it('the guesses in the answer are only those since the time asked', async () => {
      await reserve(ADDRESS);
      t.clock.advance(2 * 3600);
      const later = await t.adapter.loginAttempts.reserveFailure(ADDRESS, t.clock.now(), true, { client: 0, guesses: since() });
      expect(later.unknownClientGuesses).toEqual([t.clock.now()]);
      expect(later.clientAttempts).toHaveLength(2);
    });

    it('withdrawing takes back exactly the one reserved failure, not another of the same client at the same time', async () => {
      const [first, second, third] = [await reserve(ADDRESS), await reserve(ADDRESS), await reserve(ADDRESS)];
      await t.adapter.loginAttempts.withdrawFailure(ADDRESS, second!.id);
      const left = await t.adapter.loginAttempts.attemptsSince(0);
      expect(left).toHaveLength(2);
      // Withdrawing it again, or under another client, removes nothing more.
      await t.adapter.loginAttempts.withdrawFailure(ADDRESS, second!.id);
      await t.adapter.loginAttempts.withdrawFailure(DEVICE, first!.id);
      expect(await t.adapter.loginAttempts.attemptsSince(0)).toHaveLength(2);
      await t.adapter.loginAttempts.withdrawFailure(ADDRESS, first!.id);
      await t.adapter.loginAttempts.withdrawFailure(ADDRESS, third!.id);
      expect(await t.adapter.loginAttempts.attemptsSince(0)).toEqual([]);
    });

    it('a withdrawn failure is gone from the next answer, and a success clears what is left to withdraw', async () => {
      const mine = await reserve(ADDRESS);
      await t.adapter.loginAttempts.withdrawFailure(ADDRESS, mine.id);
      const next = await reserve(ADDRESS);
      expect(next.clientAttempts).toHaveLength(1);
      expect(next.unknownClientGuesses).toHaveLength(1);
      t.clock.advance(1);
      await t.adapter.loginAttempts.recordSuccess(ADDRESS, t.clock.now());
      await t.adapter.loginAttempts.withdrawFailure(ADDRESS, next.id);
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toEqual([{ at: t.clock.now(), ok: true }]);
    });

    it('20 concurrent reservations and withdrawals of their own leave nothing behind', async () => {
      await reserve(ADDRESS);
      await concurrently(20, async () => t.adapter.loginAttempts.withdrawFailure(ADDRESS, (await reserve(ADDRESS)).id));
      expect(await t.adapter.loginAttempts.clientAttempts(ADDRESS, since())).toHaveLength(1);
    });
  });
}

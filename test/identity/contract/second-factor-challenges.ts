import { describe, expect, it } from 'vitest';
import type { SecondFactorChallenge } from '../../../src/identity/two-factor/challenge-store.js';
import { randomToken } from '../../../src/shared/secrets.js';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

const LIFETIME_MS = 5 * 60 * 1000;
const LIMIT = 5;

export function describeSecondFactorChallengeContract(makeAdapter: MakeAdapter): void {
  describe('second-factor challenges', () => {
    const t = freshAdapterEachTest(makeAdapter);
    const challenges = () => t.adapter.secondFactorChallenges;

    async function created(changes: Partial<SecondFactorChallenge> = {}): Promise<SecondFactorChallenge> {
      const challenge: SecondFactorChallenge = {
        tokenHash: randomToken(32),
        accountId: t.adapter.accounts[0],
        createdAt: t.clock.now(),
        expiresAt: t.clock.now() + LIFETIME_MS,
        failures: 0,
        endedAt: null,
        webauthnChallenge: null,
        ...changes,
      };
      await challenges().createChallenge(challenge);
      return challenge;
    }

    it('a challenge is found by its token hash as it was made; an unknown one is not', async () => {
      const challenge = await created({ webauthnChallenge: randomToken(16) });
      expect(await challenges().findChallenge(challenge.tokenHash)).toEqual(challenge);
      expect(await challenges().findChallenge(randomToken(32))).toBeUndefined();
    });

    it('of 20 concurrent completions of one challenge exactly one ends it', async () => {
      const challenge = await created();
      const results = await concurrently(20, () => challenges().endChallenge(challenge.tokenHash, t.clock.now()));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await challenges().findChallenge(challenge.tokenHash)).toMatchObject({ endedAt: t.clock.now() });
      expect(await challenges().endChallenge(challenge.tokenHash, t.clock.now())).toBe(false);
    });

    it('an expired challenge cannot be ended, nor an unknown one', async () => {
      const challenge = await created();
      t.clock.advance(LIFETIME_MS / 1000);
      expect(await challenges().endChallenge(challenge.tokenHash, t.clock.now())).toBe(false);
      expect(await challenges().endChallenge(randomToken(32), t.clock.now())).toBe(false);
      expect((await challenges().findChallenge(challenge.tokenHash))?.endedAt).toBeNull();
    });

    it('a wrong proof of a challenge taken for its check gives it back, counted; the one that reaches the limit keeps it ended', async () => {
      const challenge = await created();
      for (let n = 1; n < LIMIT; n++) {
        expect(await challenges().endChallenge(challenge.tokenHash, t.clock.now())).toBe(true);
        expect(await challenges().countChallengeFailure(challenge.tokenHash, LIMIT, t.clock.now())).toBe(n);
        expect(await challenges().findChallenge(challenge.tokenHash)).toMatchObject({ failures: n, endedAt: null });
      }
      expect(await challenges().endChallenge(challenge.tokenHash, t.clock.now())).toBe(true);
      const endedAt = t.clock.now();
      t.clock.advance(3);
      expect(await challenges().countChallengeFailure(challenge.tokenHash, LIMIT, t.clock.now())).toBe(LIMIT);
      expect(await challenges().findChallenge(challenge.tokenHash)).toMatchObject({ failures: LIMIT, endedAt });
      expect(await challenges().endChallenge(challenge.tokenHash, t.clock.now())).toBe(false);
      expect(await challenges().countChallengeFailure(randomToken(32), LIMIT, t.clock.now())).toBe(0);
    });

    it('a failure that reaches the limit ends a challenge that was still live', async () => {
      const challenge = await created({ failures: LIMIT - 1 });
      expect(await challenges().countChallengeFailure(challenge.tokenHash, LIMIT, t.clock.now())).toBe(LIMIT);
      expect(await challenges().findChallenge(challenge.tokenHash)).toMatchObject({ failures: LIMIT, endedAt: t.clock.now() });
    });

    it('20 concurrent failures each count once, and the challenge ends at the limit', async () => {
      const challenge = await created();
      const counts = await concurrently(20, () => challenges().countChallengeFailure(challenge.tokenHash, LIMIT, t.clock.now()));
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await challenges().findChallenge(challenge.tokenHash)).toMatchObject({ failures: 20, endedAt: t.clock.now() });
      expect(await challenges().endChallenge(challenge.tokenHash, t.clock.now())).toBe(false);
    });
  });

  describe('passkey registrations', () => {
    const t = freshAdapterEachTest(makeAdapter);
    const challenges = () => t.adapter.secondFactorChallenges;
    const registration = (accountId: number, expiresInMs = LIFETIME_MS) => ({
      accountId,
      challenge: randomToken(32),
      rpId: 'recorder.local',
      expiresAt: t.clock.now() + expiresInMs,
    });

    it('a registration is taken once; of 20 concurrent takes one gets it', async () => {
      const started = registration(t.adapter.accounts[0]);
      await challenges().beginPasskeyRegistration(started);
      const taken = await concurrently(20, () => challenges().takePasskeyRegistration(started.accountId, t.clock.now()));
      expect(taken.filter((r) => r !== undefined)).toEqual([started]);
      expect(await challenges().takePasskeyRegistration(started.accountId, t.clock.now())).toBeUndefined();
    });

    it("a new registration replaces the account's earlier one, and not another account's", async () => {
      const [mine, theirs] = t.adapter.accounts;
      const earlier = registration(mine);
      const later = { ...registration(mine), rpId: 'nvr.example' };
      const other = registration(theirs);
      await challenges().beginPasskeyRegistration(earlier);
      await challenges().beginPasskeyRegistration(other);
      await challenges().beginPasskeyRegistration(later);
      expect(await challenges().takePasskeyRegistration(mine, t.clock.now())).toEqual(later);
      expect(await challenges().takePasskeyRegistration(theirs, t.clock.now())).toEqual(other);
    });

    it('an expired registration is not answered, and is gone', async () => {
      const started = registration(t.adapter.accounts[0], 1000);
      await challenges().beginPasskeyRegistration(started);
      t.clock.advance(1);
      expect(await challenges().takePasskeyRegistration(started.accountId, t.clock.now())).toBeUndefined();
      // Taken though refused: it is not answered later either, even for a time it was still valid.
      expect(await challenges().takePasskeyRegistration(started.accountId, started.expiresAt - 1)).toBeUndefined();
    });
  });
}

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAuditSink } from '../../../src/identity/audit/audit-sink.js';
import type { SecurityEvent } from '../../../src/identity/audit/security-event.js';
import { newGrantToken } from '../../../src/identity/grants/reset-grant.js';
import type { ResetCompletion, ResetDone } from '../../../src/identity/grants/reset-completion-store.js';
import { accountAttemptKey } from '../../../src/identity/lockout/attempt-store.js';
import { newSessionToken } from '../../../src/identity/sessions/tokens.js';
import { timeStep } from '../../../src/identity/two-factor/totp.js';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

export function describeResetCompletionContract(makeAdapter: MakeAdapter): void {
  describe('reset completion', () => {
    const t = freshAdapterEachTest(makeAdapter);
    const since = () => t.clock.now() - 3_600_000;

    async function grant(accountId: number): Promise<string> {
      const { tokenHash, expiresAt } = newGrantToken(t.clock.now());
      await t.adapter.resetGrants.insert({ tokenHash, accountId, method: 'recoveryKey', createdAt: t.clock.now(), expiresAt, usedAt: null });
      return tokenHash;
    }

    async function session(accountId: number): Promise<string> {
      const { id, tokenHash } = newSessionToken();
      const now = t.clock.now();
      await t.adapter.sessions.create({ id, tokenHash, accountId, createdAt: now, createdIp: '192.0.2.1', userAgent: 'ua', lastSeenAt: now, lastSeenIp: '192.0.2.1', revokedAt: null, revokedReason: null });
      return id;
    }

    const failedLogin = (accountId: number) =>
      t.adapter.loginAttempts.reserveFailure({ accountKey: accountAttemptKey(accountId), kind: 'address', clientId: '203.0.113.5' }, t.clock.now(), true, { client: since(), guesses: since() });
    const attemptsOf = (accountId: number) =>
      t.adapter.loginAttempts.clientAttempts({ accountKey: accountAttemptKey(accountId), kind: 'address', clientId: '203.0.113.5' }, since());

    /** A confirmed TOTP factor, recovery codes and a passkey. */
    async function secondFactors(accountId: number): Promise<void> {
      const secret = randomBytes(48);
      await t.adapter.twoFactorFactors.startTotp(accountId, secret, t.clock.now());
      await t.adapter.twoFactorFactors.confirmTotp(accountId, secret, timeStep(t.clock.now()), t.clock.now());
      await t.adapter.twoFactorFactors.replaceRecoveryCodes(accountId, [randomBytes(16).toString('hex'), randomBytes(16).toString('hex')]);
      const credentialId = randomBytes(16).toString('base64url');
      await t.adapter.twoFactorFactors.addPasskey({ accountId, credentialId, name: 'key', publicKey: randomBytes(32), counter: 0, transports: [], createdAt: t.clock.now() });
    }
    async function expectSecondFactors(accountId: number): Promise<void> {
      expect((await t.adapter.twoFactorFactors.getTotp(accountId))?.confirmedAt).toEqual(expect.any(Number));
      expect(await t.adapter.twoFactorFactors.remainingRecoveryCodes(accountId)).toBe(2);
      expect(await t.adapter.twoFactorFactors.listPasskeys(accountId)).toHaveLength(1);
    }

    /** Two accounts, each with two live sessions, a second grant, a failed login and second factors; the first one's grant to spend. */
    async function world() {
      const [mine, theirs] = t.adapter.accounts;
      for (const account of [mine, theirs]) {
        await session(account);
        await session(account);
        await failedLogin(account);
        await secondFactors(account);
      }
      const spare = await grant(mine);
      const others = await grant(theirs);
      const tokenHash = await grant(mine);
      t.clock.advance(60);
      return { mine, theirs, accountId: mine, spare, others, tokenHash, before: await t.adapter.passwordHashOf(mine) };
    }

    const reset = (over: Partial<ResetCompletion> & Pick<ResetCompletion, 'tokenHash' | 'accountId'>): ResetCompletion => ({
      passwordHash: '$argon2id$new',
      removeSecondFactors: true,
      now: t.clock.now(),
      ...over,
    });
    const events = (done: ResetDone): SecurityEvent[] => [
      { type: 'recovery.password_reset', outcome: 'success', target: 'user:1', details: { revokedSessions: done.revokedSessions } },
    ];

    async function expectUntouched(w: Awaited<ReturnType<typeof world>>): Promise<void> {
      expect((await t.adapter.resetGrants.find(w.tokenHash))?.usedAt).toBeNull();
      expect((await t.adapter.resetGrants.find(w.spare))?.usedAt).toBeNull();
      expect(await t.adapter.passwordHashOf(w.mine)).toBe(w.before);
      expect(await t.adapter.sessions.listLive(w.mine)).toHaveLength(2);
      expect(await attemptsOf(w.mine)).toHaveLength(1);
      await expectSecondFactors(w.mine);
      expect(await t.adapter.auditSink.head()).toBeUndefined();
    }

    it('spends the grant and, in the same step, sets the password, ends every session, revokes other grants, lifts the locks, removes factors and audits', async () => {
      const w = await world();
      const done = await t.adapter.resetCompletion.complete(reset(w), events);
      expect(done).toEqual({ revokedSessions: 2, secondFactorsRemoved: true });
      expect((await t.adapter.resetGrants.find(w.tokenHash))?.usedAt).toBe(t.clock.now());
      expect(await t.adapter.resetGrants.spend(w.spare, t.clock.now())).toBe(false);
      expect(await t.adapter.passwordHashOf(w.mine)).toBe('$argon2id$new');
      expect(await t.adapter.sessions.listLive(w.mine)).toEqual([]);
      expect(await attemptsOf(w.mine)).toEqual([]);
      expect(await t.adapter.twoFactorFactors.getTotp(w.mine)).toBeUndefined();
      expect(await t.adapter.twoFactorFactors.remainingRecoveryCodes(w.mine)).toBe(0);
      expect(await t.adapter.twoFactorFactors.listPasskeys(w.mine)).toEqual([]);
      const [entry, ...more] = await t.adapter.auditSink.readAfter(0, 10);
      expect(more).toEqual([]);
      expect(entry).toMatchObject({ seq: 1, type: 'recovery.password_reset', outcome: 'success', target: 'user:1', details: '{"revokedSessions":2}' });
      expect(await verifyAuditSink(t.adapter.auditKey, t.adapter.auditSink)).toEqual({ checked: 1, problems: [] });
      // The other account keeps everything.
      expect(await t.adapter.sessions.listLive(w.theirs)).toHaveLength(2);
      expect(await attemptsOf(w.theirs)).toHaveLength(1);
      await expectSecondFactors(w.theirs);
      expect(await t.adapter.resetGrants.spend(w.others, t.clock.now())).toBe(true);
    });

    it('keeps the second factors unless asked to remove them', async () => {
      const w = await world();
      expect(await t.adapter.resetCompletion.complete(reset({ ...w, removeSecondFactors: false }), () => [])).toEqual({ revokedSessions: 2, secondFactorsRemoved: false });
      await expectSecondFactors(w.mine);
      expect(await t.adapter.auditSink.head()).toBeUndefined();
    });

    it('of 20 concurrent completions of one grant exactly one succeeds, with one set of side effects', async () => {
      const w = await world();
      const results = await concurrently(20, () => t.adapter.resetCompletion.complete(reset({ ...w, passwordHash: `$argon2id$${randomBytes(4).toString('hex')}` }), events));
      const winners = results.filter((done) => done !== undefined);
      expect(winners).toEqual([{ revokedSessions: 2, secondFactorsRemoved: true }]);
      expect(await t.adapter.auditSink.readAfter(0, 50)).toHaveLength(1);
      expect(await t.adapter.passwordHashOf(w.mine)).toMatch(/^\$argon2id\$[0-9a-f]{8}$/);
    });

    it('refuses another account\'s grant, an unknown one, and a grant once the clock reaches its expiry, changing nothing', async () => {
      const w = await world();
      expect(await t.adapter.resetCompletion.complete(reset({ ...w, accountId: w.theirs }), events)).toBeUndefined();
      expect(await t.adapter.resetCompletion.complete(reset({ ...w, tokenHash: newGrantToken(0).tokenHash }), events)).toBeUndefined();
      const expiresAt = (await t.adapter.resetGrants.find(w.tokenHash))!.expiresAt;
      t.clock.advance((expiresAt - t.clock.now()) / 1000);
      expect(await t.adapter.resetCompletion.complete(reset(w), events)).toBeUndefined();
      await expectUntouched(w);
    });

    it('completes a millisecond before the expiry, and never twice', async () => {
      const w = await world();
      const expiresAt = (await t.adapter.resetGrants.find(w.tokenHash))!.expiresAt;
      expect(await t.adapter.resetCompletion.complete(reset({ ...w, now: expiresAt - 1 }), events)).toBeDefined();
      expect(await t.adapter.resetCompletion.complete(reset({ ...w, now: expiresAt - 1 }), events)).toBeUndefined();
      expect(await t.adapter.auditSink.readAfter(0, 10)).toHaveLength(1);
    });

    it('a failure in the middle (an event the log cannot store) changes nothing at all', async () => {
      const w = await world();
      // JSON has no BigInt: no adapter can store this event.
      const unstorable = (): SecurityEvent[] => [{ type: 'recovery.password_reset', outcome: 'success', details: { n: 1n as unknown as number } }];
      await expect(t.adapter.resetCompletion.complete(reset(w), unstorable)).rejects.toThrow();
      await expectUntouched(w);
      // The grant still works.
      expect(await t.adapter.resetCompletion.complete(reset(w), events)).toBeDefined();
    });
  });
}

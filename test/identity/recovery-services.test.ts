// The core's code and reset services over the recorder's real SQLite adapters: concurrent requests
// interleave at every await of the service, and the ports' atomic operations still decide alone.
// Time stands still on a manual clock, as for requests in the same instant.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../src/identity/audit/security-event.js';
import { checkSentCode, requestSentCode, type CodeChecking, type CodePath } from '../../src/identity/codes/code-recovery.js';
import { CONTACT_CODE_LIFETIME_SECONDS, MAX_SENDS_PER_HOUR } from '../../src/identity/codes/code-rules.js';
import { codeMac, deriveCodeMacKey } from '../../src/identity/codes/contact-code.js';
import { completeReset, type ResetCompleting, type ResetPath } from '../../src/identity/grants/complete-reset.js';
import { grantTokenHash, newGrantToken } from '../../src/identity/grants/reset-grant.js';
import { AttemptThrottle, MemoryAttemptTimes } from '../../src/identity/lockout/attempt-throttle.js';
import { PasswordHasher, TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createAuditLog, type AuditLog } from '../../src/recorder/audit/audit-log.js';
import type { ContactChannel } from '../../src/recorder/api/recovery-methods.js';
import { createRecoveryStore, methodLockPort, resetGrantPort, type RecoveryStore } from '../../src/recorder/db/recovery-store.js';
import { resetCompletionPort } from '../../src/recorder/db/reset-completion.js';
import { createReservedContactStore, sentCodePort } from '../../src/recorder/db/reserved-contact-store.js';
import { twoFactorFactorPort } from '../../src/recorder/db/two-factor-store.js';
import { verifyRecoveryCode } from '../../src/recorder/recovery/reserved-contact.js';
import { sealSecret } from '../../src/identity/two-factor/secrets.js';
import { timeStep, totpAt } from '../../src/identity/two-factor/totp.js';
import { createRecorderStore, openDatabase, type RecorderStore, type UserRecord } from '../../src/recorder/db/store.js';

const ADDRESS = '192.168.1.20';

let db: ReturnType<typeof openDatabase>;
let store: RecorderStore;
let recovery: RecoveryStore;
let audit: AuditLog;
let clock: ManualClock;
let alice: UserRecord;

beforeEach(() => {
  db = openDatabase(':memory:');
  store = createRecorderStore(db);
  recovery = createRecoveryStore(db);
  clock = new ManualClock();
  audit = createAuditLog(db, randomBytes(32), clock);
  alice = store.createUser({ username: 'alice', role: 'admin', passwordHash: 'unused', oneTimePasswordExpiresAt: 0 }, clock.now());
});
afterEach(() => db.close());

/** A throttle wide enough that only the services' own decisions show. */
const wideThrottle = () => {
  const throttle = new AttemptThrottle({ maxAttempts: 1000, windowSeconds: 900, baseBlockSeconds: 60, maxBlockSeconds: 3600 }, clock, new MemoryAttemptTimes());
  return { check: (ip: string) => throttle.check(ip), countFailure: (ip: string) => void throttle.record(ip) };
};

describe('codes sent by mail or SMS', () => {
  const macKey = deriveCodeMacKey(randomBytes(32));
  const deps = (): CodeChecking<ContactChannel> => ({
    codes: sentCodePort(createReservedContactStore(db), { transaction: store.transaction, recovery, audit }),
    methodLocks: methodLockPort(recovery),
    audit,
    sourceThrottle: wideThrottle(),
    clock,
    codeMac: (requestId, code) => codeMac(macKey, requestId, code),
  });
  const path: CodePath<ContactChannel, UserRecord> = {
    holder: (accountId) => store.getUser(accountId),
    secondFactor: () => 'not_required',
    auditTarget: (request) => request?.lockScope ?? null,
    unknownMethod: 'email_or_phone',
  };
  const ask = (ctx: CodeChecking<ContactChannel>) =>
    requestSentCode(ctx, {
      channel: 'email',
      recipient: alice.id,
      lockScope: `user:${alice.id}`,
      audit: (sends): SecurityEvent[] => [{ type: 'recovery.requested', outcome: sends ? 'success' : 'failure', target: `user:${alice.id}` }],
    });

  it('20 concurrent requests for one account: no more codes go out than the budget, and every answer looks alike', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => ask(deps())));
    expect(answers.filter((answer) => answer.code !== null)).toHaveLength(MAX_SENDS_PER_HOUR);
    expect(new Set(answers.map((answer) => answer.requestId)).size).toBe(20);
    expect(new Set(answers.map((answer) => answer.expiresAt))).toEqual(new Set([clock.now() + CONTACT_CODE_LIFETIME_SECONDS * 1000]));
    const requested = audit.query({ type: 'recovery.requested' });
    expect(requested.filter((entry) => entry.outcome === 'success')).toHaveLength(MAX_SENDS_PER_HOUR);
    expect(requested).toHaveLength(20);
  });

  it('20 concurrent right codes: exactly one grant, the rest the answer a wrong code gets, and no guess counted', async () => {
    const ctx = deps();
    const { requestId, code } = await ask(ctx);
    const answers = await Promise.all(Array.from({ length: 20 }, () => checkSentCode(ctx, path, { requestId, code: code!, sourceIp: ADDRESS })));
    const granted = answers.flatMap((answer) => (answer.ok ? [answer.grant] : []));
    expect(granted).toHaveLength(1);
    expect(answers.filter((answer) => !answer.ok && answer.reason === 'invalid_code')).toHaveLength(19);
    expect(recovery.findGrant(grantTokenHash(granted[0]!.token))).toMatchObject({ userId: alice.id, method: 'email', usedAt: null });
    expect(audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(1);
    expect(await ctx.methodLocks.get('email', `user:${alice.id}`)).toBeUndefined();
  });

  it('2 concurrent right codes, each with its own recovery code: one grant, and both recovery codes are spent (the chosen behaviour, see checkSentCode)', async () => {
    const ctx = deps();
    const { requestId, code } = await ask(ctx);
    // Stands for the account's recovery codes: a proof is spent when it is checked, as the recorder's is.
    const unspent = new Set(['first recovery code', 'second recovery code']);
    const withProof = (proof: string): CodePath<ContactChannel, UserRecord> => ({
      ...path,
      secondFactor: async () => (unspent.delete(proof) ? 'accepted' : 'wrong'),
    });
    const answers = await Promise.all(
      [...unspent].map((proof) => checkSentCode(ctx, withProof(proof), { requestId, code: code!, sourceIp: ADDRESS })),
    );
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.filter((answer) => !answer.ok && answer.reason === 'invalid_code')).toHaveLength(1);
    expect(unspent.size).toBe(0);
    expect(audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(1);
    // The loser had the right code: no guess is counted against the owner's own method.
    expect(await ctx.methodLocks.get('email', `user:${alice.id}`)).toBeUndefined();
  });

  it("the owner sends one right code twice at once with one right TOTP code (a double click): one grant, and the other's spent step is no guess", async () => {
    const ctx = deps();
    const twoFactor = twoFactorFactorPort(db);
    const twoFactorKey = randomBytes(32);
    const secret = randomBytes(20);
    // An authenticator app confirmed two steps ago, so the current code is still unused.
    const sealed = sealSecret(twoFactorKey, alice.id, secret);
    await twoFactor.startTotp(alice.id, sealed, clock.now());
    await twoFactor.confirmTotp(alice.id, sealed, timeStep(clock.now()) - 2, clock.now());
    const sourceTimes = new MemoryAttemptTimes();
    const sourceThrottle = new AttemptThrottle({ maxAttempts: 1000, windowSeconds: 900, baseBlockSeconds: 60, maxBlockSeconds: 3600 }, clock, sourceTimes);
    // The recorder's own wiring of the code check, with its second factor.
    const recorder = {
      sentCodes: ctx.codes,
      methodLockStore: ctx.methodLocks,
      audit,
      sourceThrottle,
      clock,
      store,
      reservedContacts: { mac: (requestId: string, code: string) => codeMac(macKey, requestId, code) },
      twoFactor,
      twoFactorKey,
    };
    const { requestId, code } = await ask(ctx);
    const totp = totpAt(secret, clock.now());
    const answers = await Promise.all([0, 1].map(() => verifyRecoveryCode(recorder, { requestId, code: code!, totp, sourceIp: ADDRESS })));

    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.filter((answer) => !answer.ok)).toEqual([{ ok: false, reason: 'invalid_code' }]);
    expect(audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(1);
    // The loser had the right code and the right TOTP code: nothing counts towards locking the owner's method.
    expect(await ctx.methodLocks.get('email', `user:${alice.id}`)).toBeUndefined();
    const failedReasons = () => audit.query({ type: 'recovery.evidence_failed' }).map((entry) => (JSON.parse(entry.details) as { reason: string }).reason).sort();
    expect(failedReasons()).toEqual(['replayed_second_factor']);
    // Against the address, it counts as a spent right code does.
    expect(sourceTimes.times(ADDRESS)).toHaveLength(1);
    // The step still passes once only: with a new code it is refused again; a wrong TOTP code is still a guess.
    const again = await ask(ctx);
    expect(await verifyRecoveryCode(recorder, { requestId: again.requestId, code: again.code!, totp, sourceIp: ADDRESS })).toEqual({ ok: false, reason: 'invalid_code' });
    expect(audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(1);
    const wrongTotp = totp === '000000' ? '000001' : '000000';
    expect(await verifyRecoveryCode(recorder, { requestId: again.requestId, code: again.code!, totp: wrongTotp, sourceIp: ADDRESS })).toEqual({ ok: false, reason: 'invalid_code' });
    expect(await ctx.methodLocks.get('email', `user:${alice.id}`)).toMatchObject({ failures: 1 });
    expect(failedReasons()).toEqual(['invalid_second_factor', 'replayed_second_factor', 'replayed_second_factor']);
  });
});

describe('completing a reset', () => {
  it('20 concurrent completions with one grant set exactly one password, end the sessions once and audit once', async () => {
    const hasher = new PasswordHasher(TEST_ARGON2);
    const deps: ResetCompleting = {
      grants: resetGrantPort(recovery),
      resets: resetCompletionPort(db, { store, recovery, audit }),
      hasher,
      sourceThrottle: wideThrottle(),
      clock,
    };
    const path: ResetPath<UserRecord> = {
      holder: (grant) => store.getUser(grant.accountId),
      judge: async () => ({ level: 'strong', accepted: true, reasons: [], score: 4 }),
      removeSecondFactors: () => false,
      events: ({ revokedSessions }): SecurityEvent[] => [{ type: 'recovery.password_reset', outcome: 'success', target: `user:${alice.id}`, details: { revokedSessions } }],
    };
    const { token, tokenHash, expiresAt } = newGrantToken(clock.now());
    recovery.insertGrant({ tokenHash, userId: alice.id, method: 'recoveryKey', createdAt: clock.now(), expiresAt, usedAt: null });
    store.createSession({ id: 's1', tokenHash: 'h1', userId: alice.id, createdAt: clock.now(), createdIp: ADDRESS, userAgent: '', lastSeenAt: clock.now(), lastSeenIp: ADDRESS, revokedAt: null, revokedReason: null });

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => completeReset(deps, path, { token, newPassword: `new password ${i}`, sourceIp: ADDRESS })),
    );
    const done = answers.filter((answer) => answer.ok);
    expect(done).toEqual([expect.objectContaining({ ok: true, revokedSessions: 1, secondFactorsRemoved: false })]);
    expect(answers.filter((answer) => !answer.ok && answer.reason === 'invalid_reset_token')).toHaveLength(19);
    const winner = answers.indexOf(done[0]!);
    expect((await hasher.verify(store.getUser(alice.id)!.passwordHash, `new password ${winner}`)).valid).toBe(true);
    expect(audit.query({ type: 'recovery.password_reset' })).toHaveLength(1);
  });
});

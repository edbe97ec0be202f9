import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOCKOUT_POLICY } from '../../src/identity/lockout/policy.js';
import { AttemptThrottle, MemoryAttemptTimes } from '../../src/identity/lockout/attempt-throttle.js';
import { LoginLockout } from '../../src/identity/lockout/login-lockout.js';
import { PasswordHasher } from '../../src/identity/passwords/hash.js';
import { issueRecoveryCodes } from '../../src/identity/two-factor/enrolment.js';
import { completeSecondFactor, startSecondFactor, type SecondFactorProof } from '../../src/identity/two-factor/second-factor.js';
import { sealSecret } from '../../src/identity/two-factor/secrets.js';
import { timeStep, totpAt } from '../../src/identity/two-factor/totp.js';
import { recorderTwoFactor, type RecorderTwoFactor } from '../../src/recorder/accounts/two-factor.js';
import { createAuditLog, type AuditLog } from '../../src/recorder/audit/audit-log.js';
import { SOURCE_THROTTLE } from '../../src/recorder/daemon.js';
import { loginAttemptPort } from '../../src/recorder/db/login-attempts.js';
import { createRecorderStore, openDatabase } from '../../src/recorder/db/store.js';
import { secondFactorChallengePort, twoFactorFactorPort, twoFactorPolicyPort } from '../../src/recorder/db/two-factor-store.js';
import type { UserRecord } from '../../src/recorder/db/store.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { sha256Hex } from '../../src/shared/secrets.js';

/**
 * The core's second step on the recorder's SQLite adapters, without a daemon: concurrent
 * submissions run in one process, so they interleave at every awaited store call, as requests on
 * a database server would.
 */
describe('the second step of a login, with every store call awaited', () => {
  let services: RecorderTwoFactor;
  let user: UserRecord;
  let clock: ManualClock;
  let db: ReturnType<typeof openDatabase>;
  let audit: AuditLog;
  let sourceAttempts: MemoryAttemptTimes;
  const secret = randomBytes(20);

  beforeEach(async () => {
    clock = new ManualClock();
    db = openDatabase(':memory:');
    sourceAttempts = new MemoryAttemptTimes();
    const store = createRecorderStore(db);
    store.insertDevice({ serial: 'VGL-TEST', model: 'Vigil', labelCodeHash: 'unused', serverSecret: randomBytes(32), manufacturedAt: 0, activatedAt: 0 });
    user = store.createUser({ username: 'admin', role: 'admin', passwordHash: 'unused', oneTimePasswordExpiresAt: 0 }, clock.now());
    audit = createAuditLog(db, randomBytes(32), clock);
    services = recorderTwoFactor({
      store,
      twoFactor: twoFactorFactorPort(db),
      twoFactorChallenges: secondFactorChallengePort(db),
      twoFactorPolicy: twoFactorPolicyPort(db),
      twoFactorKey: randomBytes(32),
      hasher: new PasswordHasher(),
      lockout: new LoginLockout(DEFAULT_LOCKOUT_POLICY, loginAttemptPort(db), { findById: async (id) => store.getUser(id) }, clock),
      sourceThrottle: new AttemptThrottle(SOURCE_THROTTLE, clock, sourceAttempts),
      audit,
      logger: createLogger({ level: 'silent' }),
      clock,
    });
    // An authenticator app confirmed two steps ago, so the current code is still unused.
    const sealed = sealSecret(services.twoFactorKey, user.id, secret);
    await services.twoFactor.startTotp(user.id, sealed, clock.now());
    await services.twoFactor.confirmTotp(user.id, sealed, timeStep(clock.now()) - 2, clock.now());
  });

  const challenge = async () => (await startSecondFactor(services, user, ['totp', 'recovery_code'], undefined)).challenge;
  const submit = (token: string, proof: SecondFactorProof, sourceIp = '192.0.2.7') =>
    completeSecondFactor(services, { challenge: token, proof, sourceIp, rp: undefined });

  it('a TOTP code and ten recovery codes sent at once for one challenge: one logs in, and the others spend nothing', async () => {
    const recoveryCodes = await issueRecoveryCodes(services, user.id);
    const token = await challenge();
    const proofs: SecondFactorProof[] = [{ totp: totpAt(secret, clock.now()) }, ...recoveryCodes.map((recoveryCode) => ({ recoveryCode }))];
    const outcomes = await Promise.all(proofs.map((proof) => submit(token, proof)));

    const winners = outcomes.filter((o) => o.ok);
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.reason)).toEqual(Array(10).fill('invalid_challenge'));
    const spentRecoveryCodes = winners[0]!.ok && winners[0]!.method === 'recovery_code' ? 1 : 0;
    expect(await services.twoFactor.remainingRecoveryCodes(user.id)).toBe(10 - spentRecoveryCodes);
    // The TOTP code is still good for the next login unless it won this one.
    const next = await submit(await challenge(), { totp: totpAt(secret, clock.now()) });
    expect(next.ok).toBe(spentRecoveryCodes === 1);
  });

  it('20 wrong codes sent at once for one challenge: one is checked and counted, and the challenge lives on', async () => {
    const token = await challenge();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => submit(token, { totp: String(100000 + i) }, `192.0.2.${i + 10}`)));
    expect(outcomes.filter((o) => !o.ok && o.reason === 'invalid_second_factor')).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'invalid_challenge')).toHaveLength(19);
    expect(await services.twoFactorChallenges.findChallenge(sha256Hex(token))).toMatchObject({ failures: 1, endedAt: null });
    const right = await submit(token, { totp: totpAt(secret, clock.now()) });
    expect(right).toMatchObject({ ok: true, method: 'totp' });
  });

  /** What the owner's failures left behind: the login lockout's rows, the source throttle's times, the failure entries. */
  const failuresCounted = () => ({
    lockout: (db.prepare('SELECT COUNT(*) AS n FROM login_attempts WHERE ok = 0').get() as { n: number }).n,
    source: sourceAttempts.times('192.0.2.7').length,
    audited: audit.query({ outcome: 'failure' }).map((entry) => entry.type).sort(),
  });

  it('the owner submits one right TOTP code twice at once for one challenge (a double click): one logs in, the other hears invalid_challenge, and no failure is counted or audited', async () => {
    const token = await challenge();
    const code = totpAt(secret, clock.now());
    const outcomes = await Promise.all([submit(token, { totp: code }), submit(token, { totp: code })]);

    expect(outcomes.filter((o) => o.ok)).toEqual([expect.objectContaining({ ok: true, method: 'totp' })]);
    expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, reason: 'invalid_challenge' }]);
    // A retried request after the login: the challenge is spent, so the code is never checked again.
    expect(await submit(token, { totp: code })).toEqual({ ok: false, reason: 'invalid_challenge' });
    expect(failuresCounted()).toEqual({ lockout: 0, source: 0, audited: [] });
    expect(await services.twoFactorChallenges.findChallenge(sha256Hex(token))).toMatchObject({ failures: 0 });
  });

  it('the same TOTP step for a second login is still a replay: refused, counted and audited', async () => {
    const code = totpAt(secret, clock.now());
    expect(await submit(await challenge(), { totp: code })).toMatchObject({ ok: true });
    expect(await submit(await challenge(), { totp: code })).toEqual({ ok: false, reason: 'invalid_second_factor' });
    expect(failuresCounted()).toEqual({ lockout: 1, source: 1, audited: ['auth.login_failed', 'twofactor.replay_rejected'] });
  });
});

// The offline cloud reset and the waiting period for cloud resets, over HTTP against a real recorder.
// The binding is written with the binding store (what cloud-binding's flow writes); the cloud's side
// of the code is the pure module here, and a real cloud in test/cloud/offline-reset.test.ts.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineResponseCode, parseChallengeText, type OfflineChallenge } from '../../../src/identity/grants/offline-code.js';
import type { OfflineChallengeView } from '../../../src/recorder/api/cloud-reset.js';
import { offlineAnswerRefusal, OFFLINE_CODE_TRIES } from '../../../src/recorder/recovery/cloud-offline.js';
import { activate, ApiClient, loggedInAdmin } from '../../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../../helpers/recorder.js';
import { mailSettingsFor, startTestSmtpServer } from '../../helpers/smtp.js';

const NEW_PASSWORD = 'Marble kettle 61 over the dunes';

/** What binding leaves on the recorder; the secret is what the cloud keeps too. */
function bind(rec: TestRecorder): Buffer {
  const secret = randomBytes(32);
  const bound = rec.running.ctx.cloudBinding.bind(
    { cloudUrl: 'wss://cloud.example.net', cloudPublicKey: 'unused here', ownerLabel: 'o***@example.net', boundAt: rec.clock.now() },
    secret,
  );
  expect(bound).toBe(true);
  return secret;
}

const anonymous = (rec: TestRecorder) => new ApiClient(rec.url);
const openChallenge = (rec: TestRecorder) => anonymous(rec).post('/api/v1/recovery/cloud/challenge');
const answer = (rec: TestRecorder, code: string, username = 'admin') => anonymous(rec).post('/api/v1/recovery/cloud/verify', { username, code });

async function shownChallenge(rec: TestRecorder): Promise<{ view: OfflineChallengeView; challenge: OfflineChallenge }> {
  const res = await openChallenge(rec);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const view = res.body as OfflineChallengeView;
  // What the cloud reads from the typed text is the challenge the recorder holds.
  const challenge = parseChallengeText(view.text)!;
  expect(challenge).toEqual({ serial: rec.serial, nonce: view.nonce, expiresAt: Date.parse(view.expiresAt) });
  expect(parseChallengeText(view.qrPayload)).toEqual(challenge);
  return { view, challenge };
}

/** The reasons the recorder wrote for refused codes, oldest first. */
function refusals(rec: TestRecorder): string[] {
  return rec.running.ctx.audit
    .query({ type: 'recovery.evidence_failed', limit: 100 })
    .map((e) => JSON.parse(e.details) as { method: string; reason: string })
    .filter((d) => d.method === 'cloud')
    .map((d) => d.reason)
    .reverse();
}

function expectWrong(res: { status: number; body: { error: { code: string; details?: { triesLeft: number } } } }, triesLeft: number): void {
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('invalid_cloud_code');
  expect(res.body.error.details?.triesLeft).toBe(triesLeft);
}

const wrongCodeFor = (code: string) => (code.startsWith('0') ? '1' : '0') + code.slice(1);

describe('offlineAnswerRefusal (pure)', () => {
  it.each([
    [null, { open: true, codeMatches: true, user: { role: 'admin' as const } }],
    ['no_open_challenge', { open: false, codeMatches: true, user: { role: 'admin' as const } }],
    ['wrong_code', { open: true, codeMatches: false, user: { role: 'admin' as const } }],
    ['not_admin', { open: true, codeMatches: true, user: { role: 'viewer' as const } }],
    ['not_admin', { open: true, codeMatches: true, user: undefined }],
  ])('%s', (reason, here) => expect(offlineAnswerRefusal(here)).toBe(reason));
});

describe('a recorder not bound to a cloud account', () => {
  let rec: TestRecorder;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
  });
  afterEach(() => rec.close());

  it('does not offer the cloud path, and both routes say so', async () => {
    expect((await anonymous(rec).get('/api/v1/device')).body.recoveryMethods.cloud).toBe(false);
    for (const res of [await openChallenge(rec), await answer(rec, '00000-00000')]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('cloud_not_bound');
    }
    expect(rec.running.ctx.audit.query({ type: 'recovery.requested' })).toHaveLength(0);
  });

  it('offers it once bound, and no more once unbound', async () => {
    bind(rec);
    expect((await anonymous(rec).get('/api/v1/device')).body.recoveryMethods.cloud).toBe(true);
    expect(rec.running.ctx.cloudBinding.unbind()).toBe(true);
    expect((await anonymous(rec).get('/api/v1/device')).body.recoveryMethods.cloud).toBe(false);
  });
});

describe('offline cloud reset over HTTP', () => {
  let rec: TestRecorder;
  let secret: Buffer;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
    secret = bind(rec);
  });
  afterEach(() => rec.close());

  it('challenge -> code from the cloud -> grant with the method cloud -> new password', async () => {
    const admin = await loggedInAdmin(rec);
    const { view, challenge } = await shownChallenge(rec);
    expect(view.triesLeft).toBe(OFFLINE_CODE_TRIES);
    expect(view.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(Date.parse(view.expiresAt) - rec.clock.now()).toBeLessThanOrEqual(30 * 60_000);

    const granted = await answer(rec, offlineResponseCode(secret, challenge));
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    expect(granted.body).toMatchObject({ username: 'admin', method: 'cloud', mayClearTwoFactor: true });

    const reset = await anonymous(rec).post('/api/v1/recovery/reset', { token: granted.body.token, newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect((await admin.get('/api/v1/me')).status).toBe(401);
    expect((await anonymous(rec).login('admin', NEW_PASSWORD)).status).toBe(201);

    const audit = rec.running.ctx.audit.query({ limit: 100 });
    const accepted = audit.find((e) => e.type === 'recovery.evidence_accepted')!;
    expect(JSON.parse(accepted.details)).toEqual({ method: 'cloud', via: 'offline', challenge: challenge.nonce });
    expect(JSON.parse(audit.find((e) => e.type === 'recovery.password_reset')!.details)).toMatchObject({ method: 'cloud' });
    expect(JSON.parse(audit.find((e) => e.type === 'recovery.requested')!.details)).toEqual({ method: 'cloud', via: 'offline', challenge: challenge.nonce });
    // The code is a one-time key: it never reaches a log line.
    expect(rec.logs.join('\n')).not.toContain(offlineResponseCode(secret, challenge).replace('-', ''));
  });

  it('one challenge at a time: asking again shows the open one, with its tries left', async () => {
    const first = await shownChallenge(rec);
    expectWrong(await answer(rec, wrongCodeFor(offlineResponseCode(secret, first.challenge))), OFFLINE_CODE_TRIES - 1);
    const again = await shownChallenge(rec);
    expect(again.challenge).toEqual(first.challenge);
    expect(again.view.triesLeft).toBe(OFFLINE_CODE_TRIES - 1);
    expect(rec.running.ctx.audit.query({ type: 'recovery.requested' })).toHaveLength(1);
  });

  it('a code for another challenge is refused: a closed one of this recorder, or one with another nonce', async () => {
    const first = await shownChallenge(rec);
    const firstCode = offlineResponseCode(secret, first.challenge);
    expect((await answer(rec, firstCode)).status).toBe(201);
    const second = await shownChallenge(rec);
    expect(second.challenge.nonce).not.toBe(first.challenge.nonce);
    expectWrong(await answer(rec, firstCode), OFFLINE_CODE_TRIES - 1);
    expectWrong(await answer(rec, offlineResponseCode(secret, { ...second.challenge, nonce: first.challenge.nonce })), OFFLINE_CODE_TRIES - 2);
    // Another device's secret over this very challenge.
    expectWrong(await answer(rec, offlineResponseCode(randomBytes(32), second.challenge)), OFFLINE_CODE_TRIES - 3);
    expect(refusals(rec)).toEqual(['wrong_code', 'wrong_code', 'wrong_code']);
    expect((await answer(rec, offlineResponseCode(secret, second.challenge))).status).toBe(201);
  });

  it('a right code works once: reused after success it finds no open challenge, also after a restart', async () => {
    const { challenge } = await shownChallenge(rec);
    const code = offlineResponseCode(secret, challenge);
    expect((await answer(rec, code)).status).toBe(201);
    const reused = await answer(rec, code);
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('no_open_cloud_challenge');
    await rec.restart();
    expect((await answer(rec, code)).status).toBe(409);
    expect(refusals(rec)).toEqual(['no_open_challenge', 'no_open_challenge']);
    expect(rec.running.ctx.audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(1);
  });

  it('an open challenge survives a restart, still single use', async () => {
    const { challenge } = await shownChallenge(rec);
    await rec.restart();
    expect((await shownChallenge(rec)).challenge).toEqual(challenge);
    const code = offlineResponseCode(secret, challenge);
    expect((await answer(rec, code)).status).toBe(201);
    await rec.restart();
    expect((await answer(rec, code)).status).toBe(409);
    expect((await shownChallenge(rec)).challenge.nonce).not.toBe(challenge.nonce);
  });

  it('5 wrong codes close the challenge: the 6th answer, even the right code, is refused', async () => {
    const { challenge } = await shownChallenge(rec);
    const code = offlineResponseCode(secret, challenge);
    for (let left = OFFLINE_CODE_TRIES - 1; left >= 0; left--) expectWrong(await answer(rec, wrongCodeFor(code)), left);
    const sixth = await answer(rec, code);
    expect(sixth.status).toBe(409);
    expect(sixth.body.error.code).toBe('no_open_cloud_challenge');
    expect(rec.running.ctx.audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(0);
    // A new challenge has a new nonce, so the code of the closed one is worth nothing there either.
    const next = await shownChallenge(rec);
    expect(next.challenge.nonce).not.toBe(challenge.nonce);
    expect(next.view.triesLeft).toBe(OFFLINE_CODE_TRIES);
  });

  it('a challenge expires after 30 minutes', async () => {
    const { challenge } = await shownChallenge(rec);
    rec.clock.advance(30 * 60);
    const late = await answer(rec, offlineResponseCode(secret, challenge));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('no_open_cloud_challenge');
  });

  it('an unknown or non-admin username gets the answer a wrong code gets, and counts as one', async () => {
    const admin = await loggedInAdmin(rec);
    expect((await admin.post('/api/v1/users', { username: 'vera', role: 'viewer' })).status).toBe(201);
    const { challenge } = await shownChallenge(rec);
    const code = offlineResponseCode(secret, challenge);
    const forViewer = await answer(rec, code, 'vera');
    const forNobody = await answer(rec, code, 'nobody');
    const wrong = await answer(rec, wrongCodeFor(code));
    expectWrong(forViewer, 4);
    expectWrong(forNobody, 3);
    expectWrong(wrong, 2);
    expect(refusals(rec)).toEqual(['not_admin', 'not_admin', 'wrong_code']);
    expect((await answer(rec, code)).status).toBe(201);
  });

  it('20 concurrent answers with the right code give exactly one grant', async () => {
    const { challenge } = await shownChallenge(rec);
    const code = offlineResponseCode(secret, challenge);
    const answers = await Promise.all(Array.from({ length: 20 }, () => answer(rec, code)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(rec.running.ctx.audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(1);
  });

  it('wrong codes count against the source address too, across challenges', async () => {
    let blocked;
    for (let i = 0; i < 20 && !blocked; i++) {
      const res = await answer(rec, '00000-00000');
      if (res.status === 429) blocked = res;
      if (res.status === 409) await shownChallenge(rec); // closed after 5: ask for the next
    }
    expect(blocked?.body.error.code).toBe('too_many_attempts');
    expect(rec.running.ctx.audit.query({ type: 'auth.lockout' })).toHaveLength(1);
  });

  it('challenges are rate-limited per address', async () => {
    for (let i = 0; i < 10; i++) expect((await openChallenge(rec)).status).toBe(200);
    const limited = await openChallenge(rec);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_requests');
  });
});

describe('the waiting period for cloud resets', () => {
  let rec: TestRecorder;
  let secret: Buffer;
  let admin: ApiClient;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
    secret = bind(rec);
    admin = await loggedInAdmin(rec);
  });
  afterEach(() => rec.close());

  async function setWait(hours: number): Promise<void> {
    const res = await admin.put('/api/v1/settings/cloud-reset', { waitHours: hours });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ waitHours: hours });
  }

  async function pendingClaim(): Promise<{ claimToken: string; effectiveAt: string }> {
    const { challenge } = await shownChallenge(rec);
    const res = await answer(rec, offlineResponseCode(secret, challenge));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body;
  }

  const claim = (claimToken: string) => anonymous(rec).post('/api/v1/recovery/cloud/pending/claim', { claimToken });

  it('is none by default, set by an admin only, and audited', async () => {
    expect((await admin.get('/api/v1/settings/cloud-reset')).body).toEqual({ waitHours: 0 });
    expect((await anonymous(rec).put('/api/v1/settings/cloud-reset', { waitHours: 48 })).status).toBe(401);
    for (const waitHours of [-1, 721, 1.5]) expect((await admin.put('/api/v1/settings/cloud-reset', { waitHours })).status).toBe(400);
    await setWait(48);
    const changed = rec.running.ctx.audit.query({ type: 'settings.changed' }).find((e) => e.target === 'settings:cloud-reset')!;
    expect(JSON.parse(changed.details)).toEqual({ waitHours: 48, before: 0 });
  });

  it('holds a cloud reset until the wait ends, audited as pending, then gives the grant once', async () => {
    await setWait(24);
    const waiting = await pendingClaim();
    expect(Date.parse(waiting.effectiveAt)).toBe(rec.clock.now() + 24 * 3600_000);
    expect(rec.running.ctx.audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(0);
    const pendingEvent = rec.running.ctx.audit.query({ type: 'recovery.cloud_reset_pending' });
    expect(pendingEvent).toHaveLength(1);
    expect(pendingEvent[0]!.target).toMatch(/^user:\d+$/);
    expect((await anonymous(rec).get('/api/v1/recovery/cloud/pending')).body).toMatchObject({ waitHours: 24, pending: [{ via: 'offline' }] });

    const early = await claim(waiting.claimToken);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'cloud_reset_waiting', details: { effectiveAt: waiting.effectiveAt } });

    rec.clock.advance(24 * 3600);
    const granted = await claim(waiting.claimToken);
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    expect(granted.body).toMatchObject({ username: 'admin', method: 'cloud' });
    expect((await claim(waiting.claimToken)).status).toBe(401);
    expect((await anonymous(rec).post('/api/v1/recovery/reset', { token: granted.body.token, newPassword: NEW_PASSWORD })).status).toBe(200);
  });

  it('is cancelled by the owner at the LAN without logging in: the claim then gives nothing', async () => {
    await setWait(1);
    const waiting = await pendingClaim();
    const cancelled = await anonymous(rec).post('/api/v1/recovery/cloud/pending/cancel');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ cancelled: 1 });
    rec.clock.advance(3600);
    expect((await claim(waiting.claimToken)).status).toBe(401);
    expect((await anonymous(rec).get('/api/v1/recovery/cloud/pending')).body.pending).toEqual([]);
    const event = rec.running.ctx.audit.query({ type: 'recovery.cloud_reset_cancelled' })[0]!;
    expect(JSON.parse(event.details)).toMatchObject({ cancelled: 1, by: 'lan' });
  });

  it('is cancelled by an admin, across a restart, and the admin is named in the audit log', async () => {
    await setWait(1);
    const waiting = await pendingClaim();
    await rec.restart();
    admin = await loggedInAdmin(rec);
    expect((await admin.post('/api/v1/settings/cloud-reset/cancel-pending')).body).toEqual({ cancelled: 1 });
    rec.clock.advance(3600);
    expect((await claim(waiting.claimToken)).status).toBe(401);
    const event = rec.running.ctx.audit.query({ type: 'recovery.cloud_reset_cancelled' })[0]!;
    expect(event.actorUsername).toBe('admin');
  });

  it('a made-up claim is refused and counts against the source address', async () => {
    const res = await claim('x'.repeat(43));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_cloud_claim');
    expect(refusals(rec)).toEqual(['unknown_or_cancelled_claim']);
  });

  it('the pending reset is mailed at once to the account, saying when it takes effect and how to stop it', async () => {
    const smtp = await startTestSmtpServer();
    try {
      expect((await admin.put('/api/v1/settings/mail', mailSettingsFor(smtp))).status).toBe(200);
      await admin.put('/api/v1/me/notification-email', { email: 'owner@example.net', currentPassword: STRONG_PASSWORD });
      await setWait(2);
      const waiting = await pendingClaim();
      await rec.running.ctx.audit.settled();
      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0]!;
      expect(mail.rcptTo).toEqual(['owner@example.net']);
      expect(mail.headers.subject).toBe('Vigil: A reset of your admin password through the cloud account is waiting');
      expect(mail.text).toContain(`It takes effect at ${waiting.effectiveAt} (UTC)`);
      expect(mail.text).toContain('cancel it now on the recorder');
      expect(mail.text).not.toContain(waiting.claimToken);
    } finally {
      await smtp.close();
    }
  });
});

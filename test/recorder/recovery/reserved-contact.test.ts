// Recovery by a code sent to the reserved email or phone, and the password hint: a real recorder
// over HTTP, a real SMTP server, and a real HTTP server as the SMS gateway.
import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_SENDS_PER_HOUR } from '../../../src/recorder/recovery/reserved-contact-rules.js';
import { activate, ApiClient, loggedInAdmin, type ApiResponse } from '../../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../../helpers/recorder.js';
import { mailSettingsFor, type ReceivedMail, startTestSmtpServer, type TestSmtpServer } from '../../helpers/smtp.js';
import { startTestSmsGateway, type TestSmsGateway } from '../../helpers/sms-gateway.js';
import { appCode, enrolTotp } from '../../helpers/two-factor.js';

const EXTERNAL_URL = 'https://nvr.example.net';
const RESERVED = 'owner@example.net';
const PHONE = '+49 170 1234567';
const NEW_PASSWORD = 'Marble kettle 61 over the dunes';
const HINT = 'the orange planet and the lamp';

let rec: TestRecorder;
let smtp: TestSmtpServer;
let admin: ApiClient;
let anon: ApiClient;

const mailSettings = () => (mailSettingsFor(smtp));

/** Every send started so far (in the background, and security notices) has finished. */
async function sendsSettled(): Promise<void> {
  await rec.running.ctx.audit.settled();
  await rec.running.ctx.reservedContacts.settled();
}

const codeIn = (text: string) => /\b(\d{8})\b/.exec(text)?.[1];
const mailsTo = (address: string) => smtp.mails.filter((m) => m.rcptTo.includes(address));
const lastMailTo = (address: string): ReceivedMail => mailsTo(address).at(-1)!;

async function reserveEmail(client: ApiClient, address = RESERVED): Promise<void> {
  const set = await client.put('/api/v1/me/recovery/contacts/email', { address, currentPassword: STRONG_PASSWORD });
  expect(set.status).toBe(202);
  const code = codeIn(lastMailTo(address.toLowerCase()).text)!;
  const confirmed = await client.post('/api/v1/me/recovery/contacts/email/confirm', { code });
  expect(confirmed.status).toBe(200);
}

const requestCode = (address = RESERVED, username = 'admin', channel = 'email') =>
  anon.post('/api/v1/recovery/code', { username, channel, address });

/** Asks for a code and reads it from the mail that arrives. */
async function mailedCode(address = RESERVED): Promise<{ requestId: string; code: string }> {
  const before = mailsTo(address).length;
  const res = await requestCode(address);
  expect(res.status).toBe(202);
  await sendsSettled();
  expect(mailsTo(address)).toHaveLength(before + 1);
  return { requestId: res.body.requestId, code: codeIn(lastMailTo(address).text)! };
}

const verify = (body: Record<string, unknown>) => anon.post('/api/v1/recovery/code/verify', body);

beforeEach(async () => {
  smtp = await startTestSmtpServer();
  rec = await startTestRecorder({ externalUrl: EXTERNAL_URL });
  await activate(rec);
  admin = await loggedInAdmin(rec);
  anon = new ApiClient(rec.url);
});
afterEach(async () => {
  await rec.close();
  await smtp.close();
});

describe('setting the reserved email and the hint', () => {
  it('needs mail set up, the current password and the code sent to the new address; shows the address only masked', async () => {
    const early = await admin.put('/api/v1/me/recovery/contacts/email', { address: RESERVED, currentPassword: STRONG_PASSWORD });
    expect([early.status, early.body.error.code]).toEqual([409, 'mail_not_configured']);
    expect((await admin.put('/api/v1/settings/mail', mailSettings())).status).toBe(200);

    const wrongPassword = await admin.put('/api/v1/me/recovery/contacts/email', { address: RESERVED, currentPassword: OTHER_STRONG_PASSWORD });
    expect([wrongPassword.status, wrongPassword.body.error.code]).toEqual([403, 'invalid_current_password']);
    const notAnAddress = await admin.put('/api/v1/me/recovery/contacts/email', { address: 'nobody', currentPassword: STRONG_PASSWORD });
    expect([notAnAddress.status, notAnAddress.body.error.code]).toEqual([422, 'invalid_address']);
    expect(smtp.mails).toHaveLength(0);

    const set = await admin.put('/api/v1/me/recovery/contacts/email', { address: ' Owner@Example.net ', currentPassword: STRONG_PASSWORD });
    expect(set.status).toBe(202);
    expect(set.body.email).toEqual({ verified: null, pending: 'o***@example.net', available: true });
    const mail = lastMailTo(RESERVED);
    expect(mail.headers.subject).toBe('Vigil: confirm your reserved address');
    const code = codeIn(mail.text)!;
    expect(code).toMatch(/^\d{8}$/);

    // Not yet configured: an unverified address is never used for recovery.
    expect((await anon.get('/api/v1/device')).body.recoveryMethods.email).toBe(false);
    const wrong = await admin.post('/api/v1/me/recovery/contacts/email/confirm', { code: code === '00000000' ? '11111111' : '00000000' });
    expect([wrong.status, wrong.body.error.code]).toEqual([422, 'invalid_code']);
    const confirmed = await admin.post('/api/v1/me/recovery/contacts/email/confirm', { code });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({
      email: { verified: 'o***@example.net', pending: null, available: true },
      phone: { verified: null, pending: null, available: false },
      hintSet: false,
    });
    expect((await anon.get('/api/v1/device')).body.recoveryMethods.email).toBe(true);
    const replay = await admin.post('/api/v1/me/recovery/contacts/email/confirm', { code });
    expect([replay.status, replay.body.error.code]).toEqual([409, 'no_pending_address']);

    const audit = rec.running.ctx.audit.query({ type: 'recovery.method_changed' }).map((e) => JSON.parse(e.details) as Record<string, unknown>);
    expect(audit).toContainEqual({ method: 'email', change: 'verified' });
    expect(audit).toContainEqual({ method: 'email', change: 'verification_sent' });
    expect(JSON.stringify(rec.running.ctx.audit.query({ limit: 100 }))).not.toContain(code);
    expect(rec.logs.join('')).not.toContain(code);

    const removed = await admin.post('/api/v1/me/recovery/contacts/email/remove', { currentPassword: STRONG_PASSWORD });
    expect(removed.body.email.verified).toBeNull();
    expect((await anon.get('/api/v1/device')).body.recoveryMethods.email).toBe(false);
  });

  it('a setup code expires and stops working after 5 wrong tries', async () => {
    await admin.put('/api/v1/settings/mail', mailSettings());
    await admin.put('/api/v1/me/recovery/contacts/email', { address: RESERVED, currentPassword: STRONG_PASSWORD });
    const code = codeIn(lastMailTo(RESERVED).text)!;
    const wrongCode = code === '12345678' ? '87654321' : '12345678';
    for (let i = 0; i < 5; i++) expect((await admin.post('/api/v1/me/recovery/contacts/email/confirm', { code: wrongCode })).status).toBe(422);
    const burnt = await admin.post('/api/v1/me/recovery/contacts/email/confirm', { code });
    expect([burnt.status, burnt.body.error.code]).toEqual([409, 'no_pending_address']);

    await admin.put('/api/v1/me/recovery/contacts/email', { address: RESERVED, currentPassword: STRONG_PASSWORD });
    const second = codeIn(lastMailTo(RESERVED).text)!;
    rec.clock.advance(15 * 60 + 1);
    expect((await admin.post('/api/v1/me/recovery/contacts/email/confirm', { code: second })).status).toBe(409);
  });

  it('the hint is never shown, refuses the password, and is mailed only to the verified reserved email', async () => {
    await admin.put('/api/v1/settings/mail', mailSettings());
    const givesItAway = await admin.put('/api/v1/me/recovery/hint', { hint: `it is ${STRONG_PASSWORD.toUpperCase()}`, currentPassword: STRONG_PASSWORD });
    expect([givesItAway.status, givesItAway.body.error.code]).toEqual([422, 'hint_contains_password']);
    const set = await admin.put('/api/v1/me/recovery/hint', { hint: HINT, currentPassword: STRONG_PASSWORD });
    expect(set.status).toBe(200);
    expect(set.body.hintSet).toBe(true);
    expect(JSON.stringify(set.body)).not.toContain('orange');
    expect(JSON.stringify((await admin.get('/api/v1/me/recovery/contacts')).body)).not.toContain('orange');

    // No verified address yet: the same answer, nothing sent.
    const early = await anon.post('/api/v1/recovery/hint', { username: 'admin', address: RESERVED });
    expect(early.status).toBe(202);
    await reserveEmail(admin);
    const wrongAddress = await anon.post('/api/v1/recovery/hint', { username: 'admin', address: 'other@example.net' });
    expect(wrongAddress.status).toBe(202);
    expect(wrongAddress.body).toEqual(early.body);
    await sendsSettled();
    expect(smtp.mails.filter((m) => m.text.includes(HINT))).toHaveLength(0);

    const right = await anon.post('/api/v1/recovery/hint', { username: 'admin', address: RESERVED.toUpperCase() });
    expect(right.body).toEqual(early.body);
    await sendsSettled();
    const hintMails = smtp.mails.filter((m) => m.text.includes(HINT));
    expect(hintMails.map((m) => m.rcptTo)).toEqual([[RESERVED]]);
    expect(hintMails[0]!.text).toContain(EXTERNAL_URL);
    expect(rec.logs.join('')).not.toContain(HINT);
    expect(JSON.stringify(rec.running.ctx.audit.query({ limit: 100 }))).not.toContain(HINT);

    const cleared = await admin.put('/api/v1/me/recovery/hint', { hint: null, currentPassword: STRONG_PASSWORD });
    expect(cleared.body.hintSet).toBe(false);
  });
});

describe('recovery by a code to the reserved email', () => {
  beforeEach(async () => {
    await admin.put('/api/v1/settings/mail', mailSettings());
    await reserveEmail(admin);
  });

  it('code -> grant -> new password -> login; the code works once, and the reset is announced to the reserved address', async () => {
    const { requestId, code } = await mailedCode();
    const mail = lastMailTo(RESERVED);
    expect(mail.headers.subject).toBe('Vigil: your recovery code');
    expect(mail.text).toContain(EXTERNAL_URL);

    const granted = await verify({ requestId, code });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ username: 'admin', method: 'email', mayClearTwoFactor: false });
    const again = await verify({ requestId, code });
    expect([again.status, again.body.error.code]).toEqual([401, 'invalid_code']);

    const reset = await anon.post('/api/v1/recovery/reset', { token: granted.body.token, newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect((await new ApiClient(rec.url).login('admin', NEW_PASSWORD)).status).toBe(201);
    await sendsSettled();
    const notice = lastMailTo(RESERVED);
    expect(notice.headers.subject).toBe('Vigil: Your admin password was reset through recovery');
    expect(notice.text).toContain('a code sent to the reserved email address');
    expect(rec.logs.join('')).not.toContain(code);
  });

  it('answers the same whoever asks: unknown user, non-admin, wrong address, spent budget; only the right one is mailed', async () => {
    const created = await admin.post('/api/v1/users', { username: 'otto', role: 'operator' });
    // Even a verified address on a non-admin account is never used.
    const ctx = rec.running.ctx;
    ctx.reservedContacts.store.putPending(created.body.user.id, 'email', { address: 'otto@example.net', codeHmac: 'x', expiresAt: Date.now() + 1e9 }, 0);
    ctx.reservedContacts.store.promotePending(created.body.user.id, 'email', 0);

    const answers: ApiResponse[] = [
      await requestCode(RESERVED, 'nobody'),
      await requestCode('otto@example.net', 'otto'),
      await requestCode('someone@example.net'),
      await requestCode('+49 170 1234567', 'admin', 'phone'),
    ];
    for (let i = 0; i < MAX_SENDS_PER_HOUR; i++) answers.push(await requestCode());
    answers.push(await requestCode()); // over the budget: not sent
    await sendsSettled();

    const shape = (r: ApiResponse) => ({ status: r.status, keys: Object.keys(r.body).sort(), id: /^[A-Za-z0-9_-]{24}$/.test(r.body.requestId) });
    for (const answer of answers) expect(shape(answer)).toEqual({ status: 202, keys: ['expiresAt', 'requestId'], id: true });
    expect(new Set(answers.map((a) => a.body.requestId)).size).toBe(answers.length);
    const codeMails = smtp.mails.filter((m) => m.headers.subject === 'Vigil: your recovery code');
    expect(codeMails).toHaveLength(MAX_SENDS_PER_HOUR);
    expect(codeMails.every((m) => m.rcptTo.join() === RESERVED)).toBe(true);

    // A decoy request id answers exactly like a wrong code.
    const decoy = await verify({ requestId: answers[2]!.body.requestId, code: '12345678' });
    const wrong = await verify({ requestId: answers[4]!.body.requestId, code: codeIn(codeMails[0]!.text) === '12345678' ? '87654321' : '12345678' });
    expect([decoy.status, decoy.body]).toEqual([wrong.status, wrong.body]);

    const blocked = ctx.audit.query({ type: 'recovery.blocked' });
    expect(blocked.map((e) => JSON.parse(e.details))).toContainEqual({ method: 'email', what: 'code', reason: 'budget_spent' });

    rec.clock.advance(3601);
    await requestCode();
    await sendsSettled();
    expect(smtp.mails.filter((m) => m.headers.subject === 'Vigil: your recovery code')).toHaveLength(MAX_SENDS_PER_HOUR + 1);
  });

  it('the budget per source address stops a flood of requests before anything is looked up', async () => {
    for (let i = 0; i < 10; i++) expect((await requestCode(`guess${i}@example.net`)).status).toBe(202);
    const flooded = await requestCode();
    expect([flooded.status, flooded.body.error.code]).toEqual([429, 'too_many_requests']);
    expect(flooded.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await anon.post('/api/v1/recovery/hint', { username: 'admin', address: RESERVED })).status).toBe(429);
  });

  it('guessing stops at 5 wrong codes per account, and a new code does not reset the count', async () => {
    const first = await mailedCode();
    const wrongFor = (code: string) => (code === '12345678' ? '87654321' : '12345678');
    for (let i = 0; i < 3; i++) expect((await verify({ requestId: first.requestId, code: wrongFor(first.code) })).status).toBe(401);
    const second = await mailedCode();
    for (let i = 0; i < 2; i++) expect((await verify({ requestId: second.requestId, code: wrongFor(second.code) })).status).toBe(401);

    const refused = await verify({ requestId: second.requestId, code: second.code });
    expect([refused.status, refused.body.error.code]).toEqual([429, 'recovery_method_blocked']);
    const third = await mailedCode();
    expect((await verify({ requestId: third.requestId, code: third.code })).status).toBe(429);
    expect(rec.running.ctx.audit.query({ type: 'recovery.blocked' }).map((e) => JSON.parse(e.details).method)).toContain('email');

    // The block is kept in the database: a restart does not lift it.
    await rec.restart();
    anon = new ApiClient(rec.url);
    expect((await verify({ requestId: third.requestId, code: third.code })).status).toBe(429);
    rec.clock.advance(3600);
    const fresh = await mailedCode();
    expect((await verify({ requestId: fresh.requestId, code: fresh.code })).status).toBe(201);
  });

  it('guesses against a request that sent nothing are blocked the same way, so the block does not reveal the reserved address', async () => {
    const guess = async (requestId: string) => (await verify({ requestId, code: '12345678' })).status;
    for (const [username, address] of [
      ['admin', 'other@example.net'],
      ['nobody', RESERVED],
    ]) {
      // Two rounds of 5 wrong codes would also spend this address's 10 failures: tested on its own below.
      rec.running.ctx.sourceThrottle.clear('127.0.0.1');
      const decoy = (await requestCode(address, username)).body.requestId;
      for (let i = 0; i < 5; i++) expect(await guess(decoy)).toBe(401);
      const blocked = await verify({ requestId: decoy, code: '12345678' });
      expect([blocked.status, blocked.body.error.code]).toEqual([429, 'recovery_method_blocked']);
      // A new request for the same username and address is blocked too, as a real one would be.
      expect(await guess((await requestCode(address, username)).body.requestId)).toBe(429);
    }
    // Other addresses, and the owner's own, are not blocked by it.
    expect(await guess((await requestCode('third@example.net')).body.requestId)).toBe(401);
    const { requestId, code } = await mailedCode();
    expect((await verify({ requestId, code })).status).toBe(201);
  });

  it('wrong codes also count against the source address', async () => {
    // Random request ids (no account behind them) so the per-account block never comes first.
    for (let i = 0; i < 10; i++) expect((await verify({ requestId: `made-up-${i}`, code: '12345678' })).status).toBe(401);
    const throttled = await verify({ requestId: 'made-up-last', code: '12345678' });
    expect([throttled.status, throttled.body.error.code]).toEqual([429, 'too_many_attempts']);
  });

  it('a code expires after 15 minutes', async () => {
    const { requestId, code } = await mailedCode();
    rec.clock.advance(15 * 60);
    const late = await verify({ requestId, code });
    expect([late.status, late.body.error.code]).toEqual([401, 'invalid_code']);
  });

  it('one code sent by 20 concurrent requests gives exactly one grant', async () => {
    const { requestId, code } = await mailedCode();
    const answers = await Promise.all(Array.from({ length: 20 }, () => verify({ requestId, code })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 401 || a.status === 429)).toHaveLength(19);
    expect(rec.running.ctx.audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(1);
    // The spent right code is no guess: the owner's account is not blocked by their own double click.
    expect(rec.running.ctx.methodLocks.state('email', 'user:1')).toEqual({ blocked: false, failures: 0 });
  });

  it('does not bypass two-step login: the code is kept until the authenticator code comes with it', async () => {
    const { secret } = await enrolTotp(rec, admin);
    const { requestId, code } = await mailedCode();
    const wrongCode = await verify({ requestId, code: code === '12345678' ? '87654321' : '12345678' });
    const missing = await verify({ requestId, code });
    const wrong = await verify({ requestId, code, totp: appCode(rec, secret) === '000000' ? '111111' : '000000' });
    // A right code without the right second factor is answered like a wrong code, and counts like one:
    // nothing confirms a guessed code to someone who lacks the second factor.
    for (const refusal of [missing, wrong]) expect([refusal.status, refusal.body]).toEqual([401, wrongCode.body]);
    expect(wrongCode.body.error.code).toBe('invalid_code');
    expect(rec.running.ctx.methodLocks.state('email', 'user:1')).toMatchObject({ failures: 3 });
    rec.clock.advance(30);
    const granted = await verify({ requestId, code, totp: appCode(rec, secret) });
    expect(granted.status).toBe(201);
    expect(granted.body.mayClearTwoFactor).toBe(false);
  });

  it('mails use the configured external URL, never the Host or X-Forwarded-Host of the request', async () => {
    const poisoned = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
    const res = await rawPost('/api/v1/recovery/code', { username: 'admin', channel: 'email', address: RESERVED }, poisoned);
    expect(res.status).toBe(202);
    await sendsSettled();
    const code = codeIn(lastMailTo(RESERVED).text)!;
    const granted = await rawPost('/api/v1/recovery/code/verify', { requestId: res.body.requestId, code }, poisoned);
    expect(granted.status).toBe(201);
    expect((await rawPost('/api/v1/recovery/reset', { token: granted.body.token, newPassword: NEW_PASSWORD }, poisoned)).status).toBe(200);
    await rawPost('/api/v1/recovery/hint', { username: 'admin', address: RESERVED }, poisoned);
    await sendsSettled();

    const sent = mailsTo(RESERVED);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const mail of sent) {
      expect(mail.raw).not.toContain('evil.example');
    }
    for (const mail of sent.slice(1)) expect(mail.text).toContain(EXTERNAL_URL);
  });

  it('answers only the LAN while the weak paths are LAN-only, for every username alike', async () => {
    const fromInternet = (url: string, payload: unknown) =>
      rec.running.app.inject({ method: 'POST', url, payload: payload as object, remoteAddress: '203.0.113.9' });
    for (const username of ['admin', 'nobody']) {
      const res = await fromInternet('/api/v1/recovery/code', { username, channel: 'email', address: RESERVED });
      expect([res.statusCode, res.json().error.code]).toEqual([403, 'recovery_lan_only']);
    }
    expect((await fromInternet('/api/v1/recovery/code/verify', { requestId: 'x', code: '12345678' })).statusCode).toBe(403);
    expect((await fromInternet('/api/v1/recovery/hint', { username: 'admin', address: RESERVED })).statusCode).toBe(403);
    await sendsSettled();
    expect(smtp.mails.filter((m) => m.headers.subject === 'Vigil: your recovery code')).toHaveLength(0);

    await admin.put('/api/v1/settings/recovery', { weakPathsLanOnly: false });
    expect((await fromInternet('/api/v1/recovery/code', { username: 'admin', channel: 'email', address: RESERVED })).statusCode).toBe(202);
  });
});

describe('recovery by a code to the reserved phone, through the SMS gateway', () => {
  let gateway: TestSmsGateway;
  beforeEach(async () => {
    gateway = await startTestSmsGateway();
  });
  afterEach(() => gateway.close());

  const GATEWAY_AUTH = 'Bearer sms-SECRET-marker-99';

  it('the gateway settings keep the credential write-only and drop it when the URL changes', async () => {
    const saved = await admin.put('/api/v1/settings/sms-gateway', { enabled: true, url: gateway.url, authorization: GATEWAY_AUTH });
    expect(saved.body).toEqual({ enabled: true, url: gateway.url, authSet: true });
    expect(JSON.stringify((await admin.get('/api/v1/settings/sms-gateway')).body)).not.toContain('SECRET');
    const notAUrl = await admin.put('/api/v1/settings/sms-gateway', { enabled: true, url: 'ftp://example.net' });
    expect(notAUrl.status).toBe(400);
    const moved = await admin.put('/api/v1/settings/sms-gateway', { enabled: true, url: 'https://sms.attacker.example/send' });
    expect(moved.body.authSet).toBe(false);
    expect(JSON.stringify(rec.running.ctx.audit.query({ limit: 50 }))).not.toContain('SECRET');
  });

  it('setup and recovery codes go out as a JSON POST with the credential; the reset is texted too', async () => {
    const early = await admin.put('/api/v1/me/recovery/contacts/phone', { address: PHONE, currentPassword: STRONG_PASSWORD });
    expect([early.status, early.body.error.code]).toEqual([409, 'sms_not_configured']);
    await admin.put('/api/v1/settings/sms-gateway', { enabled: true, url: gateway.url, authorization: GATEWAY_AUTH });

    const set = await admin.put('/api/v1/me/recovery/contacts/phone', { address: PHONE, currentPassword: STRONG_PASSWORD });
    expect(set.status).toBe(202);
    expect(set.body.phone.pending).toBe('+49••••••••67');
    const setupText = gateway.texts.at(-1)!;
    expect(setupText.method).toBe('POST');
    expect(setupText.headers.authorization).toBe(GATEWAY_AUTH);
    expect(setupText.headers['content-type']).toBe('application/json');
    expect(setupText.body.to).toBe('+491701234567');
    const setupCode = codeIn(String(setupText.body.text))!;
    expect((await admin.post('/api/v1/me/recovery/contacts/phone/confirm', { code: setupCode })).body.phone.verified).toBe('+49••••••••67');
    expect((await anon.get('/api/v1/device')).body.recoveryMethods.phone).toBe(true);

    // The request answers while the gateway holds its answer back (awaiting the send would hang
    // here): the answer cannot tell whether a text went out.
    gateway.hold = true;
    const requested = await requestCode('+49-170-123 45 67', 'admin', 'phone');
    expect(requested.status).toBe(202);
    gateway.hold = false;
    gateway.release();
    await sendsSettled();
    expect(gateway.texts).toHaveLength(2);
    const code = codeIn(String(gateway.texts.at(-1)!.body.text))!;
    const granted = await verify({ requestId: requested.body.requestId, code });
    expect(granted.status).toBe(201);
    expect(granted.body.method).toBe('phone');
    expect((await anon.post('/api/v1/recovery/reset', { token: granted.body.token, newPassword: NEW_PASSWORD })).status).toBe(200);
    await sendsSettled();
    expect(String(gateway.texts.at(-1)!.body.text)).toContain('Your admin password was reset through recovery');
    expect(rec.logs.join('')).not.toContain('SECRET');
  });

  it('a gateway that refuses the setup message is reported, and the number is not kept', async () => {
    await admin.put('/api/v1/settings/sms-gateway', { enabled: true, url: gateway.url });
    gateway.status = 500;
    const set = await admin.put('/api/v1/me/recovery/contacts/phone', { address: PHONE, currentPassword: STRONG_PASSWORD });
    expect([set.status, set.body.error.code]).toEqual([502, 'delivery_failed']);
    expect(set.body.error.message).toContain('HTTP 500');
    expect((await admin.get('/api/v1/me/recovery/contacts')).body.phone).toEqual({ verified: null, pending: null, available: true });
  });
});

/** A POST with headers fetch would not let us set (Host). */
function rawPost(path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const url = new URL(rec.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string> }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

// Forgot password and account-recovery notices by text, through a real HTTP server standing in for
// the SMS gateway (--sms-gateway), over real HTTP on PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OTHER_STRONG_PASSWORD } from '../../helpers/recorder.js';
import { startTestSmsGateway, type TestSmsGateway } from '../../helpers/sms-gateway.js';
import { until } from '../../helpers/until.js';
import { useRecoveryCloud, type RecoveryCloud } from './recovery-cloud.js';

const PHONE = '+4917012345678';
const GATEWAY_AUTH = 'Bearer sms-SECRET-marker';
let gateway: TestSmsGateway;
beforeAll(async () => {
  gateway = await startTestSmsGateway();
});
afterAll(() => gateway?.close());

const peers = useRecoveryCloud({ smsGateway: () => ({ url: gateway.url, authorization: GATEWAY_AUTH }) });
let f: RecoveryCloud;
beforeEach(() => {
  f = peers.cloud();
  gateway.texts.length = 0;
});

/** The `n`th text (from 1) to `to`, once it arrived. */
const text = (to: string, n: number) => until(() => gateway.texts.filter((t) => t.body.to === to)[n - 1], `text ${n} to ${to}`);

describe('forgot password by text', () => {
  it('texts the code to the account\'s phone number with the gateway\'s credential; the reset is told to the phone and the mailbox', async () => {
    const id = await f.account('owner@example.com', { totp: true });
    await f.db.query('UPDATE accounts SET phone = $2 WHERE id = $1', [id, PHONE]);

    const asked = await f.post('/api/v1/password/forgot', { phone: PHONE });
    expect(asked).toMatchObject({ status: 202, body: { requestId: expect.any(String), message: 'If an account has this address, a code was sent to it.' } });
    const sent = await text(PHONE, 1);
    expect(sent.headers.authorization).toBe(GATEWAY_AUTH);
    const code = /\b(\d{8})\b/.exec(String(sent.body.text))![1]!;
    const verified = await f.post('/api/v1/password/forgot/verify', { requestId: asked.body.requestId, code });
    expect(verified.status).toBe(200);
    expect((await f.post('/api/v1/password/reset', { grant: verified.body.grant, newPassword: OTHER_STRONG_PASSWORD })).status).toBe(200);
    expect(String((await text(PHONE, 2)).body.text)).toContain('Your Vigil cloud password was reset');
    expect((await f.mail('owner@example.com', 1)).headers.subject).toBe('Your Vigil cloud password was reset');
    const { rows } = await f.db.query<{ details: string }>("SELECT details FROM audit_log WHERE type = 'recovery.password_reset'");
    expect(JSON.parse(rows[0]!.details)).toMatchObject({ method: 'sms', twoFactorCleared: false });

    // An account recovery tells the phone too.
    const grant = await f.post('/api/v1/password/forgot/verify', {
      requestId: (await f.post('/api/v1/password/forgot', { phone: PHONE })).body.requestId,
      code: /\b(\d{8})\b/.exec(String((await text(PHONE, 3)).body.text))![1]!,
    });
    expect((await f.post('/api/v1/account-recovery', { grant: grant.body.grant })).status).toBe(202);
    expect(String((await text(PHONE, 4)).body.text)).toContain('Account recovery started');
  });

  it('answers a number no account has as one it has, and texts nothing to it', async () => {
    const id = await f.account('owner@example.com');
    await f.db.query('UPDATE accounts SET phone = $2 WHERE id = $1', [id, PHONE]);
    const known = await f.post('/api/v1/password/forgot', { phone: PHONE });
    const unknown = await f.post('/api/v1/password/forgot', { phone: '+4917099999999' });
    expect(unknown.status).toBe(known.status);
    expect(Object.keys(unknown.body)).toEqual(Object.keys(known.body));
    expect(unknown.body.message).toBe(known.body.message);
    await text(PHONE, 1);
    await f.stop();
    expect(gateway.texts.map((t) => t.body.to)).toEqual([PHONE]);
  });
});

// The terminal step of the reserved email / phone path, against a real recorder and SMTP server.
// The terminal is scripted here (answers by question) to reach every branch quickly; the whole
// `vigil recover` program in a real terminal is in test/recover/recover-email.test.ts.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { reservedEmailStep } from '../../../src/recover/steps/reserved-contact.js';
import { createRecorderClient } from '../../../src/recover/client.js';
import type { Terminal } from '../../../src/recover/types.js';
import { activate, ApiClient, loggedInAdmin } from '../../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../../helpers/recorder.js';
import { mailSettingsFor, startTestSmtpServer, type TestSmtpServer } from '../../helpers/smtp.js';
import { appCode, enrolTotp } from '../../helpers/two-factor.js';

const RESERVED = 'owner@example.net';
const NEW_PASSWORD = 'Marble kettle 61 over the dunes';

let rec: TestRecorder;
let smtp: TestSmtpServer;

const codeIn = (text: string) => /\b(\d{8})\b/.exec(text)?.[1];
const lastCode = () => codeIn(smtp.mails.at(-1)!.text)!;

/** A terminal that answers each question with what `answer` returns for it, and keeps what was said. */
function scriptedTerminal(answer: (question: string) => string | Promise<string>): Terminal & { said: string[]; asked: string[] } {
  const said: string[] = [];
  const asked: string[] = [];
  const reply = async (question: string) => {
    asked.push(question);
    return answer(question);
  };
  return {
    said,
    asked,
    say: (text) => void said.push(text),
    ask: reply,
    askSecret: reply,
    choose: async (question) => Number(await reply(question)),
  };
}

beforeEach(async () => {
  smtp = await startTestSmtpServer();
  rec = await startTestRecorder();
  await activate(rec);
  const admin = await loggedInAdmin(rec);
  await admin.put('/api/v1/settings/mail', mailSettingsFor(smtp));
  await admin.put('/api/v1/me/recovery/contacts/email', { address: RESERVED, currentPassword: STRONG_PASSWORD });
  await admin.post('/api/v1/me/recovery/contacts/email/confirm', { code: lastCode() });
});
afterEach(async () => {
  await rec.close();
  await smtp.close();
});

it('asks for the address, then the mailed code, and answers the grant', async () => {
  const terminal = scriptedTerminal(async (question) => {
    if (question.startsWith('Reserved email')) return RESERVED;
    await rec.running.ctx.reservedContacts.settled();
    return lastCode();
  });
  const grant = await reservedEmailStep.run(terminal, createRecorderClient(rec.url), 'admin');
  expect(grant).toMatchObject({ username: 'admin', method: 'email' });
  expect(terminal.said.join('\n')).toContain('a code is on its way');
  const reset = await new ApiClient(rec.url).post('/api/v1/recovery/reset', { token: grant!.token, newPassword: NEW_PASSWORD });
  expect(reset.status).toBe(200);
});

it('after a refusal asks for the code again and for the second factor, if the account has one', async () => {
  const { secret } = await enrolTotp(rec, await loggedInAdmin(rec));
  rec.clock.advance(30);
  let codesAsked = 0;
  const terminal = scriptedTerminal(async (question) => {
    if (question.startsWith('Reserved email')) return RESERVED;
    if (question.startsWith('Which second factor')) return '1';
    if (question.startsWith('Authenticator code')) return appCode(rec, secret);
    await rec.running.ctx.reservedContacts.settled();
    codesAsked++;
    return codesAsked === 1 ? (lastCode() === '12345678' ? '87654321' : '12345678') : lastCode();
  });
  const grant = await reservedEmailStep.run(terminal, createRecorderClient(rec.url), 'admin');
  expect(grant?.method).toBe('email');
  expect(codesAsked).toBe(2);
  expect(terminal.said.join('\n')).toContain('That code is not right');
  expect(terminal.said.join('\n')).toContain('two-step login');
});

it('an empty code goes back to the choice of methods', async () => {
  const terminal = scriptedTerminal((question) => (question.startsWith('Reserved email') ? RESERVED : ''));
  expect(await reservedEmailStep.run(terminal, createRecorderClient(rec.url), 'admin')).toBeNull();
});

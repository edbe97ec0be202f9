// `vigil recover` in a real terminal (tmux) along the reserved email and phone paths, against a real
// recorder, a real SMTP server and a real HTTP server standing in for the SMS gateway. Needs `npx tsc -p .` first (it runs dist/src/cli.js).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';
import { startTestSmsGateway, type TestSmsGateway } from '../helpers/sms-gateway.js';
import { mailSettingsFor, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const RESERVED = 'owner@example.net';
const NEW_PASSWORD = 'Marble kettle 61 over the dunes';
const codeIn = (text: string) => /\b(\d{8})\b/.exec(text)![1]!;

describe('vigil recover with the reserved email (tmux)', () => {
  let rec: TestRecorder;
  let smtp: TestSmtpServer;
  let terminal: TmuxTerminal | undefined;
  beforeEach(async () => {
    smtp = await startTestSmtpServer();
    rec = await startTestRecorder();
    await activate(rec);
    const admin = await loggedInAdmin(rec);
    await admin.put('/api/v1/settings/mail', mailSettingsFor(smtp));
    await admin.put('/api/v1/me/recovery/contacts/email', { address: RESERVED, currentPassword: STRONG_PASSWORD });
    await admin.post('/api/v1/me/recovery/contacts/email/confirm', { code: codeIn(smtp.mails.at(-1)!.text) });
  });
  afterEach(async () => {
    terminal?.close();
    await rec.close();
    await smtp.close();
  });

  it('address, mailed code (not echoed), new password: then the new password logs in', async () => {
    terminal = TmuxTerminal.start([process.execPath, CLI, 'recover', '--url', rec.url]);
    await terminal.chooseLabel("This recorder's admin password");
    await terminal.waitFor('Admin username');
    terminal.typeLine('');
    await terminal.chooseLabel('Code to my reserved email');
    await terminal.waitFor('Reserved email address');
    terminal.typeLine(RESERVED);
    await terminal.waitFor('a code is on its way');
    await rec.running.ctx.reservedContacts.settled();
    const code = codeIn(smtp.mails.at(-1)!.text);
    await terminal.waitFor('Code from the message');
    terminal.typeLine(code);
    await terminal.waitFor('Choose a new password for admin');
    expect(terminal.screen()).not.toContain(code);
    await terminal.waitFor('New password');
    terminal.typeLine(NEW_PASSWORD);
    await terminal.waitFor('The same again');
    terminal.typeLine(NEW_PASSWORD);
    await terminal.waitFor('Log in at');
    expect(await terminal.waitForExit()).toBe(0);
    expect((await new ApiClient(rec.url).login('admin', NEW_PASSWORD)).status).toBe(201);
  });
});

describe('vigil recover with the reserved phone (tmux)', () => {
  const PHONE = '+49 170 1234567';
  let rec: TestRecorder;
  let gateway: TestSmsGateway;
  let terminal: TmuxTerminal | undefined;
  const lastText = () => String(gateway.texts.at(-1)!.body.text);
  beforeEach(async () => {
    gateway = await startTestSmsGateway();
    rec = await startTestRecorder();
    await activate(rec);
    const admin = await loggedInAdmin(rec);
    await admin.put('/api/v1/settings/sms-gateway', { enabled: true, url: gateway.url });
    await admin.put('/api/v1/me/recovery/contacts/phone', { address: PHONE, currentPassword: STRONG_PASSWORD });
    await admin.post('/api/v1/me/recovery/contacts/phone/confirm', { code: codeIn(lastText()) });
  });
  afterEach(async () => {
    terminal?.close();
    await rec.close();
    await gateway.close();
  });

  it('number, texted code, new password: then the new password logs in', async () => {
    terminal = TmuxTerminal.start([process.execPath, CLI, 'recover', '--url', rec.url]);
    await terminal.chooseLabel("This recorder's admin password");
    await terminal.waitFor('Admin username');
    terminal.typeLine('');
    await terminal.chooseLabel('Code to my reserved phone');
    await terminal.waitFor(/phone number/i);
    terminal.typeLine('+491701234567');
    await terminal.waitFor('a code is on its way');
    await rec.running.ctx.reservedContacts.settled();
    const code = codeIn(lastText());
    await terminal.waitFor('Code from the message');
    terminal.typeLine(code);
    await terminal.waitFor('Choose a new password for admin');
    terminal.typeLine(NEW_PASSWORD);
    await terminal.waitFor('The same again');
    terminal.typeLine(NEW_PASSWORD);
    await terminal.waitFor('Log in at');
    expect(await terminal.waitForExit()).toBe(0);
    expect((await new ApiClient(rec.url).login('admin', NEW_PASSWORD)).status).toBe(201);
    // The reset is announced to the reserved phone as well.
    await rec.running.ctx.reservedContacts.settled();
    expect(lastText()).toContain('Your admin password was reset through recovery');
  });
});

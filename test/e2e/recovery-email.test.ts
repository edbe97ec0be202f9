// End-to-end: the reserved email path in real Chromium against a real recorder that mails through a
// real SMTP server: set up and confirm the address on the Recovery page, then "Forgot password?" ->
// the wizard -> the mailed code -> a new password -> log in with it. Needs `npm run build` first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, fillNewPassword, logIn, newPage, openFromMenu, openRecoveryWizard, openRecoveryPath } from '../helpers/browser.js';
import { ApiClient, loggedInAdmin } from '../helpers/client.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { mailSettingsFor, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const RESERVED = 'owner@example.net';
const NEW_PASSWORD = 'Marble kettle 61 over the dunes';
const HINT = 'the orange planet and the lamp';
const codeIn = (text: string) => /\b(\d{8})\b/.exec(text)![1]!;

const suite = browserSuite();
let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
  const admin = await loggedInAdmin(suite.recorder);
  const saved = await admin.put('/api/v1/settings/mail', mailSettingsFor(smtp));
  expect(saved.status).toBe(200);
});
afterAll(async () => {
  await smtp?.close();
});

describe('Reserved email recovery (Chromium)', () => {
  it('the Recovery page reserves and confirms an address and sets a hint without ever showing it', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await openFromMenu(page, 'Recovery');
      await openRecoveryPath(page, 'Reserved email and phone');
      await page.getByRole('heading', { name: 'Reserved email and phone' }).waitFor();
      await page.getByLabel('Current password (needed for changes)', { exact: true }).fill(STRONG_PASSWORD);

      const email = page.getByRole('form', { name: 'Reserved email: new address' });
      await email.getByLabel('Reserved email address').fill(RESERVED);
      await email.getByRole('button', { name: 'Send code' }).click();
      const confirm = page.getByRole('form', { name: 'Reserved email: confirm' });
      await confirm.getByLabel('Code sent to o***@example.net').waitFor();
      expect(smtp.mails.at(-1)!.rcptTo).toEqual([RESERVED]);
      await confirm.getByLabel('Code sent to o***@example.net').fill(codeIn(smtp.mails.at(-1)!.text));
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await page.getByText('In use: o***@example.net').waitFor();
      await page.getByText('Reserved email confirmed').waitFor();

      const hint = page.getByRole('form', { name: 'Password hint' });
      await hint.getByLabel('New hint (leave empty to remove it)').fill(HINT);
      await hint.getByRole('button', { name: 'Save hint' }).click();
      await page.getByText('A hint is set (it is never shown here).').waitFor();
      await page.reload();
      await openRecoveryPath(page, 'Reserved email and phone');
      await page.getByText('A hint is set (it is never shown here).').waitFor();
      expect(await page.content()).not.toContain('orange planet');
    } finally {
      await context.close();
    }
  });

  it('Forgot password? -> code to the reserved email -> new password -> log in with it', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await openRecoveryWizard(page, 'email');

      await page.getByLabel('Reserved email address').fill('Owner@Example.net');
      await page.getByRole('button', { name: 'Mail me my password hint' }).click();
      await page.getByText('the hint is on its way').waitFor();
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await page.getByText('If this is the reserved address of admin, a code is on its way.').waitFor();
      await suite.recorder.running.ctx.reservedContacts.settled();
      const mails = smtp.mails.filter((m) => m.rcptTo.includes(RESERVED));
      expect(mails.some((m) => m.headers.subject === 'Vigil: your password hint' && m.text.includes(HINT))).toBe(true);
      const codeMail = mails.filter((m) => m.headers.subject === 'Vigil: your recovery code').at(-1)!;

      await page.getByLabel('Code from the message').fill(codeMail.text.match(/\b(\d{8})\b/)![1]!);
      await page.getByRole('button', { name: 'Continue' }).click();
      await fillNewPassword(page, NEW_PASSWORD);
      await page.getByRole('button', { name: 'Set the new password' }).click();
      await page.getByRole('button', { name: 'Log in with the new password' }).click();

      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await logIn(page, 'admin', NEW_PASSWORD);
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();
      expect((await new ApiClient(suite.recorder.url).login('admin', STRONG_PASSWORD)).status).toBe(401);
    } finally {
      await context.close();
    }
  });
});

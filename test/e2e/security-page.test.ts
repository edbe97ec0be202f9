// End-to-end: the Security page and the notification address, in real Chromium, against a real
// recorder that sends through a real SMTP server. Needs `npm run build` first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, newPage, openFromMenu } from '../helpers/browser.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD } from '../helpers/recorder.js';
import { SMTP_PASSWORD, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const suite = browserSuite();
let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});

async function logIn(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Username', { exact: true }).fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('heading', { name: 'Recorder' }).waitFor();
}

describe('Security page (Chromium)', () => {
  it('shows the checkup, saves SMTP settings, sends a test mail, and guards the allow-list', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await logIn(page);
      await openFromMenu(page, 'Security');
      await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();

      const findings = page.getByTestId('checkup-findings').locator('li');
      await findings.first().waitFor();
      expect(await findings.evaluateAll((items) => items.map((li) => li.getAttribute('data-finding')))).toEqual([
        'admin_without_2fa',
        'no_recovery_path',
        'mail_not_configured',
        'allow_list_off',
      ]);

      const mail = page.getByRole('form', { name: 'Mail server' });
      await mail.getByLabel('Send security mails').check();
      await mail.getByLabel('SMTP server').fill('127.0.0.1');
      await mail.getByLabel('Port').fill(String(smtp.port));
      await mail.getByLabel('Connection security').selectOption('none');
      await mail.getByLabel('SMTP username').fill(smtp.username);
      await mail.getByLabel('SMTP password').fill(SMTP_PASSWORD);
      await mail.getByLabel('Sender address').fill('recorder@example.net');
      await mail.getByRole('button', { name: 'Save mail settings' }).click();
      // Saved: the form comes back with the password stored but not shown.
      await page.getByPlaceholder('Stored: leave empty to keep it').waitFor();
      expect(await page.getByLabel('SMTP password').inputValue()).toBe('');

      const test = page.getByRole('form', { name: 'Test mail' });
      await test.getByLabel('Send a test mail to').fill('owner@example.net');
      await test.getByRole('button', { name: 'Send test mail' }).click();
      await test.getByRole('status').filter({ hasText: 'accepted a test mail to owner@example.net' }).waitFor();
      expect(smtp.mails.map((m) => [m.rcptTo, m.headers.subject])).toEqual([[['owner@example.net'], 'Vigil: test mail']]);

      // An allow-list without this browser's address asks before saving.
      const allow = page.getByRole('form', { name: 'Login allow-list' });
      await allow.getByLabel('Only accept logins from the addresses below').check();
      await allow.getByLabel('Addresses and ranges, one per line').fill('10.0.0.0/8');
      await allow.getByRole('button', { name: 'Save allow-list' }).click();
      await allow.getByRole('alert').filter({ hasText: 'is not in this list' }).waitFor();
      expect(suite.recorder.running.ctx.securitySettings.getLoginRules().allowListEnabled).toBe(false);
      await allow.getByRole('button', { name: 'Save anyway' }).click();
      await page.getByRole('form', { name: 'Login allow-list' }).getByRole('status').filter({ hasText: 'The allow-list is on: 1 entries.' }).waitFor();
      expect(suite.recorder.running.ctx.securitySettings.getLoginRules()).toMatchObject({ allowListEnabled: true, allowList: ['10.0.0.0/8'] });

      await page.getByRole('button', { name: 'Check again' }).click();
      await page.locator('[data-finding="allow_list_off"]').waitFor({ state: 'detached' });
      expect(await findings.evaluateAll((items) => items.map((li) => li.getAttribute('data-finding')))).toEqual(['admin_without_2fa', 'no_recovery_path']);
    } finally {
      await context.close();
    }
  });

  it('sets the notification address on the home page; a password change then mails it', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await logIn(page);
      const card = page.getByRole('form', { name: 'Notification address' });
      await card.getByLabel('Notification address').fill('admin@example.net');
      await card.getByLabel('Current password').fill(STRONG_PASSWORD);
      await card.getByRole('button', { name: 'Save address' }).click();
      await card.getByRole('status').filter({ hasText: 'Security mails go to admin@example.net.' }).waitFor();

      await openFromMenu(page, 'Change password');
      await page.getByLabel('Current password', { exact: true }).fill(STRONG_PASSWORD);
      await page.getByLabel('New password', { exact: true }).fill(OTHER_STRONG_PASSWORD);
      await page.getByLabel('Confirm password', { exact: true }).fill(OTHER_STRONG_PASSWORD);
      await page.getByRole('button', { name: 'Change password', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Your password was changed' }).waitFor();
      await suite.recorder.running.ctx.audit.settled();
      expect(smtp.mails.filter((m) => m.rcptTo.includes('admin@example.net')).map((m) => m.headers.subject)).toEqual([
        'Vigil: Your password was changed',
      ]);
    } finally {
      await context.close();
    }
  });
});

// End-to-end: the "Forgot password?" wizard's shell and the recovery readiness check, in real
// Chromium against a real recorder. Each recovery path has its own end-to-end test. Needs `npm run build`.
import { describe, expect, it } from 'vitest';
import { browserSuite, logIn, newPage } from '../helpers/browser.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const suite = browserSuite();

describe('Recovery wizard (Chromium)', () => {
  it('starts from the login page, asks which account was lost, and sends other accounts elsewhere', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      const documents: (string | null)[] = [];
      page.on('response', (response) => {
        if (response.request().resourceType() === 'document') documents.push(response.headers()['referrer-policy'] ?? null);
      });
      await page.goto('/');
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      expect(page.url()).toMatch(/#\/recover$/);
      expect(documents).toEqual(['no-referrer']);

      await page.getByLabel('Another user of this recorder (operator, viewer)').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText('Ask an admin of this recorder to reset your password').waitFor();
      await page.getByRole('button', { name: 'Back', exact: true }).click();

      await page.getByLabel("This recorder's admin password").check();
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(await page.getByLabel('Admin username').inputValue()).toBe('admin');
      await page.getByRole('button', { name: 'Back to login' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('home offers the key file after activation; the Recovery page shows the readiness check and the LAN-only setting of the weak paths', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      // Right after activation the home page offers the recovery key file.
      await page.getByTestId('recovery-nudge').waitFor();
      await page.getByRole('link', { name: 'Download your recovery key file now' }).click();
      await page.getByRole('heading', { name: 'Recovery', exact: true }).waitFor();
      const readiness = page.locator('[data-readiness]');
      await readiness.waitFor();
      expect(await readiness.getAttribute('data-readiness')).toBe('none');
      await page.getByText('only from the local network').waitFor();
      await page.getByRole('button', { name: 'Allow them from anywhere' }).click();
      await page.getByText('from anywhere', { exact: true }).waitFor();
      expect(suite.recorder.running.ctx.recovery.getSettings().weakPathsLanOnly).toBe(false);
    } finally {
      await context.close();
    }
  });
});

// End-to-end: download the recovery key file from the Recovery page, lose the password, and get
// back in with the file through "Forgot password?", in real Chromium. Needs `npm run build`.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { browserSuite, fillNewPassword, logIn, newPage, openFromMenu, openRecoveryWizard } from '../helpers/browser.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const NEW_PASSWORD = 'Marble kettle 61 over the dunes';
const suite = browserSuite();

describe('Recovery key file (Chromium)', () => {
  it('is offered after activation, downloads once, and recovers the admin password once', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await openFromMenu(page, 'Recovery');
      await page.getByText('Download your recovery key file now.').waitFor();
      expect(await page.locator('[data-readiness]').getAttribute('data-readiness')).toBe('none');

      const card = page.getByRole('form', { name: 'Recovery key file' });
      await card.getByLabel('Current password', { exact: true }).fill(STRONG_PASSWORD);
      const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Download recovery key file' }).click()]);
      expect(download.suggestedFilename()).toBe(`vigil-recovery-key-${suite.recorder.serial}.txt`);
      const file = await readFile((await download.path())!, 'utf8');
      expect(file).toContain(`serial: ${suite.recorder.serial}`);
      await page.getByText(`Saved as vigil-recovery-key-${suite.recorder.serial}.txt`).waitFor();
      expect(suite.recorder.running.ctx.recoveryKeys.get(1)?.usedAt).toBeNull();

      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      // Some day later, in a fresh tab: the app reads which paths the recorder has when it loads.
      await openRecoveryWizard(page, 'recoveryKey');
      await page.getByLabel('Recovery key file', { exact: true }).setInputFiles({ name: download.suggestedFilename(), mimeType: 'text/plain', buffer: Buffer.from(file) });
      await expect.poll(() => page.getByLabel('Or paste its text').inputValue()).toBe(file);
      await page.getByRole('button', { name: 'Continue' }).click();

      await fillNewPassword(page, NEW_PASSWORD);
      await page.getByRole('button', { name: 'Set the new password' }).and(page.locator(':enabled')).click();
      await page.getByRole('button', { name: 'Log in with the new password' }).click();
      await logIn(page, 'admin', NEW_PASSWORD);
      await page.getByRole('button', { name: 'Log out', exact: true }).waitFor();

      // Spent: the Recovery page asks for a new file, and the old one is refused.
      await openFromMenu(page, 'Recovery');
      await page.getByText('Download your recovery key file now.').waitFor();
      const replay = await fetch(`${suite.recorder.url}/api/v1/recovery/key/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ file }),
      });
      expect(replay.status).toBe(401);
    } finally {
      await context.close();
    }
  });
});

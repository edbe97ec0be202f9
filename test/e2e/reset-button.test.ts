// End-to-end: the reset button path of the "Forgot password?" wizard and the factory reset card, in
// real Chromium against a real recorder, with the real `vigil recorder button`. Needs `npm run build`.
import { describe, expect, it } from 'vitest';
import { FACTORY_RESET_PHRASE } from '../../src/recorder/recovery/reset-phrases.js';
import { browserSuite, fillNewPassword, logIn, newPage, openFromMenu, openRecoveryWizard, openRecoveryPath } from '../helpers/browser.js';
import { pressButton } from '../helpers/button.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const suite = browserSuite();
const NEW_PASSWORD = 'Marble kettle 61 over the dunes';

describe('Reset button and factory reset (Chromium)', () => {
  it('Forgot password? → reset button → label code → new password → log in with it', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await openRecoveryWizard(page, 'resetButton');
      await page.getByText('Press the reset button on the recorder briefly', { exact: false }).waitFor();

      // Without the press the recorder says what to do.
      await page.getByLabel('Label code', { exact: true }).fill(suite.recorder.labelCode);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('alert').getByText('Press the reset button on the recorder briefly').waitFor();

      expect((await pressButton(suite.recorder.dataDir, 'short')).status).toBe(0);
      await page.getByRole('button', { name: 'Continue' }).click();
      await fillNewPassword(page, NEW_PASSWORD);
      await page.getByRole('button', { name: 'Set the new password' }).click();
      await page.getByRole('button', { name: 'Log in with the new password' }).click();
      await logIn(page, 'admin', NEW_PASSWORD);
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      expect(suite.recorder.running.ctx.audit.query({ type: 'recovery.password_reset' })).toHaveLength(1);
    } finally {
      await context.close();
    }
  });

  it('the factory reset card needs the phrase and the password, then the browser is back at activation', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', NEW_PASSWORD);
      await openFromMenu(page, 'Recovery');
      await openRecoveryPath(page, 'Restore defaults or factory reset');
      const card = page.getByRole('form', { name: 'Factory reset' });
      const button = card.getByRole('button', { name: 'Factory reset' });
      await card.getByLabel(`Type ${FACTORY_RESET_PHRASE} to confirm`).fill(FACTORY_RESET_PHRASE.toLowerCase());
      await card.getByLabel('Your password').fill(STRONG_PASSWORD);
      expect(await button.isDisabled()).toBe(true);

      await card.getByLabel(`Type ${FACTORY_RESET_PHRASE} to confirm`).fill(FACTORY_RESET_PHRASE);
      await button.click(); // the old password: refused, nothing erased
      await card.getByText('Your current password is not right').waitFor();
      expect(suite.recorder.running.ctx.store.getDevice()!.activatedAt).not.toBeNull();

      await card.getByLabel('Your password').fill(NEW_PASSWORD);
      await button.click();
      await page.getByRole('heading', { name: 'Activate your recorder' }).waitFor();
      expect(suite.recorder.running.ctx.store.getDevice()!.activatedAt).toBeNull();
      expect(suite.recorder.running.ctx.store.listUsers()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

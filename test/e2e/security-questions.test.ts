// End-to-end: set the security questions on the Recovery page, then recover the admin password by
// answering them (and giving the authenticator code) through "Forgot password?", in real Chromium.
// Needs `npm run build`.
import { describe, expect, it } from 'vitest';
import { PRESET_QUESTIONS } from '../../src/recorder/recovery/security-questions-policy.js';
import { browserSuite, fillNewPassword, logIn, newPage, openFromMenu, openRecoveryWizard, openRecoveryPath } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { appCode, enrolTotp } from '../helpers/two-factor.js';

const NEW_PASSWORD = 'Marble kettle 61 over the dunes';
const CUSTOM_QUESTION = 'What did we call the red boat at the lake?';
const suite = browserSuite();

describe('Security questions (Chromium)', () => {
  it('are set on the Recovery page and, with the second factor, recover the admin password', async () => {
    const rec = suite.recorder;
    const { secret } = await enrolTotp(rec, await loggedInAdmin(rec));
    const { context, page } = await newPage(suite.browser, rec.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await page.getByLabel('Authentication code').fill(appCode(rec, secret, 1));
      await page.getByRole('button', { name: 'Verify' }).click();
      await openFromMenu(page, 'Recovery');
      await openRecoveryPath(page, 'Security questions');

      const form = page.getByRole('form', { name: 'Security questions' });
      await form.getByLabel('Question', { exact: true }).nth(2).selectOption({ label: 'Write my own question…' });
      await form.getByLabel('Your question').fill(CUSTOM_QUESTION);
      await form.getByLabel('Answer 1').fill('Mister Snuggles');
      await form.getByLabel('Answer 2').fill('Elm Street');
      await form.getByLabel('Answer 3').fill('Tomato Boat');
      await form.getByLabel('Current password', { exact: true }).fill(STRONG_PASSWORD);
      await form.getByRole('button', { name: 'Save my questions' }).click();
      await page.getByText('Your security questions are saved.').waitFor();
      const shown = page.getByTestId('my-security-questions').getByRole('listitem');
      expect(await shown.allTextContents()).toEqual([PRESET_QUESTIONS[0], PRESET_QUESTIONS[1], CUSTOM_QUESTION]);
      // The readiness check counts them (as a weak path) once the page is read again.
      await page.reload();
      await expect.poll(() => page.locator('[data-readiness]').getAttribute('data-readiness')).toBe('weak_only');

      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await openRecoveryWizard(page, 'securityQuestions');
      await page.getByLabel(PRESET_QUESTIONS[0]!).fill('  mister snuggles ');
      await page.getByLabel(PRESET_QUESTIONS[1]!).fill('ELM STREET');
      await page.getByLabel(CUSTOM_QUESTION).fill('tomato boat');
      await page.getByRole('button', { name: 'Continue' }).click();
      // Right answers without the second factor are refused like wrong ones; the code can be added.
      await page.getByText('the code from your authenticator app or a recovery code is missing or not right').waitFor();
      // A minute later: the codes of enrolment and of the login are spent, the app shows a new one.
      rec.clock.advance(60);
      await page.getByLabel('Authentication code').fill(appCode(rec, secret));
      await page.getByRole('button', { name: 'Continue' }).click();

      await fillNewPassword(page, NEW_PASSWORD);
      // A weak path never offers to remove the second factor.
      expect(await page.getByText('Also turn off two-step login').count()).toBe(0);
      await page.getByRole('button', { name: 'Set the new password' }).and(page.locator(':enabled')).click();
      await page.getByRole('button', { name: 'Log in with the new password' }).click();
      await logIn(page, 'admin', NEW_PASSWORD);
      await page.getByLabel('Authentication code').waitFor();
      const reset = rec.running.ctx.audit.query({ type: 'recovery.password_reset' });
      expect(JSON.parse(reset[0]!.details)).toMatchObject({ method: 'securityQuestions', twoFactorCleared: false });
    } finally {
      await context.close();
    }
  });
});

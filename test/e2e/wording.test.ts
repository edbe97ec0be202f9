// End-to-end: what the UI says, in real headless Chromium against a real recorder: no notice left
// standing above an error that contradicts it, sessions named as a person names a browser, and a
// recovery wizard that offers only what this recorder has, strongest first.
// Needs `npm run build` first (the recorder serves dist/web).
import { describe, expect, it } from 'vitest';
import { PRESET_QUESTIONS } from '../../src/recorder/recovery/security-questions-policy.js';
import { browserSuite, logIn, newPage, openFromMenu } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const suite = browserSuite({ activated: false });

describe('wording in the web UI (Chromium)', () => {
  it('a notice from before goes when a later login fails', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await page.getByLabel('Label code').fill(suite.recorder.labelCode);
      await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
      await page.getByLabel('Confirm password', { exact: true }).fill(STRONG_PASSWORD);
      await page.getByRole('button', { name: 'Activate', exact: true }).and(page.locator(':enabled')).click();
      await page.getByRole('status').filter({ hasText: 'Your recorder is activated' }).waitFor();

      await logIn(page, 'admin', 'not the password at all');
      await page.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor();
      expect(await page.getByRole('status').filter({ hasText: 'activated' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('lists sessions by browser and system, not by the raw User-Agent header', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await openFromMenu(page, 'My sessions');
      const current = page.locator('[data-testid="session-row"][data-current="true"]');
      expect(await current.getByTestId('session-browser').innerText()).toBe('Headless Chrome on Linux');
      expect(await page.locator('main').innerText()).not.toContain('Mozilla/5.0');
    } finally {
      await context.close();
    }
  });

  it('the recovery wizard offers only the accounts this recorder has, and its strongest path first', async () => {
    // A weak path (security questions) beside the strong one every recorder has (the reset button).
    const admin = await loggedInAdmin(suite.recorder);
    const questions = [PRESET_QUESTIONS[0]!, PRESET_QUESTIONS[1]!, PRESET_QUESTIONS[2]!].map((question, i) => ({ question, answer: `answer number ${i}` }));
    expect((await admin.put('/api/v1/me/recovery/questions', { currentPassword: STRONG_PASSWORD, questions })).status).toBe(200);

    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      const choices = await page.getByRole('radio').evaluateAll((radios) => radios.map((r) => (r as HTMLInputElement).value));
      // Neither a console nor a cloud account is set up on this recorder.
      expect(choices).toEqual(['admin', 'user', 'camera']);
      await page.getByLabel("This recorder's admin password").check();
      await page.getByRole('button', { name: 'Continue' }).click();
      const methods = await page.locator('button[data-method]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-method')));
      expect(methods).toEqual(['resetButton', 'securityQuestions']);
    } finally {
      await context.close();
    }
  });
});

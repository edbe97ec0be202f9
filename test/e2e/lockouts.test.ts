// The admin's Security page lists locked-out clients and unlocks them, in real Chromium.
// Needs `npm run build` first (the recorder serves dist/web).
import { describe, expect, it } from 'vitest';
import { browserSuite, newPage, openFromMenu } from '../helpers/browser.js';
import { loginFrom } from '../helpers/client.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const ATTACKER = '127.0.0.2';

const suite = browserSuite();

describe('Security page (Chromium)', () => {
  it('shows the policy and a locked-out address, and unlocks it', async () => {
    for (let i = 0; i < 5; i++) expect((await loginFrom(suite.recorder, ATTACKER, 'admin', `wrong guess ${i}`)).status).toBe(401);
    expect((await loginFrom(suite.recorder, ATTACKER, 'admin', STRONG_PASSWORD)).status).toBe(429);

    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await page.getByLabel('Username', { exact: true }).fill('admin');
      await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await openFromMenu(page, 'Security');
      await page.getByRole('heading', { name: 'Locked-out logins' }).waitFor();

      const policy = await page.getByTestId('lockout-policy').textContent();
      expect(policy).toContain('After 5 failed logins in a row, a browser');
      expect(policy).toContain('at most 100 tries an hour');

      const row = page.getByTestId('lockout-row');
      await row.waitFor();
      expect(await row.count()).toBe(1);
      expect(await row.textContent()).toContain(`Address ${ATTACKER}`);
      await row.getByRole('button', { name: 'Unlock' }).click();
      await page.getByText('Nobody is locked out.').waitFor();
      expect(await row.count()).toBe(0);
    } finally {
      await context.close();
    }
    expect((await loginFrom(suite.recorder, ATTACKER, 'admin', STRONG_PASSWORD)).status).toBe(201);
  });
});

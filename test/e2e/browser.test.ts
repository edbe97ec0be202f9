// End-to-end: the web UI against a real recorder, in real headless Chromium.
// Needs `npm run build` first (the recorder serves dist/web).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, logIn, newPage, openFromMenu } from '../helpers/browser.js';
import { startTestRecorder } from '../helpers/recorder.js';

const WEAK_PASSWORD = 'password1';
const FIRST_PASSWORD = 'quiet-otter-juggles-42-lanterns';
const SECOND_PASSWORD = 'brass Kettle hums beneath 7 willows';
const SHOTS = process.env.UI_SCREENSHOT_DIR ?? '/tmp';

const suite = browserSuite({ activated: false });

/** Waits until the meter shows the verdict for the current value, then returns its level. */
async function meterLevel(page: Page): Promise<string> {
  const meter = page.locator('[data-testid="strength-meter"][data-pending="false"]');
  await meter.waitFor();
  return (await meter.getAttribute('data-level')) ?? '';
}

/** Collects page errors and console errors (CSP violations show up there), minus expected HTTP errors. */
function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 4xx answer ("Failed to load resource"); the test provokes some on purpose.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return problems;
}

describe('web UI (Chromium)', () => {
  it('activates, logs in, changes the password, logs out and back in', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    const problems = watchForErrors(page);
    try {
      await page.goto('/');

      // Activation page: no default password, label code from the sticker.
      await page.getByRole('heading', { name: 'Activate your recorder' }).waitFor();
      const activate = page.getByRole('button', { name: 'Activate', exact: true });
      const password = page.getByLabel('Password', { exact: true });
      const confirm = page.getByLabel('Confirm password', { exact: true });
      expect(await page.getByLabel('Label code').getAttribute('autocomplete')).toBe('off');
      expect(await password.getAttribute('autocomplete')).toBe('new-password');

      // A weak password: meter says risky/weak, submit stays disabled.
      await page.getByLabel('Label code').fill(suite.recorder.labelCode.toLowerCase().replaceAll('-', ' '));
      await password.fill(WEAK_PASSWORD);
      await confirm.fill(WEAK_PASSWORD);
      expect(['risky', 'weak']).toContain(await meterLevel(page));
      expect(await page.getByTestId('strength-meter').locator('li').count()).toBeGreaterThan(0);
      expect(await activate.isDisabled()).toBe(true);

      // A password containing the serial number is refused too (context from GET /device).
      await password.fill(`${suite.recorder.serial}-Zebra!`);
      expect(['risky', 'weak']).toContain(await meterLevel(page));
      expect(await activate.isDisabled()).toBe(true);

      // A strong one: medium/strong; submit enabled once the confirmation matches.
      await password.fill(FIRST_PASSWORD);
      expect(['medium', 'strong']).toContain(await meterLevel(page));
      expect(await activate.isDisabled()).toBe(true); // confirmation still holds the weak one
      await confirm.fill(FIRST_PASSWORD);
      await activate.and(page.locator(':enabled')).waitFor();
      await page.screenshot({ path: `${SHOTS}/ui-activate.png`, fullPage: true });

      // A wrong label code: the API's message is shown, with what to do.
      const labelCode = page.getByLabel('Label code');
      await labelCode.fill('AAAA-BBBB-CCCC-DDDD');
      await activate.click();
      const activationError = page.getByRole('alert');
      await activationError.waitFor();
      expect(await activationError.innerText()).toMatch(/sticker/i);

      await labelCode.fill(suite.recorder.labelCode.toLowerCase().replaceAll('-', ' '));
      await activate.click();

      // Login page with a success notice.
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(await page.getByRole('status').innerText()).toContain('activated');
      expect(await page.getByLabel('Password', { exact: true }).getAttribute('autocomplete')).toBe('current-password');
      await logIn(page, 'admin', FIRST_PASSWORD);

      // Home: serial and who is logged in.
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();
      expect(await page.getByTestId('device-serial').innerText()).toBe(suite.recorder.serial);
      expect(await page.getByTestId('current-user').innerText()).toBe('admin');

      // Session cookie: accepted by Chromium on http://127.0.0.1, and HttpOnly.
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === '__Host-vigil_session');
      expect(session, `cookies stored: ${JSON.stringify(cookies.map((c) => c.name))}`).toBeDefined();
      expect(session?.httpOnly).toBe(true);
      expect(session?.secure).toBe(true);
      expect(session?.path).toBe('/');
      expect(await page.evaluate(() => document.cookie)).not.toContain('vigil_session');
      await page.screenshot({ path: `${SHOTS}/ui-home.png`, fullPage: true });

      // The session survives a reload (cookie + GET /me restores the CSRF token).
      await page.reload();
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();

      // My sessions: this browser is listed and marked.
      await openFromMenu(page, 'My sessions');
      await page.getByRole('heading', { name: 'My sessions' }).waitFor();
      await page.locator('[data-testid="session-row"][data-current="true"]').waitFor();

      // Change password (after the reload, so the CSRF token came from /me).
      await openFromMenu(page, 'Change password');
      await page.getByRole('heading', { name: 'Change password' }).waitFor();
      await page.getByLabel('Current password', { exact: true }).fill(FIRST_PASSWORD);
      await page.getByLabel('New password', { exact: true }).fill(SECOND_PASSWORD);
      await page.getByLabel('Confirm password', { exact: true }).fill(SECOND_PASSWORD);
      expect(['medium', 'strong']).toContain(await meterLevel(page));
      const change = page.getByRole('button', { name: 'Change password', exact: true });
      await change.and(page.locator(':enabled')).click();
      await page.getByRole('status').filter({ hasText: 'Your password was changed' }).waitFor();

      // Log out.
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect((await context.cookies()).some((c) => c.name === '__Host-vigil_session' && c.value !== '')).toBe(false);

      // Old password: refused, error shown.
      await logIn(page, 'admin', FIRST_PASSWORD);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/\S/);
      expect(await page.getByRole('heading', { name: 'Log in' }).isVisible()).toBe(true);

      // New password: works.
      await logIn(page, 'admin', SECOND_PASSWORD);
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();
      expect(await page.getByTestId('current-user').innerText()).toBe('admin');

      // A second browser logs in; the first one revokes it from "My sessions".
      const other = await newPage(suite.browser, suite.recorder.url);
      try {
        await other.page.goto('/');
        await logIn(other.page, 'admin', SECOND_PASSWORD);
        await other.page.getByRole('heading', { name: 'Recorder' }).waitFor();

        await openFromMenu(page, 'My sessions');
        const rows = page.getByTestId('session-row');
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="session-row"]').length === 2);
        await page.getByRole('button', { name: 'Revoke', exact: true }).click();
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="session-row"]').length === 1);
        expect(await rows.first().getAttribute('data-current')).toBe('true');

        // The revoked browser is sent to the login page on its next call, with a notice.
        await openFromMenu(other.page, 'My sessions');
        await other.page.getByRole('heading', { name: 'Log in' }).waitFor();
        expect(await other.page.getByRole('status').innerText()).toContain('Your session ended, please log in again');
      } finally {
        await other.context.close();
      }

      // Idle for 31 minutes: the session ends; the next call lands on the login page with the notice.
      suite.recorder.clock.advance(31 * 60);
      await page.getByRole('link', { name: 'Home' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(await page.getByRole('status').innerText()).toContain('Your session ended, please log in again');

      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows the wait from Retry-After when login attempts are throttled', async () => {
    const own = await startTestRecorder({ serveWeb: true });
    const { context, page } = await newPage(suite.browser, own.url);
    try {
      await page.goto('/');
      await page.getByLabel('Label code').fill(own.labelCode);
      await page.getByLabel('Password', { exact: true }).fill(FIRST_PASSWORD);
      await page.getByLabel('Confirm password', { exact: true }).fill(FIRST_PASSWORD);
      await page.getByRole('button', { name: 'Activate', exact: true }).and(page.locator(':enabled')).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();

      const alert = page.getByRole('alert');
      let text = '';
      for (let attempt = 1; attempt <= 20 && !/too many/i.test(text); attempt++) {
        await logIn(page, 'admin', `wrong-password-${attempt}`);
        await page.getByRole('button', { name: 'Log in', exact: true }).and(page.locator(':enabled')).waitFor();
        text = await alert.innerText();
      }
      expect(text).toMatch(/Too many attempts, try again in \d+ s/);
    } finally {
      await context.close();
      await own.close();
    }
  }, 60_000);
});

// End-to-end: user management in the web UI, in real headless Chromium against a real recorder.
// Needs `npm run build` first (the recorder serves dist/web).
import { describe, expect, it } from 'vitest';
import { browserSuite, logIn, newPage, openFromMenu } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const OPERATOR_PASSWORD = 'Copper meadow 58 listening kites';

const suite = browserSuite();

describe('user management (Chromium)', () => {
  it('an admin creates an operator, who must replace the one-time password and then cannot manage users', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();

      // Create an operator: the one-time password is shown once, with the warning.
      await openFromMenu(page, 'Users');
      await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
      await page.getByLabel('Username', { exact: true }).fill('olivia');
      await page.getByLabel('Role', { exact: true }).selectOption('operator');
      await page.getByRole('button', { name: 'Create user', exact: true }).click();
      const shown = page.getByTestId('one-time-password');
      await shown.waitFor();
      expect(await shown.innerText()).toContain('Shown only once');
      const oneTimePassword = await page.getByTestId('one-time-password-value').innerText();
      expect(oneTimePassword).toMatch(/^[a-km-np-z2-9]{5}(?:-[a-km-np-z2-9]{5}){3}$/);
      await page.locator('[data-testid="user-row"][data-username="olivia"]').waitFor();
      await page.screenshot({ path: `${process.env.UI_SCREENSHOT_DIR ?? '/tmp'}/ui-users.png`, fullPage: true });
      await page.getByRole('button', { name: 'Done, I have passed it on' }).click();
      expect(await page.getByTestId('one-time-password').count()).toBe(0);

      // The matrix: operator defaults are ticked and fixed; a grant on all cameras is saved.
      await page.locator('[data-testid="user-row"][data-username="olivia"]').getByRole('button', { name: 'Edit' }).click();
      const matrix = page.getByTestId('permission-matrix');
      const liveBox = matrix.getByLabel('All cameras: Live view');
      expect([await liveBox.isChecked(), await liveBox.isDisabled()]).toEqual([true, true]);
      expect(await matrix.getByLabel('Device: Manage users').isDisabled()).toBe(true);
      const configure = matrix.getByLabel('All cameras: Configure');
      expect([await configure.isChecked(), await configure.isDisabled()]).toEqual([false, false]);
      await configure.check();
      await page.screenshot({ path: `${process.env.UI_SCREENSHOT_DIR ?? '/tmp'}/ui-users-edit.png`, fullPage: true });
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await matrix.waitFor({ state: 'detached' });
      const admin = await loggedInAdmin(suite.recorder);
      const olivia = ((await admin.get('/api/v1/users')).body.users as { username: string; permissions: unknown }[]).find((u) => u.username === 'olivia');
      expect(olivia?.permissions).toEqual({ device: [], cameras: { '*': ['configure'] }, denied: {} });

      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();

      // The operator logs in with the one-time password and is made to choose a new one first.
      await logIn(page, 'olivia', oneTimePassword);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      expect(await page.getByRole('link', { name: 'Home' }).count()).toBe(0);
      await page.getByLabel('One-time password', { exact: true }).fill(oneTimePassword);
      await page.getByLabel('New password', { exact: true }).fill(OPERATOR_PASSWORD);
      await page.getByLabel('Confirm password', { exact: true }).fill(OPERATOR_PASSWORD);
      await page.getByRole('button', { name: 'Set my password', exact: true }).and(page.locator(':enabled')).click();
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();
      expect(await page.getByTestId('current-role').innerText()).toBe('operator');

      // No Users link, and the API refuses the operator (same session, same cookie).
      expect(await page.getByRole('link', { name: 'My sessions', includeHidden: true }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Users', exact: true, includeHidden: true }).count()).toBe(0);
      const answer = await page.evaluate(async () => {
        const res = await fetch('/api/v1/users');
        return { status: res.status, body: (await res.json()) as { error: { code: string } } };
      });
      expect([answer.status, answer.body.error.code]).toEqual([403, 'forbidden']);
      // Going to #/users by hand shows no user list either.
      await page.goto('/#/users');
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();
      expect(await page.getByTestId('user-row').count()).toBe(0);

      // The one-time password no longer works; the chosen one does.
      const relogin = await fetch(`${suite.recorder.url}/api/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'olivia', password: oneTimePassword }),
      });
      expect(relogin.status).toBe(401);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('an admin resets a password (after confirming) and deletes a user only after typing the username', async () => {
    const admin = await loggedInAdmin(suite.recorder);
    expect((await admin.post('/api/v1/users', { username: 'temp.viewer', role: 'viewer' })).status).toBe(201);
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/#/users');
      await logIn(page, 'admin', STRONG_PASSWORD);
      const row = page.locator('[data-testid="user-row"][data-username="temp.viewer"]');
      await row.getByRole('button', { name: 'Reset password' }).click();
      await page.getByRole('heading', { name: 'Reset the password of temp.viewer' }).waitFor();
      await page.locator('form').getByRole('button', { name: 'Reset password', exact: true }).click();
      const issued = await page.getByTestId('one-time-password-value').innerText();
      const login = await fetch(`${suite.recorder.url}/api/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'temp.viewer', password: issued }),
      });
      expect([login.status, ((await login.json()) as { passwordChangeRequired: boolean }).passwordChangeRequired]).toEqual([201, true]);

      await row.getByRole('button', { name: 'Delete' }).click();
      const confirm = page.getByRole('button', { name: 'Delete temp.viewer' });
      expect(await confirm.isDisabled()).toBe(true);
      await page.getByLabel('Type the username to confirm').fill('temp.viewe');
      expect(await confirm.isDisabled()).toBe(true);
      await page.getByLabel('Type the username to confirm').fill('temp.viewer');
      await confirm.click();
      await row.waitFor({ state: 'detached' });
      const users = (await admin.get('/api/v1/users')).body.users as { username: string }[];
      expect(users.map((u) => u.username)).not.toContain('temp.viewer');
      // The admin's own row offers neither reset nor delete.
      const own = page.locator('[data-testid="user-row"][data-username="admin"]');
      expect(await own.getByRole('button', { name: 'Delete' }).count()).toBe(0);
      expect(await own.getByRole('button', { name: 'Reset password' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);
});

// End-to-end: two-factor authentication in the web UI, in real headless Chromium.
// Needs `npm run build` first (the recorder serves dist/web).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, newPage, openFromMenu } from '../helpers/browser.js';
import { activate, loggedInAdmin } from '../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD } from '../helpers/recorder.js';
import { appCode, base32Decode, enrolTotp } from '../helpers/two-factor.js';

const SHOTS = process.env.UI_SCREENSHOT_DIR ?? '/tmp';

const suite = browserSuite();

async function passwordStep(page: Page): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
}

describe('two-factor in the web UI (Chromium)', () => {
  it('sets up an authenticator app, shows the recovery codes once, and logs in with a code or a recovery code', async () => {
    const { context, page } = await newPage(suite.browser, `${suite.recorder.url}/`);
    try {
      await page.goto('/');
      await passwordStep(page);
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();

      await openFromMenu(page, 'Two-step login');
      await page.getByRole('heading', { name: 'Two-step login', level: 1 }).waitFor();
      expect(await page.getByTestId('two-factor-status').innerText()).toContain('off');

      // Set-up needs the password; a wrong one is refused with the API's message.
      const setUpForm = page.getByRole('form', { name: 'Set up an authenticator app' });
      const setUp = setUpForm.getByRole('button', { name: 'Set up authenticator app' });
      await setUpForm.getByLabel('Current password', { exact: true }).fill('Not my password 12');
      await setUp.click();
      await page.getByRole('alert').filter({ hasText: 'current password' }).waitFor();
      await setUpForm.getByLabel('Current password', { exact: true }).fill(STRONG_PASSWORD);
      await setUp.click();

      const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
      await qr.waitFor();
      expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      const secret = base32Decode((await page.getByTestId('totp-secret').innerText()).replace(/\s/g, ''));
      const codeField = page.getByLabel('Code from the app');
      expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
      await codeField.fill(appCode(suite.recorder, secret));
      await page.getByRole('button', { name: 'Turn on two-step login' }).click();

      const codes = page.getByTestId('recovery-codes').locator('li');
      await codes.first().waitFor();
      expect(await codes.count()).toBe(10);
      const recoveryCodes = await codes.allInnerTexts();
      const download = page.getByRole('link', { name: 'Download' });
      expect(await download.getAttribute('download')).toBe('vigil-recovery-codes.txt');
      expect(decodeURIComponent((await download.getAttribute('href'))!)).toContain(recoveryCodes[0]!);
      await page.screenshot({ path: `${SHOTS}/ui-two-factor-codes.png`, fullPage: true });
      await page.getByRole('button', { name: 'I have saved them' }).click();
      await page.getByTestId('two-factor-status').filter({ hasText: '10 of 10 recovery codes left' }).waitFor();

      // Log in again: the password is no longer enough.
      await logOut(page);
      await passwordStep(page);
      await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      const code = page.getByLabel('Authentication code');
      expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
      await page.screenshot({ path: `${SHOTS}/ui-second-step.png`, fullPage: true });
      suite.recorder.clock.advance(30); // the set-up code's time step is spent
      await code.fill('000000' === appCode(suite.recorder, secret) ? '111111' : '000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('alert').waitFor();
      await code.fill(appCode(suite.recorder, secret));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();

      // And with a recovery code, typed loosely.
      await logOut(page);
      await passwordStep(page);
      await page.getByRole('button', { name: 'Use a recovery code' }).click();
      await page.getByLabel('Recovery code').fill(recoveryCodes[0]!.toLowerCase());
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();
      await openFromMenu(page, 'Two-step login');
      await page.getByTestId('two-factor-status').filter({ hasText: '9 of 10 recovery codes left' }).waitFor();
    } finally {
      await context.close();
    }
  }, 90_000);

  it('registers a passkey with a virtual authenticator and logs in with it as the second factor', async () => {
    const own = await startTestRecorder({ serveWeb: true });
    await activate(own);
    // WebAuthn needs a DNS name as the relying party: localhost, not 127.0.0.1.
    const byName = own.url.replace('127.0.0.1', 'localhost');
    const { context, page } = await newPage(suite.browser, byName);
    try {
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });

      await page.goto('/');
      await passwordStep(page);
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();
      await openFromMenu(page, 'Two-step login');

      const addForm = page.getByRole('form', { name: 'Add a passkey' });
      await addForm.getByLabel('Name').fill('Virtual key');
      await addForm.getByLabel('Current password', { exact: true }).fill(STRONG_PASSWORD);
      await addForm.getByRole('button', { name: 'Add passkey' }).click();

      // The first factor of the account brings the recovery codes.
      const codes = page.getByTestId('recovery-codes').locator('li');
      await codes.first().waitFor();
      expect(await codes.count()).toBe(10);
      await page.getByRole('button', { name: 'I have saved them' }).click();
      await page.getByTestId('passkey-row').filter({ hasText: 'Virtual key' }).waitFor();
      await page.getByTestId('two-factor-status').filter({ hasText: 'on' }).waitFor();
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      expect(credentials[0]!.rpId).toBe('localhost');
      await page.screenshot({ path: `${SHOTS}/ui-two-factor-passkey.png`, fullPage: true });

      // Log in again: password, then the passkey.
      await logOut(page);
      await passwordStep(page);
      await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();
      const login = own.running.ctx.audit.query({ type: 'auth.login' })[0]!;
      // This browser logged in before (to register the passkey), so it is a known device.
      expect(JSON.parse(login.details)).toEqual({ secondFactor: 'webauthn', newDevice: false });
      const stored = await own.running.ctx.twoFactor.listPasskeys(1);
      expect(stored).toHaveLength(1);
      expect(stored[0]!.lastUsedAt).not.toBeNull();
      expect(stored[0]!.counter).toBe((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0]!.signCount);

      // Removing it needs the password, and it was the only factor: two-factor is off.
      await openFromMenu(page, 'Two-step login');
      const removeForm = page.getByRole('form', { name: 'Remove a passkey' });
      await removeForm.getByLabel('Current password', { exact: true }).fill('Not my password 12');
      await removeForm.getByRole('button', { name: 'Remove passkey' }).click();
      await removeForm.getByRole('alert').filter({ hasText: 'current password' }).waitFor();
      expect(await own.running.ctx.twoFactor.listPasskeys(1)).toHaveLength(1);
      await removeForm.getByLabel('Current password', { exact: true }).fill(STRONG_PASSWORD);
      await removeForm.getByRole('button', { name: 'Remove passkey' }).click();
      await page.getByTestId('two-factor-status').filter({ hasText: 'off' }).waitFor();
      expect(await own.running.ctx.twoFactor.listPasskeys(1)).toEqual([]);
    } finally {
      await context.close();
      await own.close();
    }
  }, 90_000);

  it('when an admin requires 2FA, a user without it lands on the set-up and nowhere else until it is done', async () => {
    const own = await startTestRecorder({ serveWeb: true });
    await activate(own);
    // The policy needs an admin with 2FA; then the admin turns their own off and is held to enrolment.
    const api = await loggedInAdmin(own);
    await enrolTotp(own, api);
    expect((await api.request('PUT', '/api/v1/settings/two-factor', { required: true, currentPassword: STRONG_PASSWORD })).status).toBe(200);
    expect((await api.post('/api/v1/me/2fa/disable', { currentPassword: STRONG_PASSWORD })).status).toBe(204);
    own.clock.advance(60);

    const { context, page } = await newPage(suite.browser, own.url);
    try {
      await page.goto('/#/sessions');
      await passwordStep(page);
      await page.getByRole('heading', { name: 'Two-step login', level: 1 }).waitFor();
      await page.getByRole('status').filter({ hasText: 'requires two-step login for everyone' }).waitFor();
      await page.getByRole('link', { name: 'Home' }).click();
      await page.waitForURL(/#\/$/);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Two-step login');

      const setUpForm = page.getByRole('form', { name: 'Set up an authenticator app' });
      await setUpForm.getByLabel('Current password', { exact: true }).fill(STRONG_PASSWORD);
      await setUpForm.getByRole('button', { name: 'Set up authenticator app' }).click();
      const secret = base32Decode((await page.getByTestId('totp-secret').innerText()).replace(/\s/g, ''));
      await page.getByLabel('Code from the app').fill(appCode(own, secret));
      await page.getByRole('button', { name: 'Turn on two-step login' }).click();
      await page.getByTestId('recovery-codes').waitFor();
      await page.getByRole('button', { name: 'I have saved them' }).click();

      // Done: the page the browser asked for (Home) is open now, and the others too.
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();
      await openFromMenu(page, 'My sessions');
      await page.getByTestId('session-row').first().waitFor();
    } finally {
      await context.close();
      await own.close();
    }
  }, 90_000);
});

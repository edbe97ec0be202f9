// End-to-end: the cloud's web UI in real headless Chromium against a real cloud (PostgreSQL, and a
// real SMTP server that receives the codes): sign up, verify with the mailed code, log in; My
// security (password change, sessions), logging out, a session ended elsewhere. Every
// page at 390 and 1280 px: no sideways scroll, no serious axe finding, a screenshot in
// UI_SCREENSHOT_DIR. Needs `npm run build` first (the cloud serves dist/web-cloud).
import type { Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cloudPaths } from '../../src/cloud/data-dir.js';
import { insertBinding } from '../../src/cloud/db/devices.js';
import { loadOrCreateKeyFile } from '../../src/identity/sealing/secret-box.js';
import type { OfflineChallengeView } from '../../src/recorder/api/cloud-reset.js';
import { hotp, STANDARD_TOTP, timeStep } from '../../src/identity/two-factor/totp.js';
import { openFromMenu } from '../helpers/chromium.js';
import { CloudClient, SAFARI_ON_IPHONE, verifiedAccount } from '../helpers/cloud-client.js';
import { cloudPage, cloudWebSuite, mailedCode, textedCode } from '../helpers/cloud-web.js';
import { checkPage, WIDTHS } from '../helpers/page-checks.js';
import { base32Decode } from '../helpers/two-factor.js';
import { activate, ApiClient } from '../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD } from '../helpers/recorder.js';

const suite = cloudWebSuite();

const shot = (page: Page, name: string, width: number) => checkPage(page, `cloud-${name}`, width);

/** The code an authenticator app shows now, at the cloud's time. */
const codeAt = (secret: Buffer) => hotp(secret, timeStep(suite.clock.now()), STANDARD_TOTP.algorithm, STANDARD_TOTP.digits);

async function logIn(page: Page, email: string, password = STRONG_PASSWORD): Promise<void> {
  await page.getByLabel('Email address or phone number').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

async function fillSignUp(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password', { exact: true }).fill(password);
}

describe('the cloud web UI (Chromium)', () => {
  it('is served at / with the security headers, compressed, revalidated on every load', async () => {
    const res = await fetch(`${suite.cloud.url}/`, { headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await res.text()).toContain('<title>Vigil cloud</title>');
  });

  it.each(WIDTHS)('signs up, verifies the mailed code and logs in at %i px', async (width) => {
    const email = `owner-${width}@example.com`;
    const { context, page } = await cloudPage(suite, width);
    try {
      await page.goto('/');
      await page.getByRole('heading', { name: 'Log in to Vigil cloud', level: 1 }).waitFor();
      await shot(page, 'login', width);

      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByRole('heading', { name: 'Create your Vigil cloud account', level: 1 }).waitFor();
      await shot(page, 'signup', width);
      // A weak password: the meter says why and the form cannot be sent.
      await fillSignUp(page, email, 'password123');
      await page.locator('[data-testid="strength-meter"][data-pending="false"][data-level="risky"]').waitFor();
      expect(await page.getByRole('button', { name: 'Create account' }).isDisabled()).toBe(true);
      await shot(page, 'signup-weak', width);
      await fillSignUp(page, email, STRONG_PASSWORD);
      await page.locator('[data-testid="strength-meter"][data-accepted="true"]').waitFor();
      await page.getByRole('button', { name: 'Create account' }).click();

      await page.getByRole('heading', { name: 'Check your mail', level: 1 }).waitFor();
      expect(await page.getByRole('status').textContent()).toContain(email);
      const code = await mailedCode(suite.smtp, email);
      const wrong = code === '00000000' ? '00000001' : '00000000';
      await page.getByLabel('Code from the mail').fill(wrong);
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('The code is wrong, expired or used');
      await shot(page, 'verify-wrong-code', width);
      // As copied from a mail, with a space in the middle.
      await page.getByLabel('Code from the mail').fill(`${code.slice(0, 4)} ${code.slice(4)}`);
      await page.getByRole('button', { name: 'Verify' }).click();

      await page.getByRole('heading', { name: 'Log in to Vigil cloud', level: 1 }).waitFor();
      expect(await page.getByRole('status').textContent()).toContain('Your address is verified');
      expect(await page.getByLabel('Email address or phone number').inputValue()).toBe(email);
      await shot(page, 'login-verified', width);
      await page.getByLabel('Password', { exact: true }).fill(OTHER_STRONG_PASSWORD);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('The email address or the password is wrong.');
      // The notice about before would contradict the error: it is gone, and so is the wrong password.
      expect(await page.getByRole('status').count()).toBe(0);
      expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
      await shot(page, 'login-failed', width);
      await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();

      await page.getByRole('heading', { name: 'Reset a recorder that is offline', level: 1 }).waitFor();
      const session = (await context.cookies()).find((c) => c.name === '__Host-vigil_cloud_session');
      expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
      expect(await page.getByRole('navigation', { name: 'Main' }).textContent()).toContain(email);
    } finally {
      await context.close();
    }
  });

  it('signs up with a phone number, verifies the texted code and logs in with the number', async () => {
    const { context, page } = await cloudPage(suite, 390);
    try {
      await page.goto('/#/signup');
      await page.getByLabel('A phone number (a text message)').check();
      // As people write numbers: spaces and a dash; the cloud gets "+" and digits.
      await page.getByLabel('Phone number', { exact: true }).fill('+44 7700 900-123');
      await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
      await page.getByLabel('Confirm password', { exact: true }).fill(STRONG_PASSWORD);
      await page.locator('[data-testid="strength-meter"][data-accepted="true"]').waitFor();
      await shot(page, 'signup-phone', 390);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Check your messages', level: 1 }).waitFor();
      await page.getByLabel('Code from the text message').fill(await textedCode(suite.sms, '+447700900123'));
      await shot(page, 'verify-phone', 390);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { name: 'Log in to Vigil cloud', level: 1 }).waitFor();
      expect(await page.getByLabel('Email address or phone number').inputValue()).toBe('+447700900123');
      await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await page.getByRole('heading', { name: 'Reset a recorder that is offline', level: 1 }).waitFor();
      await openFromMenu(page, 'Password and sessions');
      await page.getByRole('heading', { name: 'My security', level: 1 }).waitFor();
      expect(await page.getByText('Your account:').textContent()).toContain('+447700900123');
    } finally {
      await context.close();
    }
  });

  it.each(WIDTHS)('My security at %i px: change the password, end the other sessions, log out', async (width) => {
    const email = `careful-${width}@example.com`;
    await verifiedAccount(suite.cloud, email);
    const elsewhere = new CloudClient(suite.cloud, SAFARI_ON_IPHONE);
    expect((await elsewhere.logIn(email)).status).toBe(200);
    const { context, page } = await cloudPage(suite, width);
    try {
      // A page asked for before login is the one shown after it.
      await page.goto('/#/security');
      await logIn(page, email);
      await page.getByRole('heading', { name: 'My security', level: 1 }).waitFor();
      const rows = page.getByTestId('session-row');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.filter({ hasText: 'This device' }).textContent()).toContain('Linux');
      expect(await rows.filter({ hasNotText: 'This device' }).textContent()).toContain('Safari on iPhone');
      await shot(page, 'security', width);

      // A reload keeps the session: the UI asks the cloud who is logged in.
      await page.reload();
      await page.getByRole('heading', { name: 'My security', level: 1 }).waitFor();

      const password = page.getByRole('region', { name: 'Password' });
      await password.getByLabel('Current password').fill(STRONG_PASSWORD);
      await password.getByLabel('New password', { exact: true }).fill(OTHER_STRONG_PASSWORD);
      await password.getByLabel('Confirm password', { exact: true }).fill(OTHER_STRONG_PASSWORD);
      await page.locator('[data-testid="strength-meter"][data-accepted="true"]').waitFor();
      await password.getByRole('button', { name: 'Change password' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Your password was changed. 1 other session was signed out.');
      await expect.poll(() => rows.count()).toBe(1);
      expect((await elsewhere.get('/api/v1/account')).status).toBe(401);
      await shot(page, 'security-password-changed', width);

      // Logged in elsewhere again, then ended from here.
      expect((await elsewhere.logIn(email, OTHER_STRONG_PASSWORD)).status).toBe(200);
      await page.reload();
      await expect.poll(() => rows.count()).toBe(2);
      await page.getByRole('button', { name: 'Log out everywhere else' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('1 other session was signed out.');
      await expect.poll(() => rows.count()).toBe(1);
      expect((await elsewhere.get('/api/v1/account')).status).toBe(401);

      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await page.getByRole('heading', { name: 'Log in to Vigil cloud', level: 1 }).waitFor();
      expect(await page.getByRole('status').textContent()).toContain('You have logged out.');
      await page.reload();
      await page.getByRole('heading', { name: 'Log in to Vigil cloud', level: 1 }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('a session ended elsewhere sends this browser back to the login, the address filled in', async () => {
    const email = 'ended@example.com';
    await verifiedAccount(suite.cloud, email);
    const elsewhere = new CloudClient(suite.cloud);
    await elsewhere.logIn(email);
    const { context, page } = await cloudPage(suite, 390);
    try {
      // A page asked for before login is the one shown after it.
      await page.goto('/#/security');
      await logIn(page, email);
      await page.getByRole('heading', { name: 'My security', level: 1 }).waitFor();
      await expect.poll(() => page.getByTestId('session-row').count()).toBe(2);
      expect((await elsewhere.post('/api/v1/account/sessions/revoke-others')).body).toEqual({ ended: 1 });
      // The next request this browser makes finds its session gone.
      await page.getByRole('button', { name: 'Log out everywhere else' }).click();
      await page.getByRole('heading', { name: 'Log in to Vigil cloud', level: 1 }).waitFor();
      expect(await page.getByRole('status').textContent()).toContain('Your session ended: log in again.');
      expect(await page.getByLabel('Email address or phone number').inputValue()).toBe(email);
    } finally {
      await context.close();
    }
  });

  it.each(WIDTHS)('two-step login at %i px: set up the authenticator app, save the codes, log in with a code; account activity', async (width) => {
    const email = `two-step-${width}@example.com`;
    await verifiedAccount(suite.cloud, email);
    const { context, page } = await cloudPage(suite, width);
    try {
      await page.goto('/#/security');
      await logIn(page, email);
      await page.getByRole('link', { name: 'Set up two-step login' }).click();
      await page.getByRole('heading', { name: 'Two-step login', level: 1 }).waitFor();
      expect(await page.getByTestId('two-factor-status').innerText()).toContain('off');
      await shot(page, 'two-factor', width);

      const setUp = page.getByRole('form', { name: 'Set up an authenticator app' });
      await setUp.getByLabel('Current password', { exact: true }).fill(STRONG_PASSWORD);
      await setUp.getByRole('button', { name: 'Set up authenticator app' }).click();
      await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
      const secret = base32Decode((await page.getByTestId('totp-secret').innerText()).replace(/\s/g, ''));
      await shot(page, 'two-factor-scan', width);
      await page.getByLabel('Code from the app').fill(codeAt(secret));
      await page.getByRole('button', { name: 'Turn on two-step login' }).click();
      await expect.poll(() => page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
      await shot(page, 'two-factor-codes', width);
      await page.getByRole('button', { name: 'I have saved them' }).click();
      await page.getByTestId('two-factor-status').filter({ hasText: '10 of 10 recovery codes left' }).waitFor();

      // The password is no longer enough.
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await logIn(page, email);
      await page.getByRole('heading', { name: 'Two-step verification', level: 1 }).waitFor();
      await shot(page, 'second-step', width);
      suite.clock.advance(30); // the set-up code's time step is spent
      await page.getByLabel('Authentication code').fill(codeAt(secret));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { name: 'Reset a recorder that is offline', level: 1 }).waitFor();
      await page.goto('/#/security');
      await page.getByRole('heading', { name: 'My security', level: 1 }).waitFor();
      expect(await page.getByRole('region', { name: 'Two-step login' }).textContent()).toContain('On: a login needs your password and an authenticator app.');

      await page.goto('/#/activity');
      await page.getByRole('heading', { name: 'Account activity', level: 1 }).waitFor();
      await page.getByTestId('activity-row').first().waitFor();
      const types = await page.getByTestId('activity-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')));
      expect(types).toContain('twofactor.enabled');
      expect(types.filter((type) => type === 'auth.login').length).toBeGreaterThanOrEqual(2);
      await shot(page, 'activity', width);
    } finally {
      await context.close();
    }
  });

  it.each(WIDTHS)('the offline reset at %i px: the challenge a bound recorder shows gives the code that resets its admin', async (width) => {
    const email = `offline-${width}@example.com`;
    const accountId = await verifiedAccount(suite.cloud, email);
    const recorder = await startTestRecorder();
    try {
      await activate(recorder);
      // Both sides of a binding, as the binding leaves them (binding itself is not in this UI yet).
      const secret = randomBytes(32);
      recorder.running.ctx.cloudBinding.bind({ cloudUrl: suite.cloud.url, cloudPublicKey: 'unused here', ownerLabel: 'o***@example.com', boundAt: recorder.clock.now() }, secret);
      const secretsKey = loadOrCreateKeyFile(cloudPaths(suite.dataDir).deviceSecretsKey, 'the per-device secrets');
      const device = { serial: recorder.serial, publicKey: 'unused here', model: recorder.model, ownerAccountId: accountId, boundAt: suite.clock.now() };
      expect(await insertBinding(suite.cloud.db, device, secret, secretsKey)).toBe(true);
      const atRecorder = new ApiClient(recorder.url);
      const challenge = (await atRecorder.post<OfflineChallengeView>('/api/v1/recovery/cloud/challenge')).body;

      const { context, page } = await cloudPage(suite, width);
      try {
        await page.goto('/');
        await logIn(page, email);
        await page.getByRole('heading', { name: 'Reset a recorder that is offline', level: 1 }).waitFor();
        await shot(page, 'offline-reset', width);
        // A typo is caught by the challenge's check symbols.
        await page.getByLabel('Challenge shown by the recorder').fill(challenge.text.slice(0, -1) + (challenge.text.endsWith('0') ? '1' : '0'));
        await page.getByRole('button', { name: 'Get the response code' }).click();
        await expect.poll(() => page.getByRole('alert').textContent()).toContain('has a typo');
        // As a person types it: lower case, spaces for dashes.
        await page.getByLabel('Challenge shown by the recorder').fill(challenge.text.toLowerCase().replace(/-/g, ' '));
        await page.getByRole('button', { name: 'Get the response code' }).click();
        const shown = page.getByTestId('response-code');
        await shown.waitFor();
        expect(await shown.textContent()).toContain(recorder.serial);
        await shot(page, 'offline-reset-code', width);
        const code = (await shown.locator('code').textContent())!;
        const granted = await atRecorder.post('/api/v1/recovery/cloud/verify', { username: 'admin', code });
        expect(granted.status, JSON.stringify(granted.body)).toBe(201);
        expect(granted.body).toMatchObject({ method: 'cloud', username: 'admin' });
      } finally {
        await context.close();
      }
    } finally {
      await recorder.close();
    }
  });

  it.each(WIDTHS)('forgot password at %i px: the mailed code, then a new password; the old one no longer works', async (width) => {
    const email = `forgetful-${width}@example.com`;
    await verifiedAccount(suite.cloud, email);
    const { context, page } = await cloudPage(suite, width);
    try {
      await page.goto('/');
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.getByRole('heading', { name: 'Forgot your password?', level: 1 }).waitFor();
      await shot(page, 'forgot', width);
      await page.getByLabel('Email address or phone number').fill(email);
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await page.getByLabel('Code from the mail').fill(await mailedCode(suite.smtp, email));
      await shot(page, 'forgot-code', width);
      await page.getByRole('button', { name: 'Continue' }).click();
      const form = page.getByRole('form', { name: 'New password' });
      await form.getByLabel('New password', { exact: true }).fill(OTHER_STRONG_PASSWORD);
      await form.getByLabel('Confirm password', { exact: true }).fill(OTHER_STRONG_PASSWORD);
      await page.locator('[data-testid="strength-meter"][data-accepted="true"]').waitFor();
      await shot(page, 'forgot-new-password', width);
      await form.getByRole('button', { name: 'Set new password' }).click();
      await page.getByRole('heading', { name: 'Log in to Vigil cloud', level: 1 }).waitFor();
      expect(await page.getByRole('status').textContent()).toContain('Your new password is set');
      expect(await page.getByLabel('Email address or phone number').inputValue()).toBe(email);
      await logIn(page, email, STRONG_PASSWORD);
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('The email address or the password is wrong.');
      await logIn(page, email, OTHER_STRONG_PASSWORD);
      await page.getByRole('heading', { name: 'Reset a recorder that is offline', level: 1 }).waitFor();
    } finally {
      await context.close();
    }
  });
});

// End-to-end: the cloud's web UI in real headless Chromium against a real cloud (PostgreSQL, and a
// real SMTP server that receives the codes): sign up, verify with the mailed code, log in. Every
// page at 390 and 1280 px: no sideways scroll, no serious axe finding, a screenshot in
// UI_SCREENSHOT_DIR. Needs `npm run build` first (the cloud serves dist/web-cloud).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cloudPage, cloudWebSuite, mailedCode } from '../helpers/cloud-web.js';
import { checkPage, WIDTHS } from '../helpers/page-checks.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD } from '../helpers/recorder.js';

const suite = cloudWebSuite();

const shot = (page: Page, name: string, width: number) => checkPage(page, `cloud-${name}`, width);

async function fillSignUp(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email address').fill(email);
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
      expect(await page.getByLabel('Email address').inputValue()).toBe(email);
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

      await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
      const session = (await context.cookies()).find((c) => c.name === '__Host-vigil_cloud_session');
      expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
      await shot(page, 'signed-in', width);
    } finally {
      await context.close();
    }
  });
});

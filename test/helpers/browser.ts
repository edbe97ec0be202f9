// Real headless Chromium (Debian package) driven by playwright-core.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { RecoveryMethod } from '../../src/recorder/recovery/methods.js';
import { activate } from './client.js';
import { startTestRecorder, type TestRecorder } from './recorder.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** A fresh, isolated context (own cookies and storage) and page; close the context after the test. */
export async function newPage(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

/** Fills the login form and submits it. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

export interface BrowserSuite {
  recorder: TestRecorder;
  browser: Browser;
}

/**
 * For a whole test file: a recorder serving the built UI (activated unless asked otherwise) and one
 * Chromium, started before the first test and stopped after the last.
 */
export function browserSuite(options: { activated?: boolean; recorder?: Parameters<typeof startTestRecorder>[0] } = {}): BrowserSuite {
  const suite = {} as BrowserSuite; // filled in by beforeAll, before any test reads it
  beforeAll(async () => {
    suite.recorder = await startTestRecorder({ ...options.recorder, serveWeb: true });
    if (options.activated ?? true) await activate(suite.recorder);
    suite.browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.recorder?.close();
  });
  return suite;
}

/** "Forgot password?" on the login page, for the recorder admin, then the path `method`. */
export async function openRecoveryWizard(page: Page, method: RecoveryMethod): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.getByLabel("This recorder's admin password").check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator(`button[data-method="${method}"]`).click();
}

/** The wizard's last step: the new password, twice. */
export async function fillNewPassword(page: Page, password: string): Promise<void> {
  const form = page.getByRole('form', { name: 'New password' });
  await form.getByLabel('New password', { exact: true }).fill(password);
  await form.getByLabel('Confirm password', { exact: true }).fill(password);
}

// Real headless Chromium (Debian package) driven by playwright-core, for vitest suites.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { RecoveryMethod } from '../../src/recorder/api/recovery-methods.js';
import { activate } from './client.js';
import { launchBrowser, logIn } from './chromium.js';
import { STRONG_PASSWORD, startTestRecorder, type TestRecorder } from './recorder.js';

export { CHROMIUM_PATH, launchBrowser, logIn, newPage, openFromMenu } from './chromium.js';

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

/** A new browser window `width` px wide, the admin logged in, on the page at `#/path`. */
export async function signedInAt(suite: BrowserSuite, width: number, path: string, height = 800): Promise<{ context: BrowserContext; page: Page }> {
  const context = await suite.browser.newContext({ baseURL: suite.recorder.url, viewport: { width, height } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto('/');
  await logIn(page, 'admin', STRONG_PASSWORD);
  await page.getByRole('heading', { name: 'Recorder', level: 1 }).waitFor();
  await page.goto(`/#/${path}`);
  return { context, page };
}

/** Opens a path's section on the Recovery page (they start collapsed), unless it is open already. */
export async function openRecoveryPath(page: Page, title: string): Promise<void> {
  const section = page.locator('details.recovery-path').filter({ has: page.locator('.recovery-path-title', { hasText: title }) });
  await section.waitFor();
  if ((await section.getAttribute('open')) === null) await section.locator('summary').click();
}

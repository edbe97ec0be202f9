// End-to-end: an admin shows a camera's own password on the Cameras page, and the "Forgot
// password?" wizard's answer for a camera's own login, in real headless Chromium against a real
// recorder that activated a real `vigil camera` itself. Needs `npm run build` first.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OnvifClient } from '../../src/media/onvif/onvif-client.js';
import { browserSuite, logIn, newPage, openFromMenu } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { checkPage, WIDTHS } from '../helpers/page-checks.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD } from '../helpers/recorder.js';
import { type CameraFixture, startCameraFixture } from '../camera/camera-fixture.js';

const suite = browserSuite();
let cacheDir: string;
let gate: CameraFixture;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
  gate = await startCameraFixture(cacheDir);
  const admin = await loggedInAdmin(suite.recorder);
  const res = await admin.post('/api/v1/cameras/activate', { name: 'Gate', deviceUrl: `${gate.camera.httpUrl}/onvif/device_service`, labelCode: gate.labelCode });
  expect(res.status).toBe(201);
}, 60_000);
afterAll(async () => {
  await gate?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

it("an admin shows the camera's password once, after their password again, copies it and hides it", async () => {
  const { context, page } = await newPage(suite.browser, suite.recorder.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  try {
    await page.goto('/');
    await logIn(page, 'admin', STRONG_PASSWORD);
    await openFromMenu(page, 'Cameras');
    const row = page.locator('[data-testid="camera-row"][data-name="Gate"]');
    await row.getByRole('button', { name: 'Show password' }).click();
    const panel = page.getByTestId('reveal-camera-password');
    const form = panel.getByRole('form', { name: 'Show the password of Gate' });

    await form.getByLabel('Your password', { exact: true }).fill(OTHER_STRONG_PASSWORD);
    await form.getByRole('button', { name: "Show the camera's password" }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByRole('alert').innerText()).toContain('Your current password is not right.');
    expect(await panel.getByTestId('revealed-camera-password').count()).toBe(0);

    await form.getByLabel('Your password', { exact: true }).fill(STRONG_PASSWORD);
    await form.getByRole('button', { name: "Show the camera's password" }).click();
    const value = panel.getByTestId('revealed-camera-password-value');
    await value.waitFor();
    const password = await value.innerText();
    // It is the camera's password: the camera takes it.
    const onvif = new OnvifClient(`${gate.camera.httpUrl}/onvif/device_service`, { timeoutMs: 5000, now: () => Date.now() });
    expect((await onvif.deviceInformation({ username: 'admin', password })).serialNumber).toBeTruthy();
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await panel.scrollIntoViewIfNeeded();
      await checkPage(page, 'ui-camera-password-shown', width);
    }

    await panel.getByRole('button', { name: 'Copy password' }).click();
    await panel.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(password);

    await panel.getByRole('button', { name: 'Hide password' }).click();
    await form.waitFor();
    expect(await page.content()).not.toContain(password);
    // Showing it again takes the password again: the form is empty.
    expect(await form.getByLabel('Your password', { exact: true }).inputValue()).toBe('');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await checkPage(page, 'ui-camera-password-form', width);
    }
    await form.getByRole('button', { name: 'Close' }).click();
    await panel.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
}, 60_000);

it("the wizard's answer for a camera's own login leads to the reveal, or to the camera's reset button", async () => {
  const { context, page } = await newPage(suite.browser, suite.recorder.url);
  try {
    await page.goto('/');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByLabel("A camera's own login").check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Does this recorder record the camera?').waitFor();
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await checkPage(page, 'ui-recover-camera-question', width);
    }

    await page.getByLabel('Yes: the camera is on the Cameras page and records').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    const held = page.getByText('"Show password" shows it once');
    await held.waitFor();
    expect(await held.innerText()).toContain('This recorder keeps the camera\'s password');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await checkPage(page, 'ui-recover-camera-held', width);
    }

    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.getByLabel('No, or the Cameras page says the camera refuses its password').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    const notHeld = page.getByText("Use the camera's own reset button");
    await notHeld.waitFor();
    const advice = await notHeld.innerText();
    expect(advice).toContain('keeps its configuration');
    expect(advice).toContain('A long press is a factory reset');
    expect(advice).toContain('activate it again from the recorder');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await checkPage(page, 'ui-recover-camera-reset-button', width);
    }
    // Back goes to the question, then to the first one.
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.getByText('Does this recorder record the camera?').waitFor();
  } finally {
    await context.close();
  }
}, 60_000);

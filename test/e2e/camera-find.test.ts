// End-to-end: "Find cameras on the network" in real headless Chromium against a real recorder,
// which finds real `vigil camera`s by WS-Discovery (multicast loops back on this host) and adds an
// active one by ONVIF with its login only. Needs `npm run build` first (the recorder serves dist/web).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserSuite, logIn, newPage, openFromMenu } from '../helpers/browser.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { activate, ADMIN_PASSWORD, type CameraFixture, startCameraFixture } from '../camera/camera-fixture.js';

const suite = browserSuite();
let cacheDir: string;
let active: CameraFixture;
let inactive: CameraFixture;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
  // One after the other: the first encodes the clip into the cache the second reads.
  active = await startCameraFixture(cacheDir, { discovery: true });
  inactive = await startCameraFixture(cacheDir, { discovery: true });
  expect((await activate(active)).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await Promise.all([active?.close(), inactive?.close()]);
  await rm(cacheDir, { recursive: true, force: true });
});

it('an admin finds the cameras on the network and adds the active one with its login only', async () => {
  const { context, page } = await newPage(suite.browser, suite.recorder.url);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  try {
    await page.goto('/');
    await logIn(page, 'admin', STRONG_PASSWORD);
    await openFromMenu(page, 'Cameras');
    await page.getByRole('button', { name: 'Find cameras on the network' }).click();
    const row = (fixture: CameraFixture) => page.locator(`[data-testid="found-camera"][data-endpoint="${fixture.camera.endpoint}"]`);
    await row(active).waitFor({ timeout: 15_000 });
    expect(await row(active).innerText()).toContain(new URL(active.camera.httpUrl).host);
    expect(await row(active).getByText('Active', { exact: true }).isVisible()).toBe(true);
    expect(await row(inactive).getByText('Waits for activation', { exact: true }).isVisible()).toBe(true);
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${process.env.UI_SCREENSHOT_DIR ?? '/tmp'}/ui-cameras-found-${width}.png`, fullPage: true });
    }

    await row(active).getByRole('button', { name: 'Add' }).click();
    const add = page.getByRole('form', { name: `Add ${new URL(active.camera.httpUrl).host}` });
    await add.getByLabel('Name', { exact: true }).fill('Gate');
    await add.getByLabel('Camera password', { exact: true }).fill('not-the-password-1');
    await add.getByRole('button', { name: 'Add camera' }).click();
    await add.getByRole('alert').waitFor();
    expect(await add.getByRole('alert').innerText()).toContain('The camera refused this user name and password');

    await add.getByLabel('Camera password', { exact: true }).fill(ADMIN_PASSWORD);
    await add.getByRole('button', { name: 'Add camera' }).click();
    const added = page.locator('[data-testid="camera-row"][data-name="Gate"]');
    await added.waitFor({ timeout: 15_000 });
    // The list's own refresh may show the row while the recorder still probes it: the notice comes after.
    await expect.poll(() => page.getByTestId('cameras-notice').innerText(), { timeout: 15_000 }).toBe('Gate is added: its stream was found.');
    expect(await added.innerText()).toContain(active.camera.rtspUrl);
    expect(await page.content()).not.toContain(ADMIN_PASSWORD);

    // The inactive camera: its label code only; the recorder chooses the password.
    await page.getByRole('button', { name: 'Find cameras on the network' }).click();
    // The scan is over when its button is back (the list is then this scan's).
    await page.getByRole('button', { name: 'Find cameras on the network' }).waitFor({ timeout: 15_000 });
    await row(inactive).getByRole('button', { name: 'Activate' }).click();
    const activation = page.getByRole('form', { name: `Activate ${new URL(inactive.camera.httpUrl).host}` });
    await activation.getByLabel('Name', { exact: true }).fill('Yard');
    await activation.getByLabel('Label code', { exact: true }).fill(inactive.labelCode);
    await page.screenshot({ path: `${process.env.UI_SCREENSHOT_DIR ?? '/tmp'}/ui-cameras-activate-${page.viewportSize()!.width}.png`, fullPage: true });
    await activation.getByRole('button', { name: 'Activate and add' }).click();
    await page.locator('[data-testid="camera-row"][data-name="Yard"]').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.getByTestId('cameras-notice').innerText(), { timeout: 15_000 })
      .toBe("Yard is added: activated with a password of the recorder's own, and its stream was found.");
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
});

// End-to-end: "Vigil devices on the network" on the Cameras page, in real headless Chromium against a
// real recorder that probes with Vigil's discovery protocol (multicast loops back on this host): it
// lists itself, a real inactive `vigil camera` it then activates with the label code, and a forger
// that answers for the recorder with another key, flagged with nothing to do. Needs `npm run build`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageRoot } from '../../src/shared/package-info.js';
import { browserSuite, logIn, newPage, openFromMenu } from '../helpers/browser.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { evaluatePassword } from '../../src/identity/passwords/policy.js';
import { type CameraFixture, startCameraFixture } from '../camera/camera-fixture.js';

/** A discovery port of this file's own, so no other test's device answers. */
const PORT = 38_795;
const suite = browserSuite({ recorder: { discovery: { port: PORT } } });
let cacheDir: string;
let camera: CameraFixture;
let forger: ChildProcess;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
  camera = await startCameraFixture(cacheDir, { lanDiscovery: { port: PORT } });
  // The camera judges passwords in this process and loads its dictionaries at the first one: loaded now, so the
  // recorder's ONVIF timeout during activation measures the activation, not that load on a busy machine.
  await evaluatePassword('warm up the dictionaries');
  const recorderKey = join(suite.recorder.dataDir, 'keys', 'device-ed25519.pub.pem');
  forger = spawn(process.execPath, [join(packageRoot(), 'test', 'fixtures', 'discovery-forger.mjs'), suite.recorder.serial, recorderKey, String(PORT), '127.0.0.66']);
  await new Promise<void>((resolve, reject) => {
    forger.stdout!.once('data', () => resolve());
    forger.once('exit', (code) => reject(new Error(`the forger exited with ${code}`)));
  });
}, 60_000);
afterAll(async () => {
  forger?.kill();
  await camera?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

it('an admin sees every Vigil device on the LAN with its checks, and activates the new camera from the list', async () => {
  const { context, page } = await newPage(suite.browser, suite.recorder.url);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  try {
    await page.goto('/');
    await logIn(page, 'admin', STRONG_PASSWORD);
    await openFromMenu(page, 'Cameras');
    await page.getByRole('button', { name: 'Find Vigil devices' }).click();
    const rows = page.getByTestId('lan-device');
    await page.getByTestId('lan-devices').waitFor({ timeout: 15_000 });
    const self = page.locator(`[data-testid="lan-device"][data-serial="${suite.recorder.serial}"][data-status="verified"]`);
    const forged = page.locator(`[data-testid="lan-device"][data-serial="${suite.recorder.serial}"][data-status="bad_signature"]`);
    const cam = page.locator(`[data-testid="lan-device"][data-serial="${camera.camera.serial}"]`);
    expect(await rows.count()).toBe(3);
    expect(await self.innerText()).toMatch(/This recorder[\s\S]*Activated[\s\S]*Signed by its device key/i);
    expect(await self.getByRole('link').count()).toBe(0); // nothing to open: it is this page's recorder
    expect(await forged.innerText()).toMatch(/Forged: not signed by its key/i);
    expect(await forged.getByRole('button').count()).toBe(0);
    expect(await forged.getByRole('link').count()).toBe(0);
    expect(await cam.innerText()).toMatch(/Camera VC-1[\s\S]*Waits for activation[\s\S]*reset button[\s\S]*Signed by its device key/i);
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${process.env.UI_SCREENSHOT_DIR ?? '/tmp'}/ui-lan-devices-${width}.png`, fullPage: true });
    }

    await cam.getByRole('button', { name: 'Activate' }).click();
    const activation = page.getByRole('form', { name: `Activate ${new URL(camera.camera.httpUrl).host}` });
    await activation.getByLabel('Name', { exact: true }).fill('Porch');
    await activation.getByLabel('Label code', { exact: true }).fill(camera.labelCode);
    await activation.getByRole('button', { name: 'Activate and add' }).click();
    await page.locator('[data-testid="camera-row"][data-name="Porch"]').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.getByTestId('cameras-notice').innerText(), { timeout: 15_000 })
      .toBe("Porch is added: activated with a password of the recorder's own, and its stream was found.");
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
}, 60_000);

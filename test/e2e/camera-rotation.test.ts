// End-to-end: "Rotate all camera passwords" in real headless Chromium against a real recorder and
// real `vigil camera`s: the page shows the job's progress (n of N, each camera's outcome) while it
// runs, and a camera that refuses its stored password is shown with what to do. One camera's ONVIF
// service is reached through a proxy that holds its SetUser until the test lets it go, so the
// page is seen mid-way. Needs `npm run build` first (the recorder serves dist/web).
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OnvifClient } from '../../src/media/onvif/onvif-client.js';
import { openCameraPassword } from '../../src/recorder/media/cameras/camera-secrets.js';
import { browserSuite, logIn, newPage, openFromMenu } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { activate, ADMIN_PASSWORD, type CameraFixture, startCameraFixture } from '../camera/camera-fixture.js';

const suite = browserSuite();
let cacheDir: string;
const fixtures: CameraFixture[] = [];
let proxy: Server;
let release: () => void = () => {};
const held = new Promise<void>((resolve) => (release = resolve));

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
  for (let i = 0; i < 3; i++) {
    const fixture = await startCameraFixture(cacheDir);
    expect((await activate(fixture)).status).toBe(200);
    fixtures.push(fixture);
  }
  // The third camera answers through a proxy that holds SetUser until released.
  const slow = fixtures[2]!;
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      if (body.includes('SetUser>')) await held;
      const answer = await fetch(slow.camera.httpUrl + req.url, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? '' }).end(await answer.text());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/onvif/device_service`;

  const admin = await loggedInAdmin(suite.recorder);
  const names = ['Gate', 'Porch', 'Yard'];
  for (const [i, fixture] of fixtures.entries()) {
    const deviceUrl = i === 2 ? proxyUrl : `${fixture.camera.httpUrl}/onvif/device_service`;
    const res = await admin.post('/api/v1/cameras/onvif', { name: names[i], deviceUrl, username: 'admin', password: ADMIN_PASSWORD });
    expect(res.status).toBe(201);
  }
  // Porch's password is changed behind the recorder's back: it will refuse the stored one.
  const porch = new OnvifClient(`${fixtures[1]!.camera.httpUrl}/onvif/device_service`, { timeoutMs: 5000, now: () => Date.now() });
  await porch.setPassword({ username: 'admin', level: 'Administrator' }, 'Copper kettle 31 meadow', { username: 'admin', password: ADMIN_PASSWORD });
}, 90_000);

afterAll(async () => {
  release();
  await new Promise((resolve) => proxy?.close(resolve));
  await Promise.all(fixtures.map((f) => f.close()));
  await rm(cacheDir, { recursive: true, force: true });
});

const shot = (name: string, width: number) => `${process.env.UI_SCREENSHOT_DIR ?? '/tmp'}/ui-camera-rotation-${name}-${width}.png`;

it('an admin rotates every camera password in one action and follows its progress, camera by camera', async () => {
  const { context, page } = await newPage(suite.browser, suite.recorder.url);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  try {
    await page.goto('/');
    await logIn(page, 'admin', STRONG_PASSWORD);
    await openFromMenu(page, 'Cameras');
    await page.getByRole('button', { name: 'Rotate all camera passwords' }).click();

    // Two cameras are done (one changed, one refused); the third waits in its SetUser.
    const count = page.getByTestId('rotation-count');
    await expect.poll(() => count.innerText(), { timeout: 15_000 }).toBe('Rotating: 2 of 3 cameras done.');
    expect(await page.getByRole('button', { name: 'Rotating…' }).isDisabled()).toBe(true);
    const row = (name: string) => page.getByTestId('rotation-camera').filter({ hasText: name });
    expect(await row('Gate').getAttribute('data-outcome')).toBe('changed');
    expect(await row('Porch').getAttribute('data-outcome')).toBe('current_refused');
    expect(await row('Porch').innerText()).toContain("Press the camera's reset button");
    expect(await row('Yard').getAttribute('data-outcome')).toBe('rotating');
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: shot('progress', width), fullPage: true });
    }

    release();
    await expect
      .poll(() => count.innerText(), { timeout: 15_000 })
      .toBe('Rotation finished: 2 of 3 cameras have a new password, 1 kept their old one.');
    expect(await row('Yard').getAttribute('data-outcome')).toBe('changed');
    expect(await page.getByRole('button', { name: 'Rotate all camera passwords' }).isEnabled()).toBe(true);
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: shot('finished', width), fullPage: true });
    }
    // The recorder's stored passwords are nowhere in the page.
    const ctx = suite.recorder.running.ctx;
    const html = await page.content();
    for (const camera of ctx.cameras.list()) expect(html).not.toContain(openCameraPassword(ctx.settingsKey, camera)!);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
}, 90_000);

// End-to-end: the home page shows each camera's state, whether it records and at what bitrate, and
// the disk with the days of footage that fit, against a real recorder recording the simulated RTSP
// camera on a made-up disk. Needs `npm run build` first (the recorder serves dist/web).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedCameras, type SimulatedCameras } from '../../src/camera/stream/simulated-cameras.js';
import { browserSuite, logIn, newPage } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const SHOTS = process.env.UI_SCREENSHOT_DIR ?? '/tmp';

const GIB = 1024 ** 3;
let cameras: SimulatedCameras;
const suite = browserSuite({
  recorder: { retention: { quotaBytes: 50 * GIB }, diskSpace: async () => ({ freeBytes: 100 * GIB, totalBytes: 400 * GIB }) },
});

beforeAll(async () => {
  cameras = await startSimulatedCameras({ port: 0, source: 'clip' });
  const rec = suite.recorder;
  const admin = await loggedInAdmin(rec);
  const added = await admin.post('/api/v1/cameras', { name: 'Driveway', url: cameras.cameras[0]!.url, transport: 'tcp' });
  expect(added.status).toBe(201);
  const id: number = added.body.camera.id;
  // The camera streams in real time; the recorder's manual clock moves along with it (the index follows the clock).
  const deadline = Date.now() + 30_000;
  while (!rec.running.ctx.recordings.listAll().some((r) => r.cameraId === id && r.frames >= 100)) {
    if (Date.now() > deadline) throw new Error('gave up waiting for 4 s of recorded video');
    await new Promise((resolve) => setTimeout(resolve, 100));
    rec.clock.advance(0.1);
  }
}, 60_000);
afterAll(async () => {
  await cameras?.stop();
});

describe('home page (Chromium)', () => {
  it('shows the camera online, recording and its bitrate, and the disk with the days that fit', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      const camera = page.locator('[data-testid="home-camera"][data-name="Driveway"]');
      await camera.getByTestId('home-camera-state').filter({ hasText: 'Online' }).waitFor();
      expect(await camera.getByTestId('home-camera-recording').innerText()).toBe('Recording');
      expect(await camera.getByTestId('home-camera-bitrate').innerText()).toMatch(/^\d+(\.\d)? (k|M)bit\/s$/);

      expect(await page.getByTestId('storage-disk').innerText()).toBe('300 GB used, 100 GB free of 400 GB');
      expect(await page.getByTestId('storage-quota').innerText()).toBe('50 GB');
      expect(await page.getByTestId('storage-footage').innerText()).toMatch(/ of 50 GB/);
      expect(await page.getByTestId('days-that-fit').innerText()).toMatch(/^About [\d,.]+ days of footage fit at the current rate \(\d+(\.\d)? (k|M)bit\/s\)\.$/);
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await page.screenshot({ path: `${SHOTS}/home-${width}.png`, fullPage: true });
      }
    } finally {
      await context.close();
    }
  });

  it('keeps a notification address typed while the saved one is still loading', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      // The home page loads cameras, storage and more at once: this answer comes last.
      await page.route('**/api/v1/me/notification-email', async (route) => {
        if (route.request().method() === 'GET') await new Promise((resolve) => setTimeout(resolve, 1500));
        await route.continue();
      });
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      const card = page.getByRole('form', { name: 'Notification address' });
      await card.getByLabel('Notification address').fill('owner@example.net');
      await card.getByLabel('Current password').fill(STRONG_PASSWORD);
      await card.getByRole('button', { name: 'Save address' }).click();
      await card.getByRole('status').filter({ hasText: 'Security mails go to owner@example.net.' }).waitFor();
    } finally {
      await context.close();
    }
  });
});

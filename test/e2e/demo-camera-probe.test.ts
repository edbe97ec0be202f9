// End-to-end: `vigil recorder --demo-camera` as `npm start` runs it, in real headless Chromium: the
// demo camera, added without a probe, shows its codec, resolution, frame rate and bitrate on the
// Cameras page once it streams, at a phone's width and a desk's.
// Needs `npm run build` first (the recorder serves dist/web).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logIn, openFromMenu } from '../helpers/browser.js';
import { checkPage, WIDTHS } from '../helpers/page-checks.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { adminOf, type DaemonDir, type DaemonProcess, freePort, initDaemonDir, startDaemon } from '../recorder/media/daemon-process.js';

let dir: DaemonDir;
let daemon: DaemonProcess;
let browser: Browser;

beforeAll(async () => {
  dir = initDaemonDir();
  daemon = await startDaemon(dir.dataDir, ['--demo-camera', '--demo-camera-port', String(await freePort())]);
  await adminOf(daemon, dir.labelCode);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await daemon?.stop('SIGKILL');
  dir?.cleanup();
});

describe('the demo camera on the Cameras page (Chromium)', () => {
  it('shows what its stream measured, not "Not probed yet"', async () => {
    for (const width of WIDTHS) {
      const context = await browser.newContext({ baseURL: daemon.url, viewport: { width, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      try {
        await page.goto('/');
        await logIn(page, 'admin', STRONG_PASSWORD);
        await openFromMenu(page, 'Cameras');
        const row = page.locator('[data-testid="camera-row"][data-name="Demo camera"]');
        // The list refreshes every 5 s; the stream is measured over its first 2 s.
        const probe = row.getByTestId('camera-probe');
        await probe.waitFor({ timeout: 20_000 });
        expect(await probe.innerText()).toMatch(/^H\.264 · 1280×720 · 2[45](\.\d+)? fps · \d+(\.\d)? (Mbit|kbit)\/s$/);
        await checkPage(page, 'cameras-demo', width);
      } finally {
        await context.close();
      }
    }
  });
});

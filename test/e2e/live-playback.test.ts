// End-to-end: live view, playback and export in real headless Chromium (MSE) against a real
// recorder recording the simulated RTSP camera. Needs `npm run build` first (the recorder serves dist/web).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedCameras, type SimulatedCameras } from '../../src/camera/stream/simulated-cameras.js';
import { dayOf, timeOfDay } from '../../web/src/playback/day.js';
import { browserSuite, logIn, newPage } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { pictureOf } from '../helpers/pictures.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

let cameras: SimulatedCameras;
/** Debian's Chromium has no H.265 decoder: the Live page must say so. */
let h265Cameras: SimulatedCameras;
const suite = browserSuite();
let scratch: string;
let recorded: { startMs: number; endMs: number };
let drivewayId: number;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'vigil-e2e-media-'));
  cameras = await startSimulatedCameras({ port: 0, source: 'clip' });
  h265Cameras = await startSimulatedCameras({ port: 0, source: 'clip', encoding: { codec: 'h265', width: 640, height: 360 } });
  const rec = suite.recorder;
  const admin = await loggedInAdmin(rec);
  expect((await admin.post('/api/v1/cameras', { name: 'Garden', url: h265Cameras.cameras[0]!.url, transport: 'tcp' })).status).toBe(201);
  const added = await admin.post('/api/v1/cameras', { name: 'Driveway', url: cameras.cameras[0]!.url, transport: 'tcp' });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  const id: number = (drivewayId = added.body.camera.id);
  // The camera streams in real time; the recorder's manual clock moves along with it (the index follows the clock).
  const deadline = Date.now() + 30_000;
  while (!rec.running.ctx.recordings.listAll().some((r) => r.cameraId === id && r.frames >= 200)) {
    if (Date.now() > deadline) throw new Error('gave up waiting for 8 s of recorded video');
    await new Promise((resolve) => setTimeout(resolve, 100));
    rec.clock.advance(0.1);
  }
  const ranges = (await admin.get(`/api/v1/cameras/${id}/recordings?from=${rec.clock.now() - 3_600_000}&to=${rec.clock.now() + 60_000}`)).body.ranges;
  recorded = { startMs: Date.parse(ranges[0].start), endMs: Date.parse(ranges[0].end) };
}, 60_000);
afterAll(async () => {
  await cameras?.stop();
  await h265Cameras?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function signedIn(page: Page): Promise<void> {
  await page.goto('/');
  await logIn(page, 'admin', STRONG_PASSWORD);
  await page.getByRole('link', { name: 'Home', exact: true }).waitFor();
}


/** Signed in, the Playback page on the day of the recorded segment of the camera Driveway. */
async function openPlaybackOfRecordedDay(page: Page): Promise<void> {
  await signedIn(page);
  await page.getByRole('link', { name: 'Playback', exact: true }).click();
  await page.getByLabel('Camera', { exact: true }).selectOption({ label: 'Driveway' });
  await page.getByLabel('Day', { exact: true }).fill(dayOf(recorded.startMs));
}

describe('live view and playback (Chromium)', () => {
  it('live view shows moving pictures within about a second of the newest frame; an H.265 camera is said to be unplayable here', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await signedIn(page);
      await page.getByRole('link', { name: 'Live', exact: true }).click();
      const tile = page.locator('.live-tile').filter({ hasText: 'Driveway' });
      await tile.locator('.badge', { hasText: 'Live' }).waitFor();
      const video = `[data-testid="live-${drivewayId}"] video`;
      await page.waitForFunction((s) => document.querySelector<HTMLVideoElement>(s)!.readyState >= 2, video);
      const first = await pictureOf(page, video);
      await page.waitForTimeout(1000);
      const second = await pictureOf(page, video);
      expect(second).not.toBe(first);
      // How far the picture shown is behind the newest frame received, sampled over 2 s (reported, not a threshold).
      const behind = await page.evaluate(async (s) => {
        const v = document.querySelector<HTMLVideoElement>(s)!;
        const samples: number[] = [];
        for (let i = 0; i < 20; i++) {
          samples.push(v.buffered.end(v.buffered.length - 1) - v.currentTime);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return samples.sort((a, b) => a - b);
      }, video);
      console.log(`live: the picture shown is behind the newest frame received by ${behind[10]!.toFixed(3)} s (median), ${behind.at(-1)!.toFixed(3)} s (max)`);
      const garden = page.locator('.live-tile').filter({ hasText: 'Garden' });
      await garden.locator('.badge', { hasText: 'Cannot play' }).waitFor();
      expect(await garden.getByRole('status').innerText()).toBe('This browser cannot play H.265 live; use playback export or a browser with H.265 support.');
      await page.screenshot({ path: `${process.env.UI_SCREENSHOT_DIR ?? '/tmp'}/ui-live.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('playback of a past range from the timeline advances currentTime', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await openPlaybackOfRecordedDay(page);
      await page.getByRole('button', { name: `Play from ${timeOfDay(recorded.startMs)}` }).click();
      const video = '[data-testid="playback-video"]';
      await page.waitForFunction((s) => document.querySelector<HTMLVideoElement>(s)!.readyState >= 2, video);
      const start = await page.evaluate((s) => document.querySelector<HTMLVideoElement>(s)!.currentTime, video);
      await page.waitForFunction(([s, t]) => document.querySelector<HTMLVideoElement>(s as string)!.currentTime > (t as number) + 0.5, [video, start] as const);
      // Seeking within what was loaded.
      const seeked = await page.evaluate(async (s) => {
        const v = document.querySelector<HTMLVideoElement>(s)!;
        const target = v.buffered.start(0) + 0.5;
        v.currentTime = target;
        await new Promise((resolve) => v.addEventListener('seeked', resolve, { once: true }));
        return Math.abs(v.currentTime - target);
      }, video);
      expect(seeked).toBeLessThan(0.1);
      await page.screenshot({ path: `${process.env.UI_SCREENSHOT_DIR ?? '/tmp'}/ui-playback.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('export downloads a standard MP4 that ffprobe accepts', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await openPlaybackOfRecordedDay(page);
      const form = page.getByRole('form', { name: 'Export' });
      await form.getByLabel('From', { exact: true }).fill(timeOfDay(recorded.startMs + 1000));
      await form.getByLabel('To', { exact: true }).fill(timeOfDay(recorded.startMs + 4000));
      const [download] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Export MP4' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^vigil-driveway-\d{8}-\d{6}Z\.mp4$/);
      const file = join(scratch, download.suggestedFilename());
      await download.saveAs(file);
      const probed = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file], { encoding: 'utf8' }));
      expect(probed.streams[0]).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
      expect(Number(probed.format.duration)).toBeGreaterThan(2.5);
    } finally {
      await context.close();
    }
  });
});

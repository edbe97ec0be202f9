// End-to-end: the Live grid and the Playback timeline in real headless Chromium against a real
// recorder recording four simulated RTSP cameras, one of which was away for two hours (a gap in its
// footage). Needs `npm run build` first (the recorder serves dist/web). Screenshots of both pages at
// 390 and 1280 px go to UI_SCREENSHOT_DIR (default /tmp) for a person to look at.
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedCameras, type SimulatedCameras } from '../../src/camera/stream/simulated-cameras.js';
import { cameraTimeline } from '../../src/recorder/media/recording/timeline.js';
import { dayOf, timeOfDay } from '../../web/src/playback/day.js';
import { browserSuite, signedInAt as signedInAtPage } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { pictureOf } from '../helpers/pictures.js';
import { until } from '../helpers/until.js';

const SHOTS = process.env.UI_SCREENSHOT_DIR ?? '/tmp';
const NAMES = ['Front door', 'Garden', 'Garage', 'Street'];
/** How long the camera Front door was away: more than the hour the old player looked ahead. */
const AWAY_MS = 2 * 3_600_000;

const suite = browserSuite();
let cameras: SimulatedCameras;
let frontId: number;
/** Front door's footage: before and after it was away. */
let before: { startMs: number; endMs: number };
let after: { startMs: number; endMs: number };
/** Moves the recorder's clock along with the cameras while the tests run. */
let ticker: ReturnType<typeof setInterval> | undefined;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  cameras = await startSimulatedCameras({ port: 0, source: 'clip', cameras: NAMES.length, encoding: { codec: 'h264', width: 640, height: 360 } });
  const rec = suite.recorder;
  const admin = await loggedInAdmin(rec);
  const ids: number[] = [];
  for (const [i, name] of NAMES.entries()) {
    const added = await admin.post('/api/v1/cameras', { name, url: cameras.cameras[i]!.url, transport: 'tcp' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    ids.push(added.body.camera.id);
  }
  frontId = ids[0]!;
  const segments = () => rec.running.ctx.recordings.listAll().filter((r) => r.cameraId === frontId);
  // The cameras stream in real time; the recorder's manual clock moves along with them (the index follows the clock).
  const recordFor = async (frames: number, since: number) => {
    const deadline = Date.now() + 30_000;
    while (!segments().some((r) => r.startMs >= since && r.frames >= frames)) {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${frames} recorded frames`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      rec.clock.advance(0.1);
    }
  };
  await recordFor(150, 0);
  cameras.disconnect('cam1');
  await until(() => segments().every((r) => !r.open), 'the segment to close when the camera left');
  // The camera's segment ends on its own clock, which may run ahead of the manual one.
  const lastEnd = Math.max(...segments().map((r) => r.endMs));
  rec.clock.advance(Math.max(0, lastEnd - rec.clock.now()) / 1000 + AWAY_MS / 1000);
  const backAt = rec.clock.now();
  cameras.reconnect('cam1');
  await recordFor(150, backAt);
  // Read from the index: the admin's session did not outlive the two hours.
  const ranges = cameraTimeline(rec.running.ctx.recordings, frontId, backAt - AWAY_MS - 3_600_000, rec.clock.now() + 60_000);
  expect(ranges).toHaveLength(2);
  [before, after] = ranges as [typeof before, typeof after];
  ticker = setInterval(() => rec.clock.advance(0.1), 100);
}, 120_000);
afterAll(async () => {
  clearInterval(ticker);
  await cameras?.stop();
});

const signedInAt = (width: number, path: string) => signedInAtPage(suite, width, path);

const tileBoxes = (page: Page) => page.locator('.live-tile').evaluateAll((tiles) => tiles.map((t) => t.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })));

describe('Live (Chromium)', () => {
  it('a 2×2 grid fills the screen with four moving cameras; 3×3 is remembered; a click opens one large and back', async () => {
    const { context, page } = await signedInAt(1280, 'live');
    try {
      await page.getByRole('button', { name: '4 cameras' }).click();
      for (const name of NAMES) await page.locator('.live-tile', { hasText: name }).locator('.badge', { hasText: 'Live' }).waitFor();
      const boxes = await tileBoxes(page);
      expect(boxes).toHaveLength(4);
      // Two columns and two rows, together about the window's height below the toolbar.
      expect(new Set(boxes.map((b) => Math.round(b.x))).size).toBe(2);
      expect(new Set(boxes.map((b) => Math.round(b.y))).size).toBe(2);
      expect(boxes[0]!.width).toBeGreaterThan(550);
      expect(boxes[2]!.y + boxes[2]!.height).toBeGreaterThan(700);
      // Each tile's picture moves, and each says the time of its picture.
      for (const id of await page.locator('.live-tile').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-testid')))) {
        const video = `[data-testid="${id}"] video`;
        await page.waitForFunction((s) => document.querySelector<HTMLVideoElement>(s)!.readyState >= 2, video);
        const first = await pictureOf(page, video);
        await until(async () => (await pictureOf(page, video)) !== first, `the picture of ${id} to move`, 10_000);
        expect(await page.locator(`[data-testid="${id}"] time`).innerText()).toMatch(/^\d\d:\d\d:\d\d$/);
      }
      await page.screenshot({ path: `${SHOTS}/video-live-1280.png` });

      // Fullscreen (the Fullscreen API): the grid with its toolbar (the way out stays on screen), then one camera.
      await page.getByRole('button', { name: 'Fullscreen: all cameras' }).click();
      await page.waitForFunction(() => document.fullscreenElement?.classList.contains('live-view'));
      await page.screenshot({ path: `${SHOTS}/video-live-fullscreen-1280.png` });
      await page.getByRole('button', { name: 'Exit fullscreen (all cameras)' }).click();
      await page.waitForFunction(() => document.fullscreenElement === null);
      await page.getByRole('button', { name: 'Fullscreen: Garden' }).click();
      await page.waitForFunction(() => document.fullscreenElement?.textContent?.includes('Garden'));
      await page.evaluate(() => document.exitFullscreen());

      await page.getByRole('button', { name: '9 cameras' }).click();
      expect(new Set((await tileBoxes(page)).map((b) => Math.round(b.x))).size).toBe(3);
      await page.reload();
      await page.locator('.live-tile').first().waitFor();
      expect(await page.getByRole('button', { name: '9 cameras' }).getAttribute('aria-pressed')).toBe('true');

      await page.locator('.live-tile', { hasText: 'Garage' }).click();
      await page.getByRole('button', { name: /Back to the grid/ }).waitFor();
      const opened = await tileBoxes(page);
      expect(opened).toHaveLength(1);
      expect(opened[0]!.width).toBeGreaterThan(1100);
      expect(await page.locator('.live-tile').innerText()).toContain('Garage');
      await page.screenshot({ path: `${SHOTS}/video-live-opened-1280.png` });
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: '9 cameras' }).waitFor();
      expect(await page.locator('.live-tile').count()).toBe(4);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a tile whose camera is lost says so, and shows it again by itself when it is back', async () => {
    const { context, page } = await signedInAt(1280, 'live');
    try {
      const street = page.locator('.live-tile', { hasText: 'Street' });
      await street.locator('.badge', { hasText: 'Live' }).waitFor();
      cameras.disconnect('cam4');
      await street.locator('.badge', { hasText: 'No signal' }).waitFor();
      expect(await street.getByRole('status').innerText()).toMatch(/Trying again in \d+ s\.$/);
      await page.screenshot({ path: `${SHOTS}/video-live-no-signal-1280.png` });
      cameras.reconnect('cam4');
      await street.locator('.badge', { hasText: 'Live' }).waitFor({ timeout: 60_000 });
      expect(await street.getByRole('status').count()).toBe(0);
    } finally {
      cameras.reconnect('cam4');
      await context.close();
    }
  }, 90_000);

  it('on a phone the tiles stack in one column, and a camera opens by keyboard', async () => {
    const { context, page } = await signedInAt(390, 'live');
    try {
      await page.getByRole('button', { name: '4 cameras' }).click();
      await page.locator('.live-tile', { hasText: 'Street' }).locator('.badge', { hasText: 'Live' }).waitFor();
      const boxes = await tileBoxes(page);
      expect(new Set(boxes.map((b) => Math.round(b.x))).size).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: `${SHOTS}/video-live-390.png`, fullPage: true });
      await page.getByRole('button', { name: 'Open Garden large' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: /Back to the grid/ }).waitFor();
      expect(await page.locator('.live-tile').innerText()).toContain('Garden');
    } finally {
      await context.close();
    }
  });
});

/** Playback of Front door on the day of `ms`, at the zoom named. */
async function openPlayback(width: number, ms: number) {
  const opened = await signedInAt(width, 'playback');
  await opened.page.getByLabel('Camera', { exact: true }).selectOption({ label: 'Front door' });
  await opened.page.getByLabel('Day', { exact: true }).fill(dayOf(ms));
  return opened;
}

/** Clicks the timeline where it shows `ms`, as a person would. */
async function clickTimelineAt(page: Page, ms: number): Promise<void> {
  const timeline = page.getByRole('slider', { name: /Timeline/ });
  const box = (await timeline.boundingBox())!;
  const startMs = Number(await timeline.getAttribute('data-view-start'));
  const spanMs = Number(await timeline.getAttribute('data-view-span'));
  expect(ms, 'the time is on the timeline').toBeGreaterThanOrEqual(startMs);
  expect(ms).toBeLessThanOrEqual(startMs + spanMs);
  await page.mouse.click(box.x + ((ms - startMs) / spanMs) * box.width, box.y + box.height / 4);
}

/** The player's clock, once it shows the new stream's time. */
async function playerClock(page: Page): Promise<number> {
  const clock = page.getByTestId('playback-clock');
  await page.waitForFunction(() => document.querySelector('[data-testid="playback-clock"]')?.hasAttribute('data-ms'));
  expect(await clock.innerText()).toMatch(/\d\d:\d\d:\d\d$/);
  return Number(await clock.getAttribute('data-ms'));
}

describe('Playback (Chromium)', () => {
  it('the timeline has hour marks; a click in a gap plays the next footage two hours on; a click lands on the time clicked', async () => {
    const inGap = before.endMs + 10 * 60_000;
    const { context, page } = await openPlayback(1280, inGap);
    try {
      const labels = await page.locator('.timeline-tick-label').allInnerTexts();
      expect(labels.filter((l) => /^\d\d:00$/.test(l)).length, labels.join(' ')).toBeGreaterThanOrEqual(8);

      // The time under the pointer, and the wheel zooms around it.
      const timeline = page.getByRole('slider', { name: /Timeline/ });
      const box = (await timeline.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.75, box.y + 10);
      const hovered = Date.parse(`2000-01-01T${await page.getByTestId('timeline-hover').innerText()}`);
      const expected = Date.parse(`2000-01-01T${timeOfDay(Number(await timeline.getAttribute('data-view-start')) + 0.75 * 86_400_000)}`);
      expect(Math.abs(hovered - expected), 'within a pixel of the time').toBeLessThanOrEqual(86_400_000 / box.width + 1000);
      await page.mouse.wheel(0, -100);
      await page.getByRole('button', { name: '6 h', exact: true, pressed: true }).waitFor();
      // Out again around the same pointer: the same day as before.
      await page.mouse.wheel(0, 100);
      await page.getByRole('button', { name: 'Day', exact: true, pressed: true }).waitFor();

      await clickTimelineAt(page, inGap);
      const notice = page.getByRole('status').filter({ hasText: 'Nothing was recorded at' });
      await notice.filter({ hasText: 'Playing the next footage' }).waitFor();
      // The date is said too when the footage is on another day than the one shown.
      expect(await notice.innerText()).toMatch(new RegExp(`Playing the next footage, from (\\w+, \\w+ \\d+ )?${timeOfDay(after.startMs)} \\(1 h \\d+ min( \\d+ s)? later\\)\\.$`));
      const landed = await playerClock(page);
      expect(Math.abs(landed - after.startMs), 'lands on the next footage').toBeLessThan(1000);
      // The player's clock, not the browser's own seek bar, which counts seconds from the stream's start.
      expect(await page.getByTestId('playback-video').evaluate((video: HTMLVideoElement) => video.controls)).toBe(false);
      await page.screenshot({ path: `${SHOTS}/video-playback-gap-1280.png`, fullPage: true });

      // At ten minutes a pixel is half a second: a click lands within a second of the time clicked.
      await page.getByRole('button', { name: '10 min', exact: true }).click();
      const labelsAt10 = await page.locator('.timeline-tick-label').allInnerTexts();
      expect(labelsAt10.filter((l) => /^\d\d:\d\d$/.test(l)).length).toBeGreaterThanOrEqual(8);
      const target = after.startMs + 3000;
      await clickTimelineAt(page, target);
      await page.waitForFunction((t) => Math.abs(Number(document.querySelector('[data-testid="playback-clock"]')?.getAttribute('data-ms')) - t) < 1000, target);
      // It plays on, in clock time.
      await page.waitForFunction((t) => Number(document.querySelector('[data-testid="playback-clock"]')?.getAttribute('data-ms')) > t + 1000, target);

      await page.getByRole('button', { name: 'Previous footage' }).click();
      await page.waitForFunction((t) => Math.abs(Number(document.querySelector('[data-testid="playback-clock"]')?.getAttribute('data-ms')) - t) < 1000, before.startMs);
      await page.getByRole('button', { name: 'Next footage' }).click();
      await page.waitForFunction((t) => Math.abs(Number(document.querySelector('[data-testid="playback-clock"]')?.getAttribute('data-ms')) - t) < 1000, after.startMs);
      await page.getByRole('button', { name: '4×' }).click();
      expect(await page.getByTestId('playback-video').evaluate((v: HTMLVideoElement) => v.playbackRate)).toBe(4);

      // By keyboard: the arrow keys move the playhead a sixtieth of the view (10 s at ten minutes).
      // Paused first, so only the key can take the clock that far.
      await page.getByRole('button', { name: '1×' }).click();
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
      const playhead = await playerClock(page);
      await page.getByRole('slider', { name: /Timeline/ }).focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((t) => Number(document.querySelector('[data-testid="playback-clock"]')?.getAttribute('data-ms')) > t + 8000, playhead);
      await page.screenshot({ path: `${SHOTS}/video-playback-1280.png`, fullPage: true });
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('an export range stays what was chosen while the video plays; the file name is shown', async () => {
    const { context, page } = await openPlayback(1280, after.startMs);
    try {
      await page.getByRole('button', { name: `Play from ${timeOfDay(after.startMs)}` }).click();
      const startedAt = await playerClock(page);
      const form = page.getByRole('form', { name: 'Export' });
      const from = form.getByLabel('From', { exact: true });
      const to = form.getByLabel('To', { exact: true });
      await form.getByRole('button', { name: 'Set From to the playhead' }).click();
      const chosenFrom = await from.inputValue();
      expect(chosenFrom).toMatch(/^\d\d:\d\d:\d\d$/);
      await to.fill(timeOfDay(after.startMs + 4000));
      await page.waitForFunction((t) => Number(document.querySelector('[data-testid="playback-clock"]')?.getAttribute('data-ms')) > t + 2500, startedAt);
      expect(await from.inputValue()).toBe(chosenFrom);
      expect(await to.inputValue()).toBe(timeOfDay(after.startMs + 4000));
      expect(await form.getByTestId('export-length').innerText()).toMatch(/^Length: \d s/);

      await from.fill(timeOfDay(after.startMs + 1000));
      await page.waitForTimeout(1500);
      expect(await from.inputValue()).toBe(timeOfDay(after.startMs + 1000));
      expect(await form.getByTestId('export-length').innerText()).toBe(`Length: 3 s (${timeOfDay(after.startMs + 1000)} to ${timeOfDay(after.startMs + 4000)})`);
      const [download] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Export MP4' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^vigil-front-door-\d{8}-\d{6}Z\.mp4$/);
      await form.getByRole('status').filter({ hasText: download.suggestedFilename() }).waitFor();
      await page.screenshot({ path: `${SHOTS}/video-playback-export-1280.png`, fullPage: true });

      // Chosen by dragging on the timeline instead: the range is where the drag went, and stays.
      await page.getByRole('button', { name: '10 min', exact: true }).click();
      await form.getByRole('button', { name: 'Choose on the timeline' }).click();
      const timeline = page.getByRole('slider', { name: /Timeline/ });
      const box = (await timeline.boundingBox())!;
      const startMs = Number(await timeline.getAttribute('data-view-start'));
      const spanMs = Number(await timeline.getAttribute('data-view-span'));
      const xAt = (ms: number) => box.x + ((ms - startMs) / spanMs) * box.width;
      await page.mouse.move(xAt(after.startMs + 2000), box.y + 10);
      await page.mouse.down();
      await page.mouse.move(xAt(after.startMs + 5000), box.y + 10, { steps: 5 });
      await page.mouse.up();
      const dragged = [await from.inputValue(), await to.inputValue()];
      // Half a second a pixel at this zoom: the drag's ends are within a second of where it went.
      expect(Math.abs(Date.parse(`2000-01-01T${dragged[0]}`) - Date.parse(`2000-01-01T${timeOfDay(after.startMs + 2000)}`))).toBeLessThanOrEqual(1000);
      expect(Math.abs(Date.parse(`2000-01-01T${dragged[1]}`) - Date.parse(`2000-01-01T${timeOfDay(after.startMs + 5000)}`))).toBeLessThanOrEqual(1000);
      await page.waitForTimeout(1500);
      expect([await from.inputValue(), await to.inputValue()]).toEqual(dragged);
      await page.screenshot({ path: `${SHOTS}/video-playback-drag-1280.png`, fullPage: true });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('on a phone: no sideways scroll, the timeline and player fit', async () => {
    const { context, page } = await openPlayback(390, after.startMs);
    try {
      await clickTimelineAt(page, after.startMs + 2000);
      await playerClock(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: `${SHOTS}/video-playback-390.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
});

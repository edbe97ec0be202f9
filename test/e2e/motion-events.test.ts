// End-to-end: motion events on the Playback timeline, in real headless Chromium against a real
// recorder that records a real Vigil camera added by ONVIF and watches its motion events (the
// camera's own motion control makes two). The timeline marks them, "Next event" plays from each in
// turn, at 1280 and 390 px; the Cameras page switches the camera to motion-only and back. Needs
// `npm run build` first. Screenshots go to UI_SCREENSHOT_DIR (default /tmp).
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MotionEvent } from '../../src/recorder/db/motion-events-store.js';
import { SUBSCRIPTION_POLICY } from '../../src/recorder/media/events/subscription-policy.js';
import { dayOf, timeOfDay } from '../../web/src/playback/day.js';
import { activate, ADMIN_PASSWORD, type CameraFixture, startCameraFixture } from '../camera/camera-fixture.js';
import { browserSuite, signedInAt } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { until } from '../helpers/until.js';
import { followRealTime } from '../helpers/real-time.js';

const SHOTS = process.env.UI_SCREENSHOT_DIR ?? '/tmp';

const suite = browserSuite({ recorder: { motionSubscription: { ...SUBSCRIPTION_POLICY, pullTimeoutS: 1 } } });
let cacheDir: string;
let fixture: CameraFixture;
let cameraId: number;
let events: MotionEvent[];
let stopClock: (() => void) | undefined;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-e2e-motion-clip-'));
  fixture = await startCameraFixture(cacheDir, { lanDiscovery: false });
  expect((await activate(fixture)).status).toBe(200);
  const rec = suite.recorder;
  stopClock = followRealTime(rec.clock);
  const admin = await loggedInAdmin(rec);
  const added = await admin.post('/api/v1/cameras/onvif', { name: 'Porch', deviceUrl: `${fixture.camera.httpUrl}/onvif/device_service`, username: 'admin', password: ADMIN_PASSWORD });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  cameraId = added.body.camera.id;
  await until(async () => (await admin.get(`/api/v1/cameras/${cameraId}`)).body.motion.watched, 'the motion events watched');
  const stored = () => rec.running.ctx.motionEvents.listForCamera(cameraId, 0, Number.MAX_SAFE_INTEGER, 10);
  const streamFor = (ms: number) => {
    const end = rec.clock.now() + ms;
    return until(() => (rec.running.ctx.cameraSupervisors.status(cameraId).lastFrameAt ?? 0) >= end, `${ms} ms of the stream`);
  };
  // Two events a few seconds apart, with footage around both.
  await streamFor(2000);
  for (const n of [1, 2]) {
    fixture.camera.setMotion(true);
    await until(() => stored().length === n, `event ${n}`);
    await streamFor(1500);
    fixture.camera.setMotion(false);
    await until(() => stored().every((e) => e.endMs !== null), `event ${n} to end`);
    await streamFor(4000);
  }
  events = stored();
}, 120_000);
afterAll(async () => {
  stopClock?.();
  await fixture?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

async function openPlayback(width: number) {
  const { context, page } = await signedInAt(suite, width, 'playback');
  await page.getByLabel('Day', { exact: true }).fill(dayOf(events[0]!.startMs));
  return { context, page };
}

/**
 * Waits until the player's clock shows a time within a second of `ms` (it plays on, so "has it
 * changed" would not tell a jump from playing); fails by timing out.
 */
async function playerClockNear(page: Page, ms: number): Promise<void> {
  await page.waitForFunction((target) => {
    const shown = document.querySelector('[data-testid="playback-clock"]')?.getAttribute('data-ms');
    return shown !== null && shown !== undefined && Math.abs(Number(shown) - target) < 1000;
  }, ms);
}

const marksOf = (page: Page) => page.locator('.timeline-event').evaluateAll((marks) => marks.map((m) => Number(m.getAttribute('data-start'))));

describe('Motion events on the timeline (Chromium)', () => {
  for (const width of [1280, 390]) {
    it(`marks both events and "Next event" plays from each in turn, at ${width} px`, async () => {
      const { context, page } = await openPlayback(width);
      try {
        await until(async () => (await marksOf(page)).length === 2, 'two event marks');
        expect(await marksOf(page)).toEqual(events.map((e) => e.startMs));
        // Nothing playing: the first event of the day shown.
        const next = page.getByRole('button', { name: 'Next event ›' });
        await next.click();
        await playerClockNear(page, events[0]!.startMs);
        await page.getByRole('status').filter({ hasText: `Motion at ${timeOfDay(events[0]!.startMs)}` }).waitFor();
        // Zoomed in around the playhead, the marks are apart and as wide as the events.
        await page.getByRole('button', { name: '1 min', exact: true }).click();
        const mark = page.locator(`.timeline-event[data-start="${events[0]!.startMs}"]`);
        const barWidth = await page.locator('.timeline-track').evaluate((t) => t.clientWidth);
        const trueWidth = ((events[0]!.endMs! - events[0]!.startMs) / 60_000) * barWidth;
        expect(trueWidth, 'an event of a second or two is several pixels at a minute').toBeGreaterThan(5);
        expect(Math.abs((await mark.evaluate((m) => m.getBoundingClientRect().width)) - trueWidth)).toBeLessThan(1.5);
        await page.screenshot({ path: `${SHOTS}/motion-events-first-${width}.png`, fullPage: true });

        await next.click();
        await playerClockNear(page, events[1]!.startMs);
        await page.getByRole('status').filter({ hasText: `Motion at ${timeOfDay(events[1]!.startMs)}` }).waitFor();
        await page.screenshot({ path: `${SHOTS}/motion-events-second-${width}.png`, fullPage: true });

        await next.click();
        await page.getByRole('status').filter({ hasText: 'No motion after' }).waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        const axe = await new AxeBuilder({ page }).include('.camera-playback').analyze();
        expect(axe.violations.map((v) => v.id)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 90_000);
  }

  it('the Cameras page switches the camera to motion-only and back', async () => {
    const { context, page } = await signedInAt(suite, 1280, 'cameras', 900);
    try {
      await page.getByRole('row', { name: /Porch/ }).getByRole('button', { name: 'Edit' }).click();
      const form = page.getByRole('form', { name: 'Recording mode' });
      await form.getByText("The recorder is watching this camera's motion events.").waitFor();
      await form.getByLabel(/Only around motion/).check();
      await page.screenshot({ path: `${SHOTS}/motion-recording-mode-1280.png`, fullPage: true });
      await form.getByRole('button', { name: 'Save what to keep' }).click();
      await page.getByText('Porch now keeps only the footage around motion.').waitFor();
      expect(suite.recorder.running.ctx.cameras.get(cameraId)!.recordingMode).toBe('motion');

      await page.getByRole('row', { name: /Porch/ }).getByRole('button', { name: 'Edit' }).click();
      await form.getByLabel(/Everything/).check();
      await form.getByRole('button', { name: 'Save what to keep' }).click();
      await page.getByText('Porch now records everything.').waitFor();
      expect(suite.recorder.running.ctx.cameras.get(cameraId)!.recordingMode).toBe('continuous');
    } finally {
      await context.close();
    }
  }, 60_000);
});

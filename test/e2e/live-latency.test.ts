// End-to-end: the camera-to-screen latency probe of `npm run bench -- live-latency`, in real headless
// Chromium on the Live page, reads the time code of a live pattern camera from every presented frame.
// A check that the measurement works (it reads, and what it reads is plausible), not a latency
// threshold. Needs `npm run build` first (the recorder serves dist/web).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLatencyProbes, installLatencyProbes, waitForPlayingTiles } from '../../bench/live-latency-probe.js';
import { startSimulatedCameras, type SimulatedCameras } from '../../src/camera/stream/simulated-cameras.js';
import { timeCodeLayout } from '../../src/camera/stream/time-code.js';
import { browserSuite, logIn, newPage } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { until } from '../helpers/until.js';

const suite = browserSuite();
let cameras: SimulatedCameras;
let cameraStartedMs: number;

beforeAll(async () => {
  cameraStartedMs = Date.now();
  cameras = await startSimulatedCameras({ port: 0, source: 'pattern' });
  const admin = await loggedInAdmin(suite.recorder);
  const added = await admin.post('/api/v1/cameras', { name: 'Porch', url: cameras.cameras[0]!.url, transport: 'tcp' });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
}, 60_000);
afterAll(async () => {
  await cameras?.stop();
});

describe('live latency probe (Chromium)', () => {
  it('reads the capture time code from every frame the Live page presents: no misreads, shown after captured', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await page.getByRole('link', { name: 'Live', exact: true }).click();
      await waitForPlayingTiles(page, 1);
      expect(await installLatencyProbes(page, timeCodeLayout(1280, 720))).toBe(1);
      const [probe] = await until(async () => {
        const probes = await collectLatencyProbes(page);
        return probes[0]!.samples.length >= 50 && probes;
      }, '50 presented frames');
      const samples = probe!.samples;
      expect(samples.filter((s) => s.misread)).toEqual([]);
      const latencies = samples.map((s) => s.latencyMs!);
      // Shown after it was captured, and captured after the camera started: the time read is a real one.
      for (const [i, latency] of latencies.entries()) {
        expect(latency).toBeGreaterThan(0);
        expect(samples[i]!.shownAtMs - latency).toBeGreaterThanOrEqual(cameraStartedMs);
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      console.log(`live latency probe: camera to screen ${sorted[sorted.length >> 1]!.toFixed(0)} ms (median of ${sorted.length} frames, reported, not asserted)`);
    } finally {
      await context.close();
    }
  });
});

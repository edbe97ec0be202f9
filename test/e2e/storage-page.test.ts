// End-to-end: the storage page in real headless Chromium against a real recorder with footage in
// its index: the disk and the days that fit, the retention rules, each camera's share and a uPlot
// chart of use over time, loaded only when the page is opened; at a phone's width and a desk's.
// Needs `npm run build` first (the recorder serves dist/web).
import { describe, expect, it } from 'vitest';
import { browserSuite, logIn, openFromMenu } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { checkPage, WIDTHS } from '../helpers/page-checks.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { indexSegment } from '../helpers/recordings.js';

const GIB = 1024 ** 3;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const suite = browserSuite({
  recorder: { retention: { maxAgeDays: 30 }, diskSpace: async () => ({ freeBytes: 100 * GIB, totalBytes: 200 * GIB }) },
});

const recorded = (cameraId: number, startMs: number, bytes: number) => indexSegment(suite.recorder, cameraId, startMs, startMs + HOUR, bytes);

describe('storage page (Chromium)', () => {
  it('shows the disk, retention, use per camera and a chart over three days, with uPlot loaded only there', async () => {
    const admin = await loggedInAdmin(suite.recorder);
    const add = async (name: string, path: string) =>
      (await admin.post('/api/v1/cameras', { name, url: `rtsp://127.0.0.1:9/${path}`, transport: 'tcp' })).body.camera.id as number;
    const yard = await add('Yard', 'yard');
    const door = await add('Front door', 'door');
    const now = suite.recorder.clock.now();
    for (let day = 2; day >= 0; day--) {
      recorded(yard, now - day * DAY - 2 * HOUR, 3 * GIB);
      recorded(door, now - day * DAY - 2 * HOUR, GIB);
    }
    recorded(yard, now - HOUR, 360_000_000); // the last hour: 100 kB/s, so the days that fit are known

    for (const width of WIDTHS) {
      const context = await suite.browser.newContext({ baseURL: suite.recorder.url, viewport: { width, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const scripts: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(request.url());
      });
      try {
        await page.goto('/');
        await logIn(page, 'admin', STRONG_PASSWORD);
        await page.getByRole('heading', { name: 'Recorder', level: 1 }).waitFor();
        await openFromMenu(page, 'Live');
        await page.getByRole('heading', { name: 'Live', level: 1 }).waitFor();
        const beforeStorage = scripts.length;
        expect(scripts.some((url) => /UsageChart/.test(url))).toBe(false);

        await openFromMenu(page, 'Storage');
        await page.getByRole('heading', { name: 'Storage', level: 1 }).waitFor();
        await page.getByTestId('usage-chart').locator('canvas').waitFor();
        expect(scripts.slice(beforeStorage).some((url) => /UsageChart/.test(url))).toBe(true);

        expect(await page.getByTestId('days-that-fit').innerText()).toMatch(/^About .* days of footage fit at the current rate/);
        expect(await page.getByTestId('retention-age').innerText()).toBe('30 days');
        expect(await page.getByTestId('retention-quota').innerText()).toMatch(/^None/);
        const rows = page.getByTestId('camera-use');
        expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-name')))).toEqual(['Yard', 'Front door']);
        expect(await rows.first().getByTestId('camera-use-bytes').innerText()).toBe('9.3 GB');
        // One line per camera in the chart's legend, beside the time.
        const legend = page.getByTestId('usage-chart').locator('.u-legend .u-series');
        expect(await legend.allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Yard'), expect.stringContaining('Front door')]));
        await checkPage(page, 'storage', width);
      } finally {
        await context.close();
      }
    }
  });
});

// End-to-end: two fingers pinch the playback timeline on a touch screen, in real headless Chromium
// at 390 px with touch emulated. The touches go in through the DevTools protocol
// (Input.dispatchTouchEvent), as a screen sends them, so the browser makes the pointer events the
// page handles. Spreading the fingers zooms in around their middle, closing them zooms out, and
// neither the page nor the playhead moves. Needs `npm run build` first (the recorder serves dist/web).
import type { CDPSession, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../web/src/playback/day.js';
import { browserSuite, logIn } from '../helpers/browser.js';
import { loggedInAdmin } from '../helpers/client.js';
import { checkPage } from '../helpers/page-checks.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const suite = browserSuite();

beforeAll(async () => {
  const admin = await loggedInAdmin(suite.recorder);
  // The timeline is there for a camera with no footage yet: a pinch needs no video.
  const added = await admin.post('/api/v1/cameras', { name: 'Porch', url: 'rtsp://192.0.2.10/stream', transport: 'tcp', enabled: false });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
});

type Point = { x: number; y: number };

/** Two fingers: the first lands, the second joins it, both move in `steps` to their ends, both lift. */
async function pinch(cdp: CDPSession, from: [Point, Point], to: [Point, Point], steps = 8): Promise<void> {
  const touches = (a: Point, b: Point) => [
    { x: a.x, y: a.y, id: 0 },
    { x: b.x, y: b.y, id: 1 },
  ];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from[0].x, y: from[0].y, id: 0 }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: touches(...from) });
  for (let i = 1; i <= steps; i++) {
    const at = (k: 0 | 1) => ({ x: from[k].x + ((to[k].x - from[k].x) * i) / steps, y: from[k].y });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: touches(at(0), at(1)) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** The timeline's window, and the time at a pixel of the screen. */
async function viewOf(page: Page) {
  const timeline = page.getByRole('slider', { name: /Timeline/ });
  const box = (await timeline.boundingBox())!;
  const startMs = Number(await timeline.getAttribute('data-view-start'));
  const spanMs = Number(await timeline.getAttribute('data-view-span'));
  // The track starts past the bar's border, where the timeline measures from.
  const border = await timeline.evaluate((el) => el.clientLeft);
  const inner = box.width - 2 * border;
  return { box, spanMs, msAt: (x: number) => startMs + ((x - box.x - border) / inner) * spanMs };
}

describe('the playback timeline on a touch screen (Chromium, 390 px)', () => {
  it('two fingers spread zoom in around their middle, closed zoom out; the page does not scroll or zoom, the playhead stays', async () => {
    const context = await suite.browser.newContext({ baseURL: suite.recorder.url, viewport: { width: 390, height: 800 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await page.getByRole('heading', { name: 'Recorder', level: 1 }).waitFor();
      await page.goto('/#/playback');
      await page.getByLabel('Day', { exact: true }).fill(dayOf(Date.now()));
      await page.getByRole('button', { name: 'Day', exact: true, pressed: true }).waitFor();
      const cdp = await context.newCDPSession(page);

      const day = await viewOf(page);
      const y = day.box.y + day.box.height / 2;
      const middle = day.box.x + day.box.width * 0.6;
      const anchorMs = day.msAt(middle);
      // Spread from 40 px apart to 120 px: three times wider, two zoom steps (a step is half as wide again).
      await pinch(
        cdp,
        [
          { x: middle - 20, y },
          { x: middle + 20, y },
        ],
        [
          { x: middle - 60, y },
          { x: middle + 60, y },
        ],
      );
      await page.getByRole('button', { name: '1 h', exact: true, pressed: true }).waitFor();
      const zoomed = await viewOf(page);
      expect(zoomed.spanMs).toBe(3_600_000);
      // The time under the fingers' middle stayed under it, within the few pixels a step may shift it.
      expect(Math.abs(zoomed.msAt(middle) - anchorMs), 'the pinch zooms around its middle').toBeLessThan((6 / day.box.width) * day.spanMs);

      // Closing the fingers to a little over half as far apart zooms out one step.
      await pinch(
        cdp,
        [
          { x: middle - 60, y },
          { x: middle + 60, y },
        ],
        [
          { x: middle - 35, y },
          { x: middle + 35, y },
        ],
      );
      await page.getByRole('button', { name: '6 h', exact: true, pressed: true }).waitFor();

      // Neither the page scrolled or zoomed, nor did a pinch seek (no playhead, no "nothing recorded").
      expect(await page.evaluate(() => ({ scale: window.visualViewport?.scale, x: window.scrollX }))).toEqual({ scale: 1, x: 0 });
      expect(await page.getByRole('slider', { name: /Timeline/ }).getAttribute('aria-valuetext')).toBe('Nothing playing');
      expect(await page.getByRole('status').filter({ hasText: 'Nothing was recorded' }).count()).toBe(0);

      // One finger still scrubs: a tap plays from where it lands (here: nothing recorded, which it says).
      await page.getByRole('slider', { name: /Timeline/ }).tap({ position: { x: 50, y: day.box.height / 2 } });
      await page.getByRole('status').filter({ hasText: 'Nothing was recorded' }).waitFor();
      await checkPage(page, 'playback-touch', 390);
    } finally {
      await context.close();
    }
  }, 60_000);
});

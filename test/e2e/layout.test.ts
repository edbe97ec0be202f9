// End-to-end: every page of the web UI at a phone's width (390 px) and a desk's (1280 px), in real
// headless Chromium: nothing scrolls sideways, the menu works by keyboard, and axe finds no serious
// or critical accessibility problem. Needs `npm run build` first (the recorder serves dist/web).
// Screenshots of each page go to UI_SCREENSHOT_DIR (default /tmp) for a person to look at.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedCameras, type SimulatedCameras } from '../../src/camera/stream/simulated-cameras.js';
import { browserSuite, logIn, openFromMenu } from '../helpers/browser.js';
import { activate, loggedInAdmin } from '../helpers/client.js';
import { checkPage as checkPageAt, WIDTHS } from '../helpers/page-checks.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const suite = browserSuite({ activated: false });
let cameras: SimulatedCameras;

beforeAll(async () => {
  cameras = await startSimulatedCameras({ port: 0, source: 'clip' });
}, 60_000);
afterAll(async () => {
  await cameras?.stop();
});

async function pageAt(width: number) {
  const context = await suite.browser.newContext({ baseURL: suite.recorder.url, viewport: { width, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

/** Checks the page and names its screenshot layout-<name>-<width>.png. */
const checkPage = (page: Page, name: string, width: number) => checkPageAt(page, `layout-${name}`, width);

/** Every signed-in page an admin has, by its hash route. */
const SIGNED_IN_PAGES = ['', 'live', 'playback', 'cameras', 'users', 'security', 'recovery', 'storage', 'audit', 'change-password', 'sessions', 'two-factor'];

describe('layout and accessibility at 390 and 1280 px (Chromium)', () => {
  it('the pages before login: activation, login and the recovery wizard', async () => {
    for (const width of WIDTHS) {
      const { context, page } = await pageAt(width);
      try {
        await page.goto('/');
        await checkPage(page, 'activate', width);
      } finally {
        await context.close();
      }
    }
    await activate(suite.recorder);
    const admin = await loggedInAdmin(suite.recorder);
    expect((await admin.post('/api/v1/cameras', { name: 'Driveway', url: cameras.cameras[0]!.url, transport: 'tcp' })).status).toBe(201);
    for (const width of WIDTHS) {
      const { context, page } = await pageAt(width);
      try {
        await page.goto('/');
        await checkPage(page, 'login', width);
        await page.getByRole('link', { name: 'Forgot password?' }).click();
        await checkPage(page, 'recover', width);
      } finally {
        await context.close();
      }
    }
  });

  it.each(WIDTHS)('every signed-in page at %i px', async (width) => {
    const { context, page } = await pageAt(width);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      for (const route of SIGNED_IN_PAGES) {
        await page.goto(`/#/${route}`);
        await checkPage(page, route || 'home', width);
      }
      // The menu open on a phone is part of the page too.
      if (width === 390) {
        await page.getByRole('button', { name: 'Menu', exact: true }).click();
        await page.getByRole('button', { name: 'Settings', exact: true }).click();
        await checkPage(page, 'menu-open', width);
      }
    } finally {
      await context.close();
    }
  });

  it.each(WIDTHS)('the menu works by keyboard alone at %i px', async (width) => {
    const { context, page } = await pageAt(width);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      // Tab from the top of the page until the focus is on a given control of the menu.
      const tabTo = async (name: string) => {
        for (let i = 0; i < 20; i++) {
          await page.keyboard.press('Tab');
          if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === name) return;
        }
        throw new Error(`Tab never reached "${name}"`);
      };
      if (width === 390) {
        await tabTo('Menu');
        await page.keyboard.press('Enter');
      }
      await tabTo('Settings');
      await page.keyboard.press('Enter');
      await tabTo('Security');
      // Escape closes the group and gives focus back to its button; Enter opens it again.
      await page.keyboard.press('Escape');
      expect(await nav.getByRole('link', { name: 'Security' }).count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Settings');
      await page.keyboard.press('Enter');
      await tabTo('Users');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      expect(await page.evaluate(() => window.location.hash)).toBe('#/users');
      // Arriving closes the menu; the group shows where one is.
      expect(await nav.getByRole('link', { name: 'Security' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('at 1024 px the whole bar sits on one line, "Log out" unwrapped', async () => {
    const { context, page } = await pageAt(1024);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await page.getByRole('heading', { name: 'Recorder' }).waitFor();
      const logOut = page.getByRole('button', { name: 'Log out', exact: true });
      const lines = await logOut.evaluate((button) => {
        const range = document.createRange();
        range.selectNodeContents(button);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      });
      expect(lines).toBe(1);
      const middles = await page
        .getByRole('navigation', { name: 'Main' })
        .locator('a:visible, button:visible')
        .evaluateAll((items) => items.map((item) => item.getBoundingClientRect()).map((r) => r.top + r.height / 2));
      expect(Math.max(...middles) - Math.min(...middles), 'the bar wraps').toBeLessThan(8);
      // Reaching the account pages through their group.
      await openFromMenu(page, 'Two-step login');
      await page.getByRole('heading', { name: 'Two-step login', level: 1 }).waitFor();
    } finally {
      await context.close();
    }
  });
});

// End-to-end: the menu is ordered by what people come for, in real headless Chromium against a
// real recorder: Live, Playback and Cameras first, then the settings and the person's own account,
// each in its group, and in the words the pages use ("Two-step login", never "Two-factor").
// Needs `npm run build` first (the recorder serves dist/web).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, logIn, newPage } from '../helpers/browser.js';
import { ApiClient, loggedInAdmin } from '../helpers/client.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD } from '../helpers/recorder.js';

const suite = browserSuite();

/** The bar's own items, left to right, then each group's links as its button opens them. */
async function menuOf(page: Page) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const bar = await nav.locator('#main-menu > li > a, #main-menu > li > button').allInnerTexts();
  const groups: Record<string, string[]> = {};
  for (const group of await nav.locator('.nav-group > button').all()) {
    await group.click();
    groups[(await group.innerText()).trim()] = await group.locator('xpath=following-sibling::ul').locator('a').allInnerTexts();
    await group.click();
  }
  return { bar: bar.map((t) => t.trim()), groups };
}

describe('the menu (Chromium, 1280 px)', () => {
  it('an admin: Home, Live, Playback, Cameras first; admin pages under Settings; their own under My account', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await page.getByRole('heading', { name: 'Recorder', level: 1 }).waitFor();
      const { bar, groups } = await menuOf(page);
      expect(bar).toEqual(['Home', 'Live', 'Playback', 'Cameras', 'Settings', 'My account']);
      expect(groups['Settings']).toEqual(expect.arrayContaining(['Users', 'Security', 'Recovery', 'Audit log']));
      expect(groups['My account']).toEqual(['Change password', 'My sessions', 'Two-step login']);
      const everything = [...bar, ...Object.values(groups).flat()].join(' | ');
      expect(everything).not.toMatch(/two-factor/i);
    } finally {
      await context.close();
    }
  });

  it('a viewer: the video pages and their own account, no Settings', async () => {
    const admin = await loggedInAdmin(suite.recorder);
    const created = await admin.post('/api/v1/users', { username: 'vic', role: 'viewer' });
    const vic = new ApiClient(suite.recorder.url);
    await vic.login('vic', created.body.oneTimePassword);
    await vic.post('/api/v1/me/password', { currentPassword: created.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD });
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto('/');
      await logIn(page, 'vic', OTHER_STRONG_PASSWORD);
      await page.getByRole('heading', { name: 'Recorder', level: 1 }).waitFor();
      const { bar, groups } = await menuOf(page);
      expect(bar).toEqual(['Home', 'Live', 'Playback', 'Cameras', 'My account']);
      expect(Object.keys(groups)).toEqual(['My account']);
    } finally {
      await context.close();
    }
  });
});

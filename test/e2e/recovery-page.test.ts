// End-to-end: the Recovery page in real headless Chromium: one collapsed section per path with its
// state, fields styled like the rest, a page short enough to scan, and the readiness card and the
// states following a path set up without a reload; at a phone's width and a desk's.
// Needs `npm run build` first (the recorder serves dist/web).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, logIn, openFromMenu, openRecoveryPath } from '../helpers/browser.js';
import { checkPage, WIDTHS } from '../helpers/page-checks.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const suite = browserSuite();

/** The box a field draws: what "styled like the rest" means here. */
const boxOf = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((input) => {
    const style = getComputedStyle(input);
    return { border: style.border, padding: style.padding, radius: style.borderRadius, width: input.getBoundingClientRect().width };
  });

/** A fresh tab at `width`, logged in as the admin, on the Recovery page. */
async function recoveryPageAt(width: number) {
  const context = await suite.browser.newContext({ baseURL: suite.recorder.url, viewport: { width, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto('/');
  await logIn(page, 'admin', STRONG_PASSWORD);
  await openFromMenu(page, 'Recovery');
  return { context, page };
}

describe('Recovery page (Chromium)', () => {
  it('shows each path collapsed with its state, styled fields, and fits in a few screens', async () => {
    for (const width of WIDTHS) {
      const { context, page } = await recoveryPageAt(width);
      try {
        const states = page.getByTestId('recovery-path-state');
        await states.first().waitFor();
        const titles = await page.locator('.recovery-path-title').allInnerTexts();
        expect(titles).toEqual([
          'Recovery key file',
          'Reserved email and phone',
          'Security questions',
          'SMS gateway',
          'Vendor support',
          'Cloud reset waiting period',
          'Cloud account',
          'Restore defaults or factory reset',
        ]);
        expect(await states.allInnerTexts()).toEqual(['Not set up', 'Not set up', 'Not set up', 'No vendor key', 'Not bound']);
        // Only the strong path not yet set up is open: the rest is one line each.
        expect(await page.locator('details.recovery-path[open]').evaluateAll((open) => open.map((d) => d.getAttribute('data-path')))).toEqual(['recovery-key']);
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        expect(height, `${height} px at ${width}`).toBeLessThan(width < 600 ? 3_000 : 2_000);
        await checkPage(page, 'recovery', width);

        // The phone, gateway and code fields draw the same box as the page's other text fields.
        await openRecoveryPath(page, 'Reserved email and phone');
        await openRecoveryPath(page, 'SMS gateway');
        const reference = await boxOf(page, 'input[type="email"]');
        for (const selector of ['input[type="tel"]', 'input[type="url"]']) {
          expect(await boxOf(page, selector), selector).toEqual(reference);
        }
        await checkPage(page, 'recovery-opened', width);
      } finally {
        await context.close();
      }
    }
  });

  it('updates the readiness card and the path state when a path is set up, without a reload', async () => {
    const { context, page } = await recoveryPageAt(1280);
    try {
      const readiness = page.locator('[data-readiness]');
      await readiness.waitFor();
      expect(await readiness.getAttribute('data-readiness')).toBe('none');
      // Anything that reloads the document would clear this mark.
      await page.evaluate(() => ((window as unknown as { stillThisDocument: boolean }).stillThisDocument = true));

      const form = page.getByRole('form', { name: 'Recovery key file' });
      await form.getByLabel('Current password', { exact: true }).fill(STRONG_PASSWORD);
      await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Download recovery key file' }).click()]);

      await page.locator('[data-readiness="ready"]').waitFor();
      expect(await readiness.innerText()).toContain('Ready: 1 recovery path is set up (recovery key file).');
      const keyState = page.locator('details[data-path="recovery-key"] [data-testid="recovery-path-state"]');
      expect(await keyState.innerText()).toBe('Set up');
      // The section stays open, with what it just said.
      expect(await page.locator('details[data-path="recovery-key"]').getAttribute('open')).not.toBeNull();
      await page.getByText(/^Saved as vigil-recovery-key-/).waitFor();
      expect(await page.evaluate(() => (window as unknown as { stillThisDocument?: boolean }).stillThisDocument)).toBe(true);
    } finally {
      await context.close();
    }
  });
});

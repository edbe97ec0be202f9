// What every page of a Vigil web UI must be at a phone's width and a desk's, checked in real
// Chromium: nothing scrolls sideways and axe finds no serious or critical accessibility problem.
// A screenshot of each page goes to UI_SCREENSHOT_DIR (default /tmp) for a person to look at.
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const SCREENSHOT_DIR = process.env.UI_SCREENSHOT_DIR ?? '/tmp';
/** A phone held upright, and a desk's screen. */
export const WIDTHS = [390, 1280] as const;

/** Waits for the page's heading and for whatever it loads, then checks width and accessibility; `shot` names the PNG. */
export async function checkPage(page: Page, shot: string, width: number): Promise<void> {
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect.soft(scrollWidth, `${shot} at ${width} px is ${scrollWidth} px wide`).toBeLessThanOrEqual(innerWidth);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${shot}-${width}.png`, fullPage: true });
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect.soft(serious, `${shot} at ${width} px`).toEqual([]);
}

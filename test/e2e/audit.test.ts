// End-to-end: the audit page in real headless Chromium against a real recorder: whether the chain
// verifies, filters, paging and the CSV export of what the filters show.
// Needs `npm run build` first (the recorder serves dist/web).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserSuite, logIn, newPage, openFromMenu } from '../helpers/browser.js';
import { ApiClient } from '../helpers/client.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const SHOTS = process.env.UI_SCREENSHOT_DIR ?? '/tmp';
const suite = browserSuite();

describe('audit page (Chromium)', () => {
  it('shows the chain intact, filters by event, outcome and user, pages back and exports what it shows', async () => {
    await new ApiClient(suite.recorder.url).login('admin', 'not the password');
    // Enough entries for a second page (50 a page): settings changes by the system, as a real recorder makes over time.
    for (let i = 0; i < 60; i++) suite.recorder.running.ctx.audit.append({ type: 'settings.changed', outcome: 'info', details: { n: i } });

    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await openFromMenu(page, 'Audit log');
      await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
      expect(await page.getByTestId('audit-chain').innerText()).toMatch(/^The audit log is intact: all \d+ entries are as they were written, in order\.$/);

      // Paging: 50 newest, then the rest.
      const rows = page.getByTestId('audit-row');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(50);
      const newest = await rows.first().locator('time').getAttribute('datetime');
      await page.getByRole('button', { name: 'Older', exact: true }).click();
      await page.getByRole('button', { name: 'Newer', exact: true }).and(page.locator(':enabled')).waitFor();
      expect(await rows.count()).toBeGreaterThan(0);
      expect(await rows.count()).toBeLessThan(50);
      await page.getByRole('button', { name: 'Newer', exact: true }).click();
      await page.getByRole('button', { name: 'Newer', exact: true }).and(page.locator(':disabled')).waitFor();
      expect(await rows.first().locator('time').getAttribute('datetime')).toBe(newest);

      // Filters: failed logins only.
      const filters = page.getByRole('form', { name: 'Filters' });
      await filters.getByLabel('Event').selectOption({ label: 'Login refused' });
      await filters.getByLabel('Outcome').selectOption({ label: 'Failed' });
      await filters.getByRole('button', { name: 'Apply' }).click();
      await page.locator('[data-testid="audit-row"][data-type="settings.changed"]').first().waitFor({ state: 'detached' });
      expect(await rows.count()).toBe(1);
      expect(await rows.first().getAttribute('data-type')).toBe('auth.login_failed');
      // In words, not by its code: the event, its outcome and its details.
      expect(await rows.first().getByTestId('audit-event').innerText()).toBe('Login refused');
      expect(await rows.first().locator('td[data-label="Outcome"]').innerText()).toBe('Failed');
      expect(await rows.first().innerText()).not.toMatch(/auth\.login_failed|[{}"]/);
      await page.screenshot({ path: `${SHOTS}/audit-filtered.png`, fullPage: true });

      // The export takes the same filters.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
      const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
      expect(csv[0]).toBe('seq,time,type,outcome,user,source_ip,target,details,hash');
      expect(csv.slice(1).map((line) => line.split(',')[2])).toEqual(['auth.login_failed']);

      // A user filter with nobody of that name: nothing matches.
      await filters.getByLabel('Event').selectOption('');
      await filters.getByLabel('Outcome').selectOption('');
      await filters.getByLabel('User').fill('nobody-here');
      await filters.getByRole('button', { name: 'Apply' }).click();
      await page.getByText('No entries match.').waitFor();
    } finally {
      await context.close();
    }
  });
});

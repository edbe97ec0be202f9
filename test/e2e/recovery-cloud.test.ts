// End-to-end: the offline cloud reset in real Chromium against a real recorder, the cloud's code
// computed as the cloud computes it, the waiting period on the Recovery page and in the wizard, and
// a claim code typed on the cloud path. Needs `npm run build`.
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { offlineResponseCode, parseChallengeText } from '../../src/identity/grants/offline-code.js';
import { fillNewPassword, launchBrowser, logIn, newPage, openFromMenu, openRecoveryPath } from '../helpers/browser.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { checkPage, WIDTHS } from '../helpers/page-checks.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';

const NEW_PASSWORD = 'Copper lantern 58 under the pier';

let rec: TestRecorder;
let browser: Browser;
let secret: Buffer;
let password = STRONG_PASSWORD;

beforeAll(async () => {
  rec = await startTestRecorder({ serveWeb: true });
  await activate(rec);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rec?.close();
});
beforeEach(() => {
  // Unbound at the start of each test; the test binds when it needs to.
  rec.running.ctx.cloudBinding.unbind();
});

function bind(): void {
  secret = randomBytes(32);
  rec.running.ctx.cloudBinding.bind({ cloudUrl: 'wss://cloud.example.net', cloudPublicKey: 'unused', ownerLabel: 'o***@example.net', boundAt: 0 }, secret);
}

/**
 * The claim code of a cloud reset that waits for the admin's waiting period, as the cloud's My
 * devices page shows it after an online reset; made here on the offline path, which ends in the
 * same claim (`authorizeCloudReset`), so that no cloud needs to run.
 */
async function waitingClaim(): Promise<string> {
  const lan = new ApiClient(rec.url);
  const challenge = await lan.post('/api/v1/recovery/cloud/challenge');
  const answered = await lan.post('/api/v1/recovery/cloud/verify', { username: 'admin', code: offlineResponseCode(secret, parseChallengeText(challenge.body.text)!) });
  expect(answered.status).toBe(202);
  return answered.body.claimToken as string;
}

/** The wizard up to the choice of path: the titles it offers. */
async function offeredPaths(page: import('playwright-core').Page): Promise<string[]> {
  await page.goto('/');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.getByLabel("This recorder's admin password").check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('button[data-method]').first().waitFor();
  return page.locator('button[data-method]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-method')!));
}

describe('Cloud reset without internet (Chromium)', () => {
  it('the wizard offers the cloud account only while the recorder is bound, after the button', async () => {
    const { context, page } = await newPage(browser, rec.url);
    try {
      expect(await offeredPaths(page)).toEqual(['resetButton']);
      bind();
      expect(await offeredPaths(page)).toEqual(['resetButton', 'cloud']);
    } finally {
      await context.close();
    }
  });

  it('QR code and text -> the code from the cloud -> new password -> log in', async () => {
    bind();
    const { context, page } = await newPage(browser, rec.url);
    try {
      await offeredPaths(page);
      await page.locator('button[data-method="cloud"]').click();
      await page.getByRole('img', { name: 'Challenge as a QR code' }).waitFor();
      const text = (await page.locator('[data-challenge]').textContent())!;
      const challenge = parseChallengeText(text)!;
      expect(challenge.serial).toBe(rec.serial);

      // A wrong code first: the recorder's refusal, with the tries left.
      await page.getByLabel('Response code', { exact: true }).fill('00000-00000');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('alert').getByText('4 tries left').waitFor();

      await page.getByLabel('Response code', { exact: true }).fill(offlineResponseCode(secret, challenge));
      await page.getByRole('button', { name: 'Continue' }).click();
      await fillNewPassword(page, NEW_PASSWORD);
      await page.getByRole('button', { name: 'Set the new password' }).click();
      await page.getByText('was changed and every session of the account was logged out').waitFor();
      expect((await new ApiClient(rec.url).login('admin', NEW_PASSWORD)).status).toBe(201);
      password = NEW_PASSWORD;
    } finally {
      await context.close();
    }
  });

  it('the waiting period: set on the Recovery page; the wizard says when the reset takes effect, and a cancel from the LAN stops it', async () => {
    bind();
    const { context, page } = await newPage(browser, rec.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', password);
      await openFromMenu(page, 'Recovery');
      await openRecoveryPath(page, 'Cloud reset waiting period');
      const card = page.getByRole('region', { name: 'Cloud reset waiting period' });
      await card.getByLabel('Hours to wait (0: none)').fill('24');
      await card.getByRole('button', { name: 'Save' }).click();
      await expect.poll(async () => (await (await loggedInAdmin(rec, password)).get('/api/v1/settings/cloud-reset')).body).toEqual({ waitHours: 24 });
    } finally {
      await context.close();
    }

    const wizard = await newPage(browser, rec.url);
    try {
      const { page: w } = wizard;
      await offeredPaths(w);
      await w.locator('button[data-method="cloud"]').click();
      const text = (await w.locator('[data-challenge]').textContent())!;
      await w.getByLabel('Response code', { exact: true }).fill(offlineResponseCode(secret, parseChallengeText(text)!));
      await w.getByRole('button', { name: 'Continue' }).click();
      await w.getByText('set a waiting period for cloud resets').waitFor();
      // The wait may last days: coming back to the wizard later in this browser finds the claim.
      await offeredPaths(w);
      await w.locator('button[data-method="cloud"]').click();
      await w.getByText('set a waiting period for cloud resets').waitFor();

      // Someone on the LAN opens the cloud path and sees the pending reset with its cancel button.
      const other = await newPage(browser, rec.url);
      try {
        await offeredPaths(other.page);
        await other.page.locator('button[data-method="cloud"]').click();
        await other.page.getByText('A reset of the admin password through the cloud account is waiting').waitFor();
        await other.page.getByRole('button', { name: 'Cancel the cloud reset' }).click();
        await expect.poll(async () => (await new ApiClient(rec.url).get('/api/v1/recovery/cloud/pending')).body.pending).toEqual([]);
      } finally {
        await other.context.close();
      }

      rec.clock.advance(24 * 3600);
      await w.getByRole('button', { name: 'Continue' }).click();
      await w.getByRole('alert').getByText('This reset was cancelled').waitFor();
    } finally {
      await wizard.context.close();
    }
  });

  it('a claim code from the cloud typed on the cloud path: a wrong code and an early one are refused in plain words, then it gives the new password', async () => {
    bind();
    expect((await (await loggedInAdmin(rec, password)).put('/api/v1/settings/cloud-reset', { waitHours: 24 })).status).toBe(200);
    for (const width of WIDTHS) {
      const claimToken = await waitingClaim();
      const { context, page } = await newPage(browser, rec.url);
      try {
        await page.setViewportSize({ width, height: 900 });
        await offeredPaths(page);
        await page.locator('button[data-method="cloud"]').click();
        const form = page.getByRole('form', { name: 'A claim code from the cloud' });
        const field = form.getByLabel('Claim code', { exact: true });
        const submit = form.getByRole('button', { name: 'Use the claim code' });
        expect(await submit.isDisabled()).toBe(true);

        await field.fill(`${claimToken.slice(0, -1)}${claimToken.endsWith('A') ? 'B' : 'A'}`);
        await submit.click();
        await form.getByRole('alert').getByText('No waiting reset has this claim code').waitFor();

        // Copied from a phone with a space and a line break in it: still the code.
        await field.fill(` ${claimToken.slice(0, 20)} \n${claimToken.slice(20)} `);
        await submit.click();
        await form.getByRole('alert').getByText(/^Not yet: this reset takes effect at .+ Come back then and type the same claim code\.$/).waitFor();
        await checkPage(page, 'recovery-cloud-claim', width);

        rec.clock.advance(24 * 3600);
        await submit.click();
        const next = `${NEW_PASSWORD} ${width}`;
        await fillNewPassword(page, next);
        await page.getByRole('button', { name: 'Set the new password' }).click();
        await page.getByText('was changed and every session of the account was logged out').waitFor();
        expect((await new ApiClient(rec.url).login('admin', next)).status).toBe(201);
        password = next;
        // Used: the same code buys nothing twice.
        expect((await new ApiClient(rec.url).post('/api/v1/recovery/cloud/pending/claim', { claimToken })).body.error.code).toBe('invalid_cloud_claim');
      } finally {
        await context.close();
      }
    }
  }, 90_000);
});

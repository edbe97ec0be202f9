// End-to-end: the cloud web UI's My devices page in real headless Chromium, against a real cloud
// (PostgreSQL, manual clock) and a real recorder started with --cloud, connected over a real
// WebSocket: binding with a wrong then the right label code (and the throttle), the online state,
// the online remote reset of the recorder's admin (refused from a login older than 10 minutes),
// then a login at the recorder over HTTP with the new password, and the answer when the
// recorder's admin set a waiting period; unbinding, confirmed. Each page at
// 390 and 1280 px: no sideways scroll, no serious axe finding, a screenshot in UI_SCREENSHOT_DIR.
// Needs `npm run build` first (the cloud serves dist/web-cloud).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openFromMenu } from '../helpers/chromium.js';
import { verifiedAccount } from '../helpers/cloud-client.js';
import { cloudPage, cloudWebSuite } from '../helpers/cloud-web.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { checkPage, WIDTHS } from '../helpers/page-checks.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD } from '../helpers/recorder.js';
import { until } from '../helpers/until.js';

const suite = cloudWebSuite();

const shot = (page: Page, name: string, width: number) => checkPage(page, `cloud-${name}`, width);

const WRONG_LABEL_CODE = 'AAAA-BBBB-CCCC-DDDD';

async function logIn(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email address or phone number').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

async function bind(page: Page, serial: string, labelCode: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Bind a recorder' });
  await form.getByLabel('Serial number').fill(serial);
  await form.getByLabel('Label code').fill(labelCode);
  await form.getByRole('button', { name: 'Bind recorder' }).click();
}

async function fillReset(page: Page): Promise<void> {
  const form = page.getByRole('form', { name: 'Remote reset' });
  await form.getByLabel('New password', { exact: true }).fill(OTHER_STRONG_PASSWORD);
  await form.getByLabel('Confirm password', { exact: true }).fill(OTHER_STRONG_PASSWORD);
  await page.locator('[data-testid="strength-meter"][data-accepted="true"]').waitFor();
}

describe('My devices in the cloud web UI (Chromium)', () => {
  it.each(WIDTHS)('at %i px: binds a recorder (wrong code, throttle, right code), resets its admin online, unbinds it', async (width) => {
    const email = `devices-${width}@example.com`;
    await verifiedAccount(suite.cloud, email);
    const recorder = await startTestRecorder({ cloudUrl: suite.cloud.url });
    const { context, page } = await cloudPage(suite, width);
    try {
      await activate(recorder);
      await until(() => recorder.running.ctx.cloudLink?.status().state === 'online', 'the recorder connected to the cloud');
      await page.goto('/#/devices');
      await logIn(page, email);
      await page.getByRole('heading', { name: 'My devices', level: 1 }).waitFor();
      await page.getByText('No recorder is bound to your account yet.').waitFor();
      await shot(page, 'devices-empty', width);

      // A wrong label code: refused in plain words, with what to do.
      const bindForm = page.getByRole('form', { name: 'Bind a recorder' });
      await bind(page, recorder.serial, WRONG_LABEL_CODE);
      await expect.poll(() => bindForm.getByRole('alert').textContent()).toContain('The serial or the label code is wrong');
      expect(await bindForm.getByRole('alert').textContent()).toContain('sticker under the recorder');
      await shot(page, 'devices-wrong-code', width);
      // Four more wrong ones and binding is blocked, the right code included: the wait is shown.
      for (let i = 0; i < 4; i++) await bind(page, recorder.serial, WRONG_LABEL_CODE);
      await bind(page, recorder.serial, recorder.labelCode);
      await expect.poll(() => bindForm.getByRole('alert').textContent()).toContain('Too many wrong label codes');
      expect(await bindForm.getByRole('alert').textContent()).toMatch(/try again in \d+ s/);
      await shot(page, 'devices-throttled', width);
      expect(await page.getByTestId('device').count()).toBe(0);

      // After the 15 minutes the right code binds it, and it shows online.
      suite.clock.advance(15 * 60 + 1);
      await bind(page, recorder.serial, recorder.labelCode.toLowerCase());
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`${recorder.serial} is bound to your account`);
      const card = page.locator(`[data-testid="device"][data-serial="${recorder.serial}"]`);
      await card.locator('.badge[data-state="online"]').waitFor();
      expect(await card.textContent()).toContain(recorder.model);
      expect(recorder.running.ctx.cloudBinding.get()).toBeDefined();
      await shot(page, 'devices-bound', width);

      // The login is now over 10 minutes old: the reset is refused with what to do.
      await card.getByRole('button', { name: 'Reset its admin password' }).click();
      await page.getByRole('heading', { name: `Reset the admin of ${recorder.serial}`, level: 1 }).waitFor();
      await fillReset(page);
      await shot(page, 'devices-reset', width);
      const resetForm = page.getByRole('form', { name: 'Remote reset' });
      await resetForm.getByRole('button', { name: 'Reset password' }).click();
      await expect.poll(() => resetForm.getByRole('alert').textContent()).toContain('Log out, log in again, then reset the recorder within 10 minutes.');
      await shot(page, 'devices-reset-stale-login', width);
      // The old password still works at the recorder: nothing was sent.
      expect((await new ApiClient(recorder.url).login('admin', STRONG_PASSWORD)).status).toBe(201);

      // A fresh login: the reset goes through, and the recorder takes the new password over HTTP.
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await logIn(page, email);
      await page.getByRole('heading', { name: 'Reset a recorder that is offline', level: 1 }).waitFor();
      await openFromMenu(page, 'My devices');
      await card.getByRole('button', { name: 'Reset its admin password' }).click();
      await fillReset(page);
      await page.getByRole('form', { name: 'Remote reset' }).getByRole('button', { name: 'Reset password' }).click();
      await page.getByRole('heading', { name: 'My devices', level: 1 }).waitFor();
      expect(await page.getByRole('status').first().textContent()).toContain(`The password of admin on ${recorder.serial} is set`);
      await shot(page, 'devices-reset-done', width);
      expect((await new ApiClient(recorder.url).login('admin', STRONG_PASSWORD)).status).toBe(401);
      expect((await new ApiClient(recorder.url).login('admin', OTHER_STRONG_PASSWORD)).status).toBe(201);

      // The recorder's admin sets a waiting period for cloud resets: the next one only starts it,
      // and the page says so, with the claim code that buys the reset on the recorder once it is over.
      const admin = await loggedInAdmin(recorder, OTHER_STRONG_PASSWORD);
      expect((await admin.put('/api/v1/settings/cloud-reset', { waitHours: 24 })).status).toBe(200);
      await card.getByRole('button', { name: 'Reset its admin password' }).click();
      await fillReset(page);
      await page.getByRole('form', { name: 'Remote reset' }).getByRole('button', { name: 'Reset password' }).click();
      await page.getByText('Nothing has changed yet.').waitFor();
      await shot(page, 'devices-reset-waiting', width);
      const claimCode = (await page.locator('.claim-code code').textContent())!;
      expect((await new ApiClient(recorder.url).post('/api/v1/recovery/cloud/pending/claim', { claimToken: claimCode })).status).not.toBe(201);
      recorder.clock.advance(24 * 3600 + 1);
      expect((await new ApiClient(recorder.url).post('/api/v1/recovery/cloud/pending/claim', { claimToken: claimCode })).status).toBe(201);
      await page.getByRole('button', { name: 'Back to my devices' }).click();

      // Unbinding asks first: dismissed, nothing changes; accepted, both sides forget the binding.
      page.once('dialog', (dialog) => void dialog.dismiss());
      await card.getByRole('button', { name: 'Unbind' }).click();
      expect(await card.count()).toBe(1);
      page.once('dialog', (dialog) => {
        expect(dialog.message()).toContain(recorder.serial);
        void dialog.accept();
      });
      await card.getByRole('button', { name: 'Unbind' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`${recorder.serial} is no longer bound to your account.`);
      await card.waitFor({ state: 'detached' });
      await until(() => recorder.running.ctx.cloudBinding.get() === undefined, 'the recorder forgot its binding');
      await shot(page, 'devices-unbound', width);
    } finally {
      await context.close();
      await recorder.close();
    }
  });
});

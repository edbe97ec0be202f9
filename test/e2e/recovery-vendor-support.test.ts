// End-to-end: vendor support recovery in real Chromium against a real recorder, with `vigil support
// sign` through the real CLI in between. Needs `npm run build`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEd25519PublicKey, publicKeyFingerprint } from '../../src/recorder/api/vendor-reset-file.js';
import { fillNewPassword, launchBrowser, logIn, newPage, openFromMenu, openRecoveryWizard, openRecoveryPath } from '../helpers/browser.js';
import { runVigil } from '../helpers/cli.js';
import { activate, ApiClient } from '../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';

const NEW_PASSWORD = 'Copper lantern 58 under the pier';

let root: string;
let vendorDir: string;
let rec: TestRecorder;
let browser: Browser;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vigil-e2e-vendor-'));
  vendorDir = join(root, 'vendor');
  expect(runVigil(['support', 'keygen', '--dir', vendorDir]).status).toBe(0);
  const vendorPublicKey = parseEd25519PublicKey(readFileSync(join(vendorDir, 'vendor-ed25519.pub.pem'), 'utf8'));
  rec = await startTestRecorder({ serveWeb: true, vendorPublicKey });
  await activate(rec);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rec?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('Vendor support recovery (Chromium)', () => {
  it('Recovery page: the vendor key card shows the installed key by its fingerprint', async () => {
    const { context, page } = await newPage(browser, rec.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await openFromMenu(page, 'Recovery');
      await openRecoveryPath(page, 'Vendor support');
      const card = page.getByRole('region', { name: 'Vendor support' });
      await card.getByText(/^Vendor key installed\./).waitFor();
      const fingerprint = publicKeyFingerprint(parseEd25519PublicKey(readFileSync(join(vendorDir, 'vendor-ed25519.pub.pem'), 'utf8')));
      expect(await card.locator('code').textContent()).toBe(fingerprint);
    } finally {
      await context.close();
    }
  });

  it('Forgot password? -> download the request -> support signs it -> open the response -> new password -> log in', async () => {
    const { context, page } = await newPage(browser, rec.url);
    try {
      await openRecoveryWizard(page, 'vendorSupport');

      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download reset request' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe(`vigil-reset-request-${rec.serial}.json`);
      const requestFile = join(root, download.suggestedFilename());
      await download.saveAs(requestFile);
      await page.getByText(`Saved ${download.suggestedFilename()} to your downloads`).waitFor();
      expect(JSON.parse(readFileSync(requestFile, 'utf8'))).toMatchObject({ format: 'vigil-reset-request/1', serial: rec.serial, username: 'admin' });

      const signed = runVigil(['support', 'sign', requestFile, '--case', 'WEB-1', '--agent', 'Ada', '--dir', vendorDir]);
      expect(signed.status, signed.stderr).toBe(0);
      const responseFile = requestFile.replace(/\.json$/, '.response.json');

      // A wrong file first: the recorder's refusal is shown, and nothing is spent.
      await page.getByLabel('Or paste its content').fill('{"format":"vigil-reset-response/1"}');
      await page.getByRole('button', { name: 'Use this response' }).click();
      await page.getByRole('alert').getByText('This response from support cannot be used here').waitFor();

      await page.getByLabel('Response file from support').setInputFiles(responseFile);
      // The file is read asynchronously: wait for its content (the case id), not just any response text.
      await expect.poll(() => page.getByLabel('Or paste its content').inputValue()).toContain('WEB-1');
      await page.getByRole('button', { name: 'Use this response' }).click();

      await fillNewPassword(page, NEW_PASSWORD);
      await page.getByRole('button', { name: 'Set the new password' }).click();
      await page.getByText('was changed and every session of the account was logged out').waitFor();
      expect((await new ApiClient(rec.url).login('admin', NEW_PASSWORD)).status).toBe(201);
    } finally {
      await context.close();
    }
  });
});

// End-to-end: the Recovery page's cloud card in real Chromium against a real recorder: the binding
// as the recorder keeps it (owner, cloud, connection), and unbinding with the password.
// Needs `npm run build` first (the recorder serves dist/web).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { browserSuite, logIn, newPage, openFromMenu, openRecoveryPath } from '../helpers/browser.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

// Nothing listens at this cloud: the card shows the connection as not reachable.
const CLOUD = 'http://127.0.0.1:9';
const suite = browserSuite({ recorder: { cloudUrl: CLOUD } });

describe('the cloud card on the Recovery page (Chromium)', () => {
  it('shows the binding and unbinds with the password', async () => {
    const cloudPublicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    suite.recorder.running.ctx.cloudBinding.bind({ cloudUrl: CLOUD, cloudPublicKey, ownerLabel: 'o***@example.com', boundAt: Date.now() }, randomBytes(32));
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await openFromMenu(page, 'Recovery');
      await openRecoveryPath(page, 'Cloud account');
      const card = page.getByRole('region', { name: 'Cloud account' });
      await card.getByText(/^Bound to o\*\*\*@example\.com at http:\/\/127\.0\.0\.1:9 since /).waitFor();
      await card.getByText(`Cloud ${CLOUD}: not reachable now.`).waitFor();

      await card.getByLabel('Your password').fill('not the password');
      await card.getByRole('button', { name: 'Unbind' }).click();
      await card.getByRole('alert').waitFor();
      expect(suite.recorder.running.ctx.cloudBinding.get()).toBeDefined();

      await card.getByLabel('Your password').fill(STRONG_PASSWORD);
      await card.getByRole('button', { name: 'Unbind' }).click();
      await card.getByText(/^Not bound\. Bind it in the cloud/).waitFor();
      expect(suite.recorder.running.ctx.cloudBinding.get()).toBeUndefined();
    } finally {
      await context.close();
    }
  });
});

// End-to-end: the Cameras page in real headless Chromium against a real recorder. Cameras on the
// host gate.cam are in-process (no RTSP peer exists in this branch yet); any other address goes
// through the recorder's real connect adapter, so an unreachable one is really unreachable.
// Needs `npm run build` first (the recorder serves dist/web).
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectCamera } from '../../src/recorder/media/cameras/connect.js';
import { browserSuite, logIn, newPage, openFromMenu } from '../helpers/browser.js';
import { ApiClient, loggedInAdmin } from '../helpers/client.js';
import { InProcessCameras } from '../helpers/in-process-camera.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD } from '../helpers/recorder.js';

const CAMERA_PASSWORD = 'Porch-cam-SECRET-55';
const cameras = new InProcessCameras(
  { now: () => suite.recorder.clock.now() },
  { 'gate.cam': { login: { username: 'viewer', password: CAMERA_PASSWORD }, burst: { count: 60, fps: 25, bytes: 2_500 } } },
  connectCamera,
);
const suite = browserSuite({ recorder: { cameraConnect: cameras.connect } });

/** A local port where nothing listens: connecting to it is refused at once. */
let closedPort: number;
beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('cameras (Chromium)', () => {
  it('an admin probes, adds, edits and removes a camera; the permission matrix gains its row', async () => {
    const { context, page } = await newPage(suite.browser, suite.recorder.url);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto('/');
      await logIn(page, 'admin', STRONG_PASSWORD);
      await page.getByRole('link', { name: 'Cameras', exact: true }).click();
      await page.getByRole('heading', { name: 'Cameras', exact: true }).waitFor();
      await page.getByText('No cameras yet.').waitFor();

      // An address nothing answers at: the probe says so in plain words.
      const add = page.getByRole('form', { name: 'Add camera' });
      await add.getByLabel('Name', { exact: true }).fill('Porch');
      await add.getByLabel('RTSP address', { exact: true }).fill(`rtsp://127.0.0.1:${closedPort}/stream1`);
      await add.getByRole('button', { name: 'Probe' }).click();
      const alert = add.getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText()).toContain('The camera could not be reached. Check the address and port');

      // The right address, with the login pasted into it: the probe finds the stream.
      await add.getByLabel('RTSP address', { exact: true }).fill(`rtsp://viewer:${CAMERA_PASSWORD}@gate.cam/stream1`);
      await add.getByLabel('Transport', { exact: true }).selectOption('udp');
      await add.getByRole('button', { name: 'Probe' }).click();
      await add.getByTestId('probe-result').waitFor();
      expect(await add.getByTestId('probe-result').innerText()).toBe('Camera found: H.264 · 25 fps · 500 kbit/s');
      await add.getByRole('button', { name: 'Add camera' }).click();
      const row = page.locator('[data-testid="camera-row"][data-name="Porch"]');
      await row.waitFor();
      expect(await page.getByTestId('cameras-notice').innerText()).toBe('Porch is saved: H.264 · 25 fps · 500 kbit/s.');
      // Shown without the credentials; the password is nowhere on the page.
      expect(await row.innerText()).toContain('rtsp://gate.cam/stream1');
      expect(await page.content()).not.toContain(CAMERA_PASSWORD);
      await page.screenshot({ path: `${process.env.UI_SCREENSHOT_DIR ?? '/tmp'}/ui-cameras.png`, fullPage: true });

      // Edit: a new name; the stored password is kept (the field stays empty).
      await row.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('form', { name: 'Save camera' });
      expect(await edit.getByLabel('Camera password', { exact: true }).inputValue()).toBe('');
      expect(await edit.getByLabel('Camera user name', { exact: true }).inputValue()).toBe('viewer');
      // Probing the edit uses the stored password: it is not typed again.
      await edit.getByRole('button', { name: 'Probe' }).click();
      await edit.getByTestId('probe-result').waitFor();
      await edit.getByLabel('Name', { exact: true }).fill('Back porch');
      await edit.getByRole('button', { name: 'Save camera' }).click();
      const renamed = page.locator('[data-testid="camera-row"][data-name="Back porch"]');
      await renamed.waitFor();
      const admin = await loggedInAdmin(suite.recorder);
      const [stored] = (await admin.get('/api/v1/cameras')).body.cameras;
      expect(stored).toMatchObject({ name: 'Back porch', url: 'rtsp://gate.cam/stream1', username: 'viewer', passwordSet: true, transport: 'udp' });

      // The permission matrix of a user has a row for the camera. Its boxes show what the user may
      // do there and all change this camera only: ticking export grants it, unticking live (which
      // the viewer role gives) takes it away here, while "All cameras" keeps the role's fixed ticks.
      const created = await admin.post('/api/v1/users', { username: 'vera', role: 'viewer' });
      const vera = new ApiClient(suite.recorder.url);
      await vera.login('vera', created.body.oneTimePassword);
      await vera.post('/api/v1/me/password', { currentPassword: created.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD });
      expect((await vera.get(`/api/v1/cameras/${stored.id}`)).body.permissions).toEqual(['live', 'playback']);
      await openFromMenu(page, 'Users');
      await page.locator('[data-testid="user-row"][data-username="vera"]').getByRole('button', { name: 'Edit' }).click();
      const matrix = page.getByTestId('permission-matrix');
      const allLive = matrix.getByLabel('All cameras: Live view');
      expect([await allLive.isChecked(), await allLive.isDisabled()]).toEqual([true, true]); // comes with the viewer role
      const live = matrix.getByLabel('Back porch: Live view');
      expect([await live.isChecked(), await live.isDisabled()]).toEqual([true, false]);
      await live.uncheck();
      await matrix.getByLabel('Back porch: Export').check();
      expect(await allLive.isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await matrix.waitFor({ state: 'detached' });
      const veraAsStored = ((await admin.get('/api/v1/users')).body.users as { username: string; permissions: unknown }[]).find((u) => u.username === 'vera');
      expect(veraAsStored?.permissions).toEqual({ device: [], cameras: { [String(stored.id)]: ['export'] }, denied: { [String(stored.id)]: ['live'] } });
      // Vera's open session follows at once: live is gone on this camera, export is there.
      expect((await vera.get(`/api/v1/cameras/${stored.id}`)).body.permissions).toEqual(['playback', 'export']);

      // Ticking live back removes the denial (nothing is granted: the role gives it again).
      await page.locator('[data-testid="user-row"][data-username="vera"]').getByRole('button', { name: 'Edit' }).click();
      expect(await live.isChecked()).toBe(false);
      await live.check();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await matrix.waitFor({ state: 'detached' });
      expect((await vera.get(`/api/v1/cameras/${stored.id}`)).body.permissions).toEqual(['live', 'playback', 'export']);

      // Remove: the confirmation says the footage is kept.
      await page.getByRole('link', { name: 'Cameras', exact: true }).click();
      await renamed.getByRole('button', { name: 'Remove' }).click();
      const confirm = page.getByRole('region', { name: 'Remove Back porch' });
      expect(await confirm.innerText()).toContain('Its footage is kept');
      await confirm.getByRole('button', { name: 'Remove Back porch' }).click();
      await renamed.waitFor({ state: 'detached' });
      expect(await page.getByTestId('cameras-notice').innerText()).toContain('Its recordings are kept');
      expect((await admin.get('/api/v1/cameras')).body.cameras).toEqual([]);
      // Vera's grant and denial on the removed camera went with it.
      expect((await admin.get(`/api/v1/users/${created.body.user.id}`)).body.permissions).toEqual({ device: [], cameras: {}, denied: {} });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

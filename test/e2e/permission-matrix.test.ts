// End-to-end: the permission matrix as an admin reads it, and a restricted viewer's Cameras page,
// in real headless Chromium at 390 and 1280 px against a real recorder: "All cameras" and the
// cameras under it say how they relate, a right taken away looks apart from one never given, the
// changes are listed before saving and confirmed after, and the users list shows restrictions.
// Needs `npm run build` first (the recorder serves dist/web). Screenshots go to UI_SCREENSHOT_DIR.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, logIn } from '../helpers/browser.js';
import { ApiClient, loggedInAdmin } from '../helpers/client.js';
import { checkPage, WIDTHS } from '../helpers/page-checks.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD } from '../helpers/recorder.js';

const suite = browserSuite();
const NAMES = ['Porch', 'Garden', 'Garage'];
let ids: number[];

/** A viewer who has chosen their own password, and their id. */
async function newViewer(admin: ApiClient, username: string): Promise<{ id: number; client: ApiClient }> {
  const created = await admin.post('/api/v1/users', { username, role: 'viewer' });
  expect(created.status).toBe(201);
  const client = new ApiClient(suite.recorder.url);
  await client.login(username, created.body.oneTimePassword);
  await client.post('/api/v1/me/password', { currentPassword: created.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD });
  return { id: created.body.user.id, client };
}

beforeAll(async () => {
  const admin = await loggedInAdmin(suite.recorder);
  ids = [];
  // Disabled: the matrix needs camera rows, not pictures.
  for (const [i, name] of NAMES.entries()) {
    const added = await admin.post('/api/v1/cameras', { name, url: `rtsp://192.0.2.${10 + i}/stream`, transport: 'tcp', enabled: false });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    ids.push(added.body.camera.id);
  }
});

async function pageAt(width: number, username = 'admin', password = STRONG_PASSWORD) {
  const context = await suite.browser.newContext({ baseURL: suite.recorder.url, viewport: { width, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto('/');
  await logIn(page, username, password);
  await page.getByRole('heading', { name: 'Recorder', level: 1 }).waitFor();
  return { context, page };
}

const cell = (page: Page, label: string) => page.getByTestId('permission-matrix').locator('td', { has: page.getByLabel(label, { exact: true }) });
/** What a box shows: ticked or not, the word under it, its state and whether it is changed but not saved. */
async function boxOf(page: Page, label: string) {
  const td = cell(page, label);
  return {
    checked: await td.getByRole('checkbox').isChecked(),
    note: (await td.locator('.cell-note').allInnerTexts()).join(''),
    state: await td.getAttribute('data-state'),
    change: await td.getAttribute('data-change'),
  };
}

describe('the permission matrix (Chromium)', () => {
  it.each(WIDTHS)('at %i px: All cameras covers each camera, an exception says so, changes show before and after saving', async (width) => {
    const admin = await loggedInAdmin(suite.recorder);
    const username = `vera${width}`;
    const vera = await newViewer(admin, username);
    const { context, page } = await pageAt(width);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto('/#/users');
      const row = page.locator(`[data-testid="user-row"][data-username="${username}"]`);
      expect(await row.getByTestId('user-access').innerText()).toBe('All cameras');
      expect(await page.locator('[data-testid="user-row"][data-username="admin"]').getByTestId('user-access').innerText()).toBe('Everything');
      await row.getByRole('button', { name: 'Edit' }).click();
      const save = page.getByRole('button', { name: 'Save', exact: true });
      expect(await save.isDisabled(), 'nothing to save yet').toBe(true);
      // A box ticked and unticked again is no change either.
      await page.getByLabel('Garden: Configure', { exact: true }).check();
      expect(await save.isDisabled()).toBe(false);
      await page.getByLabel('Garden: Configure', { exact: true }).uncheck();
      expect(await save.isDisabled(), 'back as saved').toBe(true);

      // What the role gives on every camera is on "All cameras" (fixed) and shown on each camera as covered by it.
      expect(await boxOf(page, 'All cameras: Live view')).toEqual({ checked: true, note: 'role', state: null, change: null });
      expect(await boxOf(page, 'Porch: Live view')).toEqual({ checked: true, note: 'via All', state: 'role', change: null });

      // A tick on "All cameras" shows on every camera, not saved yet.
      await page.getByLabel('All cameras: Export', { exact: true }).check();
      for (const name of NAMES) expect(await boxOf(page, `${name}: Export`)).toEqual({ checked: true, note: 'added', state: 'all', change: 'added' });

      // Unticking one camera under it: taken away there, which "All cameras" and a sentence say.
      await page.getByLabel('Porch: Live view', { exact: true }).uncheck();
      expect(await boxOf(page, 'Porch: Live view')).toEqual({ checked: false, note: 'taken away', state: 'taken-away', change: 'removed' });
      expect(await boxOf(page, 'All cameras: Live view')).toMatchObject({ checked: true, note: 'except Porch' });
      expect(await page.getByTestId('matrix-exceptions').innerText()).toBe('Live view: every camera except Porch, where it is taken away. Cameras added later get it.');
      // A right never given looks apart from one taken away: no word, no colour.
      expect(await boxOf(page, 'Porch: PTZ control')).toEqual({ checked: false, note: '', state: 'off', change: null });
      const colours = await Promise.all(['Porch: Live view', 'Porch: PTZ control'].map((label) => cell(page, label).evaluate((td) => getComputedStyle(td).backgroundColor)));
      expect(colours[0]).not.toBe(colours[1]);

      expect(await page.getByTestId('matrix-changes').locator('li').allInnerTexts()).toEqual([
        'All cameras: export given',
        'Porch: live view taken away',
        'Porch: export given',
        'Garden: export given',
        'Garage: export given',
      ]);
      await checkPage(page, 'permission-matrix-edit', width);

      await save.click();
      await page.getByTestId('permission-matrix').waitFor({ state: 'detached' });
      expect(await page.getByRole('status').getByTestId('users-notice').innerText()).toBe(
        `Saved ${username}: 5 rights changed. Access now: All cameras, live view on 2, also export. Their open sessions follow at once.`,
      );
      expect(await row.getByTestId('user-access').innerText()).toBe('All cameras, live view on 2, also export');
      expect((await vera.client.get(`/api/v1/cameras/${ids[0]}`)).body.permissions).toEqual(['playback', 'export']);

      // Opened again, the taken-away right stays marked as such, with nothing pending.
      await row.getByRole('button', { name: 'Edit' }).click();
      expect(await boxOf(page, 'Porch: Live view')).toEqual({ checked: false, note: 'taken away', state: 'taken-away', change: null });
      expect(await page.getByTestId('matrix-changes').locator('li').count()).toBe(0);
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();

      // Restricted to one camera without playback: the list says so in a few words.
      const denied = { [String(ids[0])]: ['live', 'playback'], [String(ids[1])]: ['live', 'playback'], [String(ids[2])]: ['playback'] };
      expect((await admin.request('PATCH', `/api/v1/users/${vera.id}`, { permissions: { device: [], cameras: {}, denied } })).status).toBe(200);
      await page.reload();
      expect(await row.getByTestId('user-access').innerText()).toBe('1 of 3 cameras, no playback');
      await checkPage(page, 'users-list', width);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});

describe("a restricted viewer's Cameras page (Chromium)", () => {
  it.each(WIDTHS)('at %i px: the cameras shared with them, or that an admin has shared none (on Home, Live and Playback too)', async (width) => {
    const admin = await loggedInAdmin(suite.recorder);
    const username = `rita${width}`;
    const rita = await newViewer(admin, username);
    const shutOut = Object.fromEntries(ids.map((id) => [String(id), ['live', 'playback']]));
    expect((await admin.request('PATCH', `/api/v1/users/${rita.id}`, { permissions: { device: [], cameras: {}, denied: shutOut } })).status).toBe(200);
    const { context, page } = await pageAt(width, username, OTHER_STRONG_PASSWORD);
    try {
      await page.goto('/#/cameras');
      const empty = page.getByTestId('cameras-empty');
      expect(await empty.innerText()).toBe('No camera is shared with you yet. An admin chooses which cameras each user may see: ask yours to give you some.');
      await checkPage(page, 'cameras-none-shared', width);
      // Home, Live and Playback say the same, the last two each of its own right.
      await page.goto('/#/live');
      expect(await page.getByTestId('live-empty').innerText()).toBe('No camera is shared with you for live view. An admin chooses which cameras each user may see: ask yours to give you some.');
      await checkPage(page, 'live-none-shared', width);
      await page.goto('/#/');
      expect(await page.getByTestId('home-cameras-empty').innerText()).toBe('No camera is shared with you yet. An admin chooses which cameras each user may see: ask yours to give you some.');
      await page.goto('/#/playback');
      expect(await page.getByTestId('playback-empty').innerText()).toBe('No camera is shared with you for playback. An admin chooses which cameras each user may see: ask yours to give you some.');
      await page.goto('/#/cameras');

      // One camera given back: it is listed, with a word on why the list is short.
      const { [String(ids[1])]: _given, ...others } = shutOut;
      expect((await admin.request('PATCH', `/api/v1/users/${rita.id}`, { permissions: { device: [], cameras: {}, denied: others } })).status).toBe(200);
      await page.reload();
      await page.locator('[data-testid="camera-row"][data-name="Garden"]').waitFor();
      expect(await page.getByTestId('camera-row').count()).toBe(1);
      await page.getByText('You see the cameras an admin has shared with you; there are others.').waitFor();
      await checkPage(page, 'cameras-some-shared', width);
    } finally {
      await context.close();
    }
  }, 60_000);
});

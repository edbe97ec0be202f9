// Users, roles, grants and per-camera denials against a real recorder: CRUD, one-time passwords,
// resets, live role changes, the last admin, and that only admins manage users.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ONE_TIME_PASSWORD_LIFETIME_SECONDS } from '../../src/identity/passwords/one-time-password.js';
import { activate, ApiClient, loggedInAdmin, type ApiResponse } from '../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';

const ONE_TIME_PASSWORD = /^[a-km-np-z2-9]{5}(?:-[a-km-np-z2-9]{5}){3}$/;
const USER_PASSWORD = 'Copper meadow 58 listening kites';

let rec: TestRecorder;
let admin: ApiClient;

beforeEach(async () => {
  rec = await startTestRecorder();
  await activate(rec);
  admin = await loggedInAdmin(rec);
});
afterEach(() => rec.close());

const patch = (client: ApiClient, path: string, body: unknown) => client.request('PATCH', path, body);

async function createUser(username: string, role: string, permissions?: unknown): Promise<{ id: number; oneTimePassword: string }> {
  const res = await admin.post('/api/v1/users', { username, role, ...(permissions ? { permissions } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.user.id, oneTimePassword: res.body.oneTimePassword };
}

/** A user who has logged in with their one-time password and chosen `USER_PASSWORD`; returns their logged-in client. */
async function activeUser(username: string, role: string): Promise<{ id: number; client: ApiClient }> {
  const { id, oneTimePassword } = await createUser(username, role);
  const client = new ApiClient(rec.url);
  expect((await client.login(username, oneTimePassword)).status).toBe(201);
  const changed = await client.post('/api/v1/me/password', { currentPassword: oneTimePassword, newPassword: USER_PASSWORD });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  return { id, client };
}

/** A disabled camera (nothing connects to it): something for denials to name. */
async function addCamera(name: string): Promise<string> {
  const res = await admin.post('/api/v1/cameras', { name, url: 'rtsp://192.0.2.10/stream', transport: 'tcp', enabled: false });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.camera.id);
}

function expectError(res: ApiResponse, status: number, code: string): void {
  expect([res.status, res.body?.error?.code], JSON.stringify(res.body)).toEqual([status, code]);
}

async function auditOf(type: string) {
  return (await admin.get(`/api/v1/audit?type=${type}`)).body.entries as { target: string; details: Record<string, unknown>; actor: { username: string } }[];
}

describe('user management', () => {
  it('creates, lists, reads, updates and deletes users, each audited without secrets', async () => {
    const created = await admin.post('/api/v1/users', { username: 'Olivia.Ops', role: 'operator' });
    expect(created.status).toBe(201);
    expect(created.body.oneTimePassword).toMatch(ONE_TIME_PASSWORD);
    expect(Date.parse(created.body.oneTimePasswordExpiresAt)).toBe(rec.clock.now() + ONE_TIME_PASSWORD_LIFETIME_SECONDS * 1000);
    const id = created.body.user.id;
    expect(created.body.user).toEqual({
      id,
      username: 'Olivia.Ops',
      role: 'operator',
      permissions: { device: [], cameras: {}, denied: {} },
      passwordChangeRequired: true,
      createdAt: new Date(rec.clock.now()).toISOString(),
    });

    const list = await admin.get('/api/v1/users');
    expect(list.body.users.map((u: { username: string; role: string }) => [u.username, u.role])).toEqual([
      ['admin', 'admin'],
      ['Olivia.Ops', 'operator'],
    ]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.oneTimePassword);
    const one = await admin.get(`/api/v1/users/${id}`);
    expect(one.body).toEqual(created.body.user);

    const permissions = { device: ['settings'], cameras: { '*': ['configure'], 'front-door': ['export'] } };
    const updated = await patch(admin, `/api/v1/users/${id}`, { role: 'viewer', permissions });
    expect(updated.status).toBe(200);
    // Sent without `denied` (as before denials existed): none.
    expect(updated.body).toMatchObject({ role: 'viewer', permissions: { ...permissions, denied: {} } });
    expect((await admin.get(`/api/v1/users/${id}`)).body.permissions).toEqual({ ...permissions, denied: {} });

    expect((await admin.delete(`/api/v1/users/${id}`)).status).toBe(204);
    expectError(await admin.get(`/api/v1/users/${id}`), 404, 'not_found');
    expect((await admin.get('/api/v1/users')).body.users).toHaveLength(1);

    const [createdEntry] = await auditOf('user.created');
    expect(createdEntry).toMatchObject({ target: `user:${id}`, actor: { username: 'admin' }, details: { username: 'Olivia.Ops', role: 'operator' } });
    const [updatedEntry] = await auditOf('user.updated');
    expect(updatedEntry!.details).toEqual({
      roleFrom: 'operator',
      roleTo: 'viewer',
      permissionsFrom: '',
      permissionsTo: 'camera:*:configure camera:front-door:export device:settings',
    });
    const [deletedEntry] = await auditOf('user.deleted');
    expect(deletedEntry!.details).toMatchObject({ username: 'Olivia.Ops', role: 'viewer' });
    const everything = JSON.stringify((await admin.get('/api/v1/audit?limit=500')).body) + rec.logs.join('');
    expect(everything).not.toContain(created.body.oneTimePassword);
  });

  it('takes rights away per camera: denials round-trip, are audited, and go when their camera is removed', async () => {
    const cameraId = await addCamera('Gate');
    const permissions = { device: [], cameras: { '*': ['export'] }, denied: { [cameraId]: ['export', 'live'] } }; // stored in name order
    const { id } = await createUser('vera', 'viewer', permissions);
    expect((await admin.get(`/api/v1/users/${id}`)).body.permissions).toEqual(permissions);
    const [createdEntry] = await auditOf('user.created');
    expect(createdEntry!.details.permissions).toBe(`camera:*:export camera:${cameraId}:-export camera:${cameraId}:-live`);

    const lifted = { ...permissions, denied: { [cameraId]: ['live'] } };
    expect((await patch(admin, `/api/v1/users/${id}`, { permissions: lifted })).body.permissions).toEqual(lifted);
    const [updatedEntry] = await auditOf('user.updated');
    expect(updatedEntry!.details).toEqual({
      permissionsFrom: `camera:*:export camera:${cameraId}:-export camera:${cameraId}:-live`,
      permissionsTo: `camera:*:export camera:${cameraId}:-live`,
    });

    // An admin's denials are kept (they count if the role shrinks) but restrict nothing meanwhile.
    const { id: adminId } = await createUser('ada', 'admin', lifted);
    expect((await admin.get(`/api/v1/users/${adminId}`)).body.permissions).toEqual(lifted);

    expect((await admin.delete(`/api/v1/cameras/${cameraId}`)).status).toBe(200);
    expect((await admin.get(`/api/v1/users/${id}`)).body.permissions).toEqual({ ...permissions, denied: {} });
  });

  it('refuses denials on every camera, on cameras that do not exist, of unknown actions, or of what is granted on the same camera: 400, nothing written', async () => {
    const cameraId = await addCamera('Gate');
    const { id } = await createUser('vera', 'viewer', { device: [], cameras: {}, denied: { [cameraId]: ['playback'] } });
    const stored = (await admin.get(`/api/v1/users/${id}`)).body.permissions;
    const auditedBefore = (await auditOf('user.updated')).length;
    const refused: [denied: object, code: string, message: RegExp, cameras?: object][] = [
      [{ '*': ['live'] }, 'invalid_request', /denied/],
      [{ 'front-door': ['live'] }, 'invalid_request', /denied/],
      [{ [cameraId]: ['fly'] }, 'invalid_request', /denied/],
      [{ [cameraId]: 'live' }, 'invalid_request', /denied/],
      [{ '999': ['live'] }, 'invalid_denial', /no camera 999/],
      [{ [cameraId]: ['export'] }, 'invalid_denial', new RegExp(`Camera ${cameraId}: "export" is both granted and denied`), { [cameraId]: ['export'] }],
    ];
    for (const [denied, code, message, cameras = {}] of refused) {
      const permissions = { device: [], cameras, denied };
      const res = await patch(admin, `/api/v1/users/${id}`, { permissions });
      expectError(res, 400, code);
      expect(res.body.error.message).toMatch(message);
      expectError(await admin.post('/api/v1/users', { username: 'nobody', role: 'viewer', permissions }), 400, code);
    }
    expect((await admin.get(`/api/v1/users/${id}`)).body.permissions).toEqual(stored);
    expect((await admin.get('/api/v1/users')).body.users.map((u: { username: string }) => u.username)).toEqual(['admin', 'vera']);
    expect(await auditOf('user.updated')).toHaveLength(auditedBefore);
  });

  it('validates usernames, roles, grants and ids', async () => {
    for (const username of ['', 'x'.repeat(33), 'two words', 'émile', '../etc', 'a/b', 'tab\t', 'null\u0000']) {
      expectError(await admin.post('/api/v1/users', { username, role: 'viewer' }), 400, 'invalid_request');
    }
    expect((await admin.post('/api/v1/users', { username: 'x'.repeat(32), role: 'viewer' })).status).toBe(201);
    expect((await admin.post('/api/v1/users', { username: 'a.b_c-9', role: 'viewer' })).status).toBe(201);
    for (const username of ['ADMIN', 'Admin', 'A.B_C-9']) {
      expectError(await admin.post('/api/v1/users', { username, role: 'viewer' }), 409, 'username_taken');
    }
    for (const body of [
      { username: 'nobody' },
      { username: 'nobody', role: 'root' },
      { username: 'nobody', role: 'viewer', extra: 1 },
      { username: 'nobody', role: 'viewer', permissions: { device: ['manage_users'], cameras: {} } },
      { username: 'nobody', role: 'viewer', permissions: { device: [], cameras: { 'bad id!': ['live'] } } },
      { username: 'nobody', role: 'viewer', permissions: { device: [], cameras: { '*': ['fly'] } } },
      { username: 'nobody', role: 'viewer', permissions: { device: ['settings', 'settings'], cameras: {} } },
      { username: 'nobody', role: 'viewer', permissions: { device: [] } },
    ]) {
      expectError(await admin.post('/api/v1/users', body), 400, 'invalid_request');
    }
    expect((await admin.get('/api/v1/users')).body.users).toHaveLength(3); // none of the invalid ones was created

    for (const id of ['0', '01', 'abc', '-1', '1.5', '99999999999']) {
      expectError(await admin.get(`/api/v1/users/${id}`), 400, 'invalid_request');
      expectError(await patch(admin, `/api/v1/users/${id}`, { role: 'viewer' }), 400, 'invalid_request');
      expectError(await admin.delete(`/api/v1/users/${id}`), 400, 'invalid_request');
      expectError(await admin.post(`/api/v1/users/${id}/password-reset`), 400, 'invalid_request');
    }
    expectError(await admin.get('/api/v1/users/999'), 404, 'not_found');
    expectError(await patch(admin, '/api/v1/users/999', { role: 'viewer' }), 404, 'not_found');
    expectError(await admin.delete('/api/v1/users/999'), 404, 'not_found');
    expectError(await admin.post('/api/v1/users/999/password-reset'), 404, 'not_found');
    expectError(await patch(admin, '/api/v1/users/1', {}), 400, 'invalid_request');
  });
});

describe('one-time passwords', () => {
  it('log in once with passwordChangeRequired, allow nothing but /me, a password change and logout, and stop working once changed', async () => {
    const { oneTimePassword } = await createUser('olivia', 'operator');
    const olivia = new ApiClient(rec.url);
    const login = await olivia.login('olivia', oneTimePassword);
    expect(login.status).toBe(201);
    expect(login.body.passwordChangeRequired).toBe(true);
    expect((await olivia.get('/api/v1/me')).body.passwordChangeRequired).toBe(true);

    expectError(await olivia.get('/api/v1/sessions'), 403, 'password_change_required');
    expectError(await olivia.delete('/api/v1/sessions/0123456789abcdef01234567'), 403, 'password_change_required');
    expectError(await olivia.get('/api/v1/users'), 403, 'password_change_required');

    expectError(
      await olivia.post('/api/v1/me/password', { currentPassword: oneTimePassword, newPassword: oneTimePassword }),
      422,
      'password_unchanged',
    );
    const changed = await olivia.post('/api/v1/me/password', { currentPassword: oneTimePassword, newPassword: USER_PASSWORD });
    expect(changed.status).toBe(200);
    const me = await olivia.get('/api/v1/me');
    expect(me.body.passwordChangeRequired).toBe(false);
    expect((await olivia.get('/api/v1/sessions')).status).toBe(200);
    expect((await admin.get('/api/v1/users')).body.users[1].passwordChangeRequired).toBe(false);

    expectError(await new ApiClient(rec.url).login('olivia', oneTimePassword), 401, 'invalid_credentials');
    expect((await new ApiClient(rec.url).login('OLIVIA', USER_PASSWORD)).body.passwordChangeRequired).toBe(false);
  });

  it('a session with a one-time password can log out', async () => {
    const { oneTimePassword } = await createUser('olivia', 'viewer');
    const olivia = new ApiClient(rec.url);
    await olivia.login('olivia', oneTimePassword);
    expect((await olivia.delete('/api/v1/sessions/current')).status).toBe(204);
    expect((await olivia.get('/api/v1/me')).status).toBe(401);
  });

  it(`expire ${ONE_TIME_PASSWORD_LIFETIME_SECONDS / 3600} hours after they were issued`, async () => {
    const early = await createUser('early', 'viewer');
    const late = await createUser('late', 'viewer');
    rec.clock.advance(ONE_TIME_PASSWORD_LIFETIME_SECONDS - 1);
    expect((await new ApiClient(rec.url).login('early', early.oneTimePassword)).status).toBe(201);
    rec.clock.advance(1);
    expectError(await new ApiClient(rec.url).login('late', late.oneTimePassword), 401, 'one_time_password_expired');
    // Only the right one-time password learns that it expired.
    expectError(await new ApiClient(rec.url).login('late', 'aaaaa-bbbbb-ccccc-ddddd'), 401, 'invalid_credentials');
    admin = await loggedInAdmin(rec); // the admin's own session idled out meanwhile
    const failures = await auditOf('auth.login_failed');
    expect(failures[1]).toMatchObject({ actor: { username: 'late' }, details: { reason: 'one_time_password_expired' } });
  });

  it('an admin reset ends every session of the user at once and issues a new one-time password', async () => {
    const { id, client: laptop } = await activeUser('olivia', 'operator');
    const phone = new ApiClient(rec.url);
    expect((await phone.login('olivia', USER_PASSWORD)).status).toBe(201);

    const reset = await admin.post(`/api/v1/users/${id}/password-reset`);
    expect(reset.status).toBe(200);
    expect(reset.body.revokedSessions).toBe(2);
    expect(reset.body.oneTimePassword).toMatch(ONE_TIME_PASSWORD);
    expectError(await laptop.get('/api/v1/me'), 401, 'unauthenticated');
    expectError(await phone.get('/api/v1/me'), 401, 'unauthenticated');
    expectError(await new ApiClient(rec.url).login('olivia', USER_PASSWORD), 401, 'invalid_credentials');

    const again = new ApiClient(rec.url);
    expect((await again.login('olivia', reset.body.oneTimePassword)).body.passwordChangeRequired).toBe(true);
    const [entry] = await auditOf('password.reset');
    expect(entry).toMatchObject({ target: `user:${id}`, actor: { username: 'admin' }, details: { revokedSessions: 2 } });
    expect(JSON.stringify(entry) + rec.logs.join('')).not.toContain(reset.body.oneTimePassword);
    // The admin's own session is untouched.
    expect((await admin.get('/api/v1/me')).status).toBe(200);
  });

  it('an admin cannot reset their own password (they change it with the current one)', async () => {
    expectError(await admin.post('/api/v1/users/1/password-reset'), 403, 'own_account');
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(201);
  });
});

describe('roles and grants on live sessions', () => {
  it('a role change counts on the next request of a session that is already open', async () => {
    const { id, client: olivia } = await activeUser('olivia', 'operator');
    expect((await olivia.get('/api/v1/me')).body.permissions).toEqual({ device: [], allCameras: ['live', 'playback', 'export', 'ptz'] });

    await patch(admin, `/api/v1/users/${id}`, { role: 'viewer' });
    const demoted = await olivia.get('/api/v1/me');
    expect(demoted.body.user.role).toBe('viewer');
    expect(demoted.body.permissions.allCameras).not.toContain('export');

    await patch(admin, `/api/v1/users/${id}`, { permissions: { device: ['maintenance'], cameras: { '*': ['export'] } } });
    expect((await olivia.get('/api/v1/me')).body.permissions).toEqual({ device: ['maintenance'], allCameras: ['live', 'playback', 'export'] });

    expectError(await olivia.get('/api/v1/users'), 403, 'forbidden');
    await patch(admin, `/api/v1/users/${id}`, { role: 'admin' });
    expect((await olivia.get('/api/v1/users')).status).toBe(200);
    expect((await olivia.get('/api/v1/audit')).status).toBe(200);
    await patch(olivia, '/api/v1/users/1', { role: 'operator' }); // the first admin steps down
    expectError(await admin.get('/api/v1/users'), 403, 'forbidden');
    expectError(await admin.get('/api/v1/audit'), 403, 'forbidden');
  });

  it('deleting a user ends their sessions', async () => {
    const { id, client: olivia } = await activeUser('olivia', 'viewer');
    expect((await admin.delete(`/api/v1/users/${id}`)).status).toBe(204);
    expectError(await olivia.get('/api/v1/me'), 401, 'unauthenticated');
    expectError(await new ApiClient(rec.url).login('olivia', USER_PASSWORD), 401, 'invalid_credentials');
  });

  it('operators and viewers get 403 on every /users and /audit route, and change nothing', async () => {
    const target = await createUser('target', 'viewer');
    for (const role of ['operator', 'viewer']) {
      const { client } = await activeUser(`${role}1`, role);
      const calls: [string, Promise<ApiResponse>][] = [
        ['GET /users', client.get('/api/v1/users')],
        ['POST /users', client.post('/api/v1/users', { username: `made-by-${role}`, role: 'admin' })],
        ['GET /users/:id', client.get(`/api/v1/users/${target.id}`)],
        ['PATCH /users/:id', patch(client, `/api/v1/users/${target.id}`, { role: 'admin' })],
        ['PATCH /users/:id (self)', patch(client, `/api/v1/users/${(await client.get('/api/v1/me')).body.user.id}`, { role: 'admin' })],
        ['DELETE /users/:id', client.delete(`/api/v1/users/${target.id}`)],
        ['POST /users/:id/password-reset', client.post(`/api/v1/users/${target.id}/password-reset`)],
        ['GET /audit', client.get('/api/v1/audit')],
        ['GET /audit/export.csv', client.get('/api/v1/audit/export.csv')],
      ];
      for (const [what, call] of calls) {
        const res = await call;
        expect([res.status, res.body?.error?.code], `${role}: ${what}`).toEqual([403, 'forbidden']);
      }
    }
    const users = (await admin.get('/api/v1/users')).body.users as { username: string; role: string }[];
    expect(users.map((u) => `${u.username}:${u.role}`)).toEqual(['admin:admin', 'target:viewer', 'operator1:operator', 'viewer1:viewer']);
    expect((await new ApiClient(rec.url).login('target', target.oneTimePassword)).status).toBe(201); // not reset
  });
});

describe('the last admin', () => {
  const admins = async () =>
    ((await admin.get('/api/v1/users')).body.users as { username: string; role: string }[]).filter((u) => u.role === 'admin').map((u) => u.username);

  it('can be neither demoted nor deleted; with a second admin, either may go', async () => {
    expectError(await patch(admin, '/api/v1/users/1', { role: 'operator' }), 409, 'last_admin');
    expectError(await patch(admin, '/api/v1/users/1', { role: 'viewer' }), 409, 'last_admin');
    expectError(await admin.delete('/api/v1/users/1'), 403, 'own_account');
    expect((await patch(admin, '/api/v1/users/1', { role: 'admin' })).status).toBe(200); // no change is no demotion
    expect(await admins()).toEqual(['admin']);

    const { id, client: second } = await activeUser('second', 'admin');
    expect((await patch(second, '/api/v1/users/1', { role: 'operator' })).status).toBe(200);
    expectError(await patch(second, `/api/v1/users/${id}`, { role: 'operator' }), 409, 'last_admin');
    expect((await patch(second, '/api/v1/users/1', { role: 'admin' })).status).toBe(200);
    expect((await second.delete('/api/v1/users/1')).status).toBe(204);
    expectError(await patch(second, `/api/v1/users/${id}`, { role: 'viewer' }), 409, 'last_admin');
    expect(((await second.get('/api/v1/users')).body.users as { username: string }[]).map((u) => u.username)).toEqual(['second']);
  });

  it('two admins demoting each other at the same moment: one wins, one admin is left', async () => {
    const { id, client: second } = await activeUser('second', 'admin');
    for (let round = 0; round < 10; round++) {
      const [first, other] = await Promise.all([
        patch(admin, `/api/v1/users/${id}`, { role: 'viewer' }),
        patch(second, '/api/v1/users/1', { role: 'viewer' }),
      ]);
      const statuses = [first.status, other.status];
      expect(statuses.filter((s) => s === 200), JSON.stringify([first.body, other.body])).toHaveLength(1);
      expect(statuses.filter((s) => s === 403 || s === 409)).toHaveLength(1);
      const left = await (first.status === 200 ? admin : second).get('/api/v1/users');
      const remaining = (left.body.users as { username: string; role: string }[]).filter((u) => u.role === 'admin');
      expect(remaining.map((u) => u.username)).toEqual([first.status === 200 ? 'admin' : 'second']);
      // Put the loser back for the next round.
      const winner = first.status === 200 ? admin : second;
      expect((await patch(winner, `/api/v1/users/${first.status === 200 ? id : 1}`, { role: 'admin' })).status).toBe(200);
    }
  });

  it('two admins deleting each other at the same moment: one wins, one admin is left', async () => {
    const { id, client: second } = await activeUser('second', 'admin');
    const [first, other] = await Promise.all([admin.delete(`/api/v1/users/${id}`), second.delete('/api/v1/users/1')]);
    const statuses = [first.status, other.status].sort((x, y) => x - y);
    expect(statuses[0]).toBe(204);
    expect([401, 403, 409]).toContain(statuses[1]);
    const survivor = first.status === 204 ? admin : second;
    const users = (await survivor.get('/api/v1/users')).body.users as { role: string }[];
    expect(users).toHaveLength(1);
    expect(users[0]!.role).toBe('admin');
  });

  it('three admins demoting each other in a ring at once: at least one admin is left', async () => {
    const b = await activeUser('bee', 'admin');
    const c = await activeUser('cee', 'admin');
    const results = await Promise.all([
      patch(admin, `/api/v1/users/${b.id}`, { role: 'operator' }),
      patch(b.client, `/api/v1/users/${c.id}`, { role: 'operator' }),
      patch(c.client, '/api/v1/users/1', { role: 'operator' }),
    ]);
    expect(results.every((r) => [200, 403, 409].includes(r.status))).toBe(true);
    const db = rec.running.ctx.store;
    expect(db.countAdmins()).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.status === 200).length).toBe(3 - db.countAdmins());
  });
});

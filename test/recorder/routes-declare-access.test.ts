// Deny by default: every API route declares who may call it, and one that does not cannot even
// be registered.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEVICE_ACTIONS } from '../../src/recorder/accounts/permissions.js';
import { buildRecorderApp } from '../../src/recorder/http/app.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { printedRoutes } from '../helpers/routes.js';

interface SeenRoute {
  method: string;
  url: string;
  access: unknown;
}

// Every Fastify instance the recorder builds gets an onRoute hook first thing, before any route
// exists, so the listing holds every route with the config it was registered with.
const routesOf = vi.hoisted(() => new WeakMap<object, SeenRoute[]>());
vi.mock('fastify', async (importOriginal) => {
  const mod = await importOriginal<typeof import('fastify')>();
  const original = mod.default;
  const wrapped = ((opts?: unknown) => {
    const app = original(opts as never) as unknown as FastifyInstance;
    const seen: SeenRoute[] = [];
    routesOf.set(app, seen);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        seen.push({ method: String(method), url: route.url, access: route.config?.access });
      }
    });
    return app;
  }) as unknown as typeof original;
  return { ...mod, default: wrapped };
});

const ACCESS_LEVELS = ['anyone', 'public', 'session', 'admin'];
const isPermission = (access: unknown): access is { permission: string } =>
  typeof access === 'object' && access !== null && (DEVICE_ACTIONS as readonly unknown[]).includes((access as { permission?: unknown }).permission);
const isCameraPermission = (access: unknown): access is { cameraPermission: string } =>
  typeof access === 'object' && access !== null && typeof (access as { cameraPermission?: unknown }).cameraPermission === 'string';
/** Needs a logged-in user: a session, the admin role, a permission, or a permission on the camera. */
const needsLogin = (access: unknown) => access === 'session' || access === 'admin' || isPermission(access) || isCameraPermission(access);
/** Routes that need more than a session, and what: checked both ways, so a loosened declaration fails. */
const PRIVILEGED_ROUTES: Record<string, unknown> = {
  'GET /api/v1/audit': 'admin',
  'GET /api/v1/audit/verify': 'admin',
  'GET /api/v1/audit/event-types': 'admin',
  'HEAD /api/v1/audit/event-types': 'admin',
  'HEAD /api/v1/audit/verify': 'admin',
  'HEAD /api/v1/audit': 'admin',
  'GET /api/v1/audit/export.csv': 'admin',
  'HEAD /api/v1/audit/export.csv': 'admin',
  'GET /api/v1/storage/history': 'admin',
  'HEAD /api/v1/storage/history': 'admin',
  'GET /api/v1/users': { permission: 'manage_users' },
  'HEAD /api/v1/users': { permission: 'manage_users' },
  'POST /api/v1/users': { permission: 'manage_users' },
  'GET /api/v1/users/:id': { permission: 'manage_users' },
  'HEAD /api/v1/users/:id': { permission: 'manage_users' },
  'PATCH /api/v1/users/:id': { permission: 'manage_users' },
  'DELETE /api/v1/users/:id': { permission: 'manage_users' },
  'POST /api/v1/users/:id/password-reset': { permission: 'manage_users' },
  // Security settings stay with admins: the "settings" permission is for camera and recording settings.
  'GET /api/v1/settings/mail': 'admin',
  'HEAD /api/v1/settings/mail': 'admin',
  'PUT /api/v1/settings/mail': 'admin',
  'POST /api/v1/settings/mail/test': 'admin',
  'GET /api/v1/settings/password-age': 'admin',
  'HEAD /api/v1/settings/password-age': 'admin',
  'PUT /api/v1/settings/password-age': 'admin',
  'GET /api/v1/settings/login-allow-list': 'admin',
  'HEAD /api/v1/settings/login-allow-list': 'admin',
  'PUT /api/v1/settings/login-allow-list': 'admin',
  'GET /api/v1/recovery/readiness': 'admin',
  'HEAD /api/v1/recovery/readiness': 'admin',
  'GET /api/v1/settings/recovery': 'admin',
  'HEAD /api/v1/settings/recovery': 'admin',
  'PUT /api/v1/settings/recovery': 'admin',
  'POST /api/v1/device/restore-defaults': 'admin',
  'POST /api/v1/device/factory-reset': 'admin',
  'GET /api/v1/device/cloud': 'admin',
  'HEAD /api/v1/device/cloud': 'admin',
  'POST /api/v1/device/cloud/unbind': 'admin',
  'GET /api/v1/me/recovery/questions': 'admin',
  'HEAD /api/v1/me/recovery/questions': 'admin',
  'PUT /api/v1/me/recovery/questions': 'admin',
  'GET /api/v1/me/recovery/key': 'admin',
  'HEAD /api/v1/me/recovery/key': 'admin',
  'POST /api/v1/me/recovery/key': 'admin',
  'GET /api/v1/me/recovery/contacts': 'admin',
  'HEAD /api/v1/me/recovery/contacts': 'admin',
  'PUT /api/v1/me/recovery/contacts/:channel': 'admin',
  'POST /api/v1/me/recovery/contacts/:channel/confirm': 'admin',
  'POST /api/v1/me/recovery/contacts/:channel/remove': 'admin',
  'PUT /api/v1/me/recovery/hint': 'admin',
  'GET /api/v1/settings/sms-gateway': 'admin',
  'HEAD /api/v1/settings/sms-gateway': 'admin',
  'PUT /api/v1/settings/sms-gateway': 'admin',
  'GET /api/v1/security/checkup': 'admin',
  'HEAD /api/v1/security/checkup': 'admin',
  'GET /api/v1/settings/two-factor': 'admin',
  'HEAD /api/v1/settings/two-factor': 'admin',
  'PUT /api/v1/settings/two-factor': 'admin',
  'GET /api/v1/lockouts': 'admin',
  'HEAD /api/v1/lockouts': 'admin',
  'DELETE /api/v1/lockouts/:id': 'admin',
  'GET /api/v1/recovery/support/vendor-key': 'admin',
  'HEAD /api/v1/recovery/support/vendor-key': 'admin',
  'GET /api/v1/settings/cloud-reset': 'admin',
  'HEAD /api/v1/settings/cloud-reset': 'admin',
  'PUT /api/v1/settings/cloud-reset': 'admin',
  'POST /api/v1/settings/cloud-reset/cancel-pending': 'admin',
  // Adding cameras (and trying addresses, which makes the recorder connect out) is configuring the recorder.
  'POST /api/v1/cameras': { permission: 'settings' },
  'POST /api/v1/cameras/probe': { permission: 'settings' },
  'POST /api/v1/cameras/onvif': { permission: 'settings' },
  // A scan of the LAN lists every camera on it, the recorder's or not: the admin's.
  'POST /api/v1/cameras/discovery': 'admin',
  // Activation sets a camera's first password: the admin's, as activating the recorder is.
  'POST /api/v1/cameras/activate': 'admin',
  // The Vigil devices on the LAN, the recorder's or not, with their state and recovery paths: the admin's.
  'POST /api/v1/lan-devices/scan': 'admin',
  // Cameras' own passwords (rotation, its schedule, a chosen one) are the admin's, as activation is.
  'GET /api/v1/cameras/password-rotation': 'admin',
  'HEAD /api/v1/cameras/password-rotation': 'admin',
  'POST /api/v1/cameras/password-rotation': 'admin',
  'GET /api/v1/cameras/password-rotation/jobs/:jobId': 'admin',
  'HEAD /api/v1/cameras/password-rotation/jobs/:jobId': 'admin',
  'PUT /api/v1/cameras/password-rotation/schedule': 'admin',
  'PUT /api/v1/cameras/:id/password': 'admin',
  // A camera's own routes are checked against the user's rights on that camera.
  'GET /api/v1/cameras/:id': { cameraPermission: 'any' },
  'HEAD /api/v1/cameras/:id': { cameraPermission: 'any' },
  'PATCH /api/v1/cameras/:id': { cameraPermission: 'configure' },
  'DELETE /api/v1/cameras/:id': { cameraPermission: 'configure' },
  'POST /api/v1/cameras/:id/probe': { cameraPermission: 'configure' },
  // A camera's own password opens the camera itself, past every permission the recorder keeps: the admin's.
  'POST /api/v1/cameras/:id/password/reveal': 'admin',
  // Media: watching, playing back and exporting are each a permission per camera; a snapshot is a still of the live view.
  // No HEAD: it would open the stream (or start ffmpeg) for nothing.
  'GET /api/v1/cameras/:id/live': { cameraPermission: 'live' },
  'GET /api/v1/cameras/:id/snapshot.jpg': { cameraPermission: 'live' },
  'GET /api/v1/cameras/:id/recordings': { cameraPermission: 'playback' },
  'HEAD /api/v1/cameras/:id/recordings': { cameraPermission: 'playback' },
  'GET /api/v1/cameras/:id/events': { cameraPermission: 'playback' },
  'HEAD /api/v1/cameras/:id/events': { cameraPermission: 'playback' },
  'PUT /api/v1/cameras/:id/recording-mode': { cameraPermission: 'configure' },
  'GET /api/v1/cameras/:id/playback': { cameraPermission: 'playback' },
  'GET /api/v1/cameras/:id/export.mp4': { cameraPermission: 'export' },
};
/** The only API routes that answer without a login. Anything else open is a mistake until added here. */
const OPEN_ROUTES: Record<string, 'anyone' | 'public'> = {
  'GET /api/v1/device': 'anyone',
  'HEAD /api/v1/device': 'anyone',
  'GET /api/v1/openapi.json': 'anyone',
  'HEAD /api/v1/openapi.json': 'anyone',
  'POST /api/v1/activate': 'anyone',
  'POST /api/v1/password-strength': 'anyone',
  'POST /api/v1/sessions': 'public',
  'POST /api/v1/sessions/second-factor': 'public',
  'POST /api/v1/recovery/reset': 'public',
  'POST /api/v1/recovery/button/verify': 'public',
  'POST /api/v1/recovery/questions': 'public',
  'POST /api/v1/recovery/questions/verify': 'public',
  'POST /api/v1/recovery/key/verify': 'public',
  'POST /api/v1/recovery/code': 'public',
  'POST /api/v1/recovery/code/verify': 'public',
  'POST /api/v1/recovery/hint': 'public',
  'POST /api/v1/recovery/support/request': 'public',
  'POST /api/v1/recovery/support/verify': 'public',
  'POST /api/v1/recovery/cloud/challenge': 'public',
  'POST /api/v1/recovery/cloud/verify': 'public',
  // Whether a cloud reset waits and until when (the wizard warns of it), and the LAN's way to stop it.
  'GET /api/v1/recovery/cloud/pending': 'public',
  'HEAD /api/v1/recovery/cloud/pending': 'public',
  'POST /api/v1/recovery/cloud/pending/claim': 'public',
  'POST /api/v1/recovery/cloud/pending/cancel': 'public',
};

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

let rec: TestRecorder;
let apiRoutes: SeenRoute[];

beforeAll(async () => {
  rec = await startTestRecorder();
  apiRoutes = (routesOf.get(rec.running.app) ?? []).filter((r) => r.url.startsWith('/api/'));
});
afterAll(async () => {
  await rec?.close();
});

describe('the built app', () => {
  it('the onRoute listing is complete: it has every /api route the router has, and nothing else', () => {
    const printed = printedRoutes(rec.running.app).filter((r) => r.includes(' /api/'));
    expect(printed.length).toBeGreaterThanOrEqual(10);
    expect(apiRoutes.map(key).sort()).toEqual([...printed].sort());
  });

  it('every route under /api/ declares an access level', () => {
    const undeclared = apiRoutes.filter((r) => !ACCESS_LEVELS.includes(r.access as string) && !isPermission(r.access) && !isCameraPermission(r.access));
    expect(undeclared).toEqual([]);
  });

  it('only the listed routes are open; every other API route requires a session', () => {
    for (const route of apiRoutes) {
      const open = OPEN_ROUTES[key(route)];
      if (open) expect(route.access, key(route)).toBe(open);
      else expect(needsLogin(route.access), key(route)).toBe(true);
    }
    for (const route of apiRoutes) {
      if (route.access !== 'session' && !OPEN_ROUTES[key(route)]) expect(route.access, key(route)).toEqual(PRIVILEGED_ROUTES[key(route)]);
    }
    expect(Object.keys(PRIVILEGED_ROUTES).filter((k) => !apiRoutes.some((r) => key(r) === k && r.access !== 'session'))).toEqual([]);
    // And each listed open route really exists.
    expect(Object.keys(OPEN_ROUTES).filter((k) => !apiRoutes.some((r) => key(r) === k))).toEqual([]);
  });

  it('the declarations are enforced: before activation only "anyone" routes answer, after it "session" routes want a login', async () => {
    const app = rec.running.app;
    const call = (r: SeenRoute) =>
      app.inject({
        method: r.method as 'GET',
        url: r.url.replace(':id', r.url.startsWith('/api/v1/users/') ? '1' : '0123456789abcdef01234567'),
        ...(['POST', 'PUT', 'PATCH'].includes(r.method) ? { payload: {}, headers: { 'content-type': 'application/json' } } : {}),
      });

    for (const route of apiRoutes) {
      const res = await call(route);
      const code = res.statusCode >= 400 && route.method !== 'HEAD' ? res.json().error.code : undefined;
      if (route.access === 'anyone') expect(code, key(route)).not.toBe('device_inactive');
      else expect([res.statusCode, code], key(route)).toEqual([403, route.method === 'HEAD' ? undefined : 'device_inactive']);
    }

    await activate(rec);
    for (const route of apiRoutes) {
      const res = await call(route);
      const code = res.statusCode >= 400 && route.method !== 'HEAD' ? res.json().error.code : undefined;
      if (needsLogin(route.access)) {
        expect([res.statusCode, code], key(route)).toEqual([401, route.method === 'HEAD' ? undefined : 'unauthenticated']);
      }
      else expect(res.statusCode, key(route)).not.toBe(401);
    }
  });
});

describe('registering a route', () => {
  const handler = async () => ({ ok: true });
  let apps: FastifyInstance[] = [];
  const freshApp = async () => {
    const app = await buildRecorderApp(rec.running.ctx);
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    apps = [];
  });

  it.each([
    ['GET without options', (app: FastifyInstance) => app.get('/api/v1/new-thing', handler)],
    ['POST with an empty config', (app: FastifyInstance) => app.post('/api/v1/new-thing', { config: {} }, handler)],
    ['DELETE with access undefined', (app: FastifyInstance) => app.delete('/api/v1/things/:id', { config: { access: undefined } }, handler)],
    ['PUT with a schema but no config', (app: FastifyInstance) => app.put('/api/v1/new-thing', { schema: { body: { type: 'object' } } }, handler)],
    ['route() with several methods', (app: FastifyInstance) => app.route({ method: ['GET', 'POST'], url: '/api/v2/other', handler })],
  ])('under /api/ without config.access throws: %s', async (_name, register) => {
    const app = await freshApp();
    expect(() => register(app)).toThrow(/declares no access level/);
    expect(app.hasRoute({ method: 'GET', url: '/api/v1/new-thing' })).toBe(false);
  });

  it('at /api itself without config.access throws', async () => {
    const app = await freshApp();
    expect(() => app.get('/api', handler)).toThrow(/declares no access level/);
  });

  it.each<unknown>([
    'root',
    'Session',
    'none',
    'true',
    {},
    { permission: 'fly' },
    { permission: 'Settings' },
    { permission: 'settings', or: 'anyone' },
    { role: 'admin' },
    ['admin'],
    null,
    { cameraPermission: 'fly' },
    { cameraPermission: 'settings' },
    { cameraPermission: 'live', permission: 'settings' },
  ])(
    'with an unknown access level %j throws (it would have been treated as public)',
    async (level) => {
      const app = await freshApp();
      expect(() => app.get('/api/v1/typo', { config: { access: level as never } }, handler)).toThrow(/declares no access level/);
    },
  );

  it('inside a plugin with an /api prefix without config.access fails start-up', async () => {
    const app = await freshApp();
    app.register(
      async (child) => {
        child.get('/plugged-in', handler);
      },
      { prefix: '/api/v1' },
    );
    await expect(app.ready()).rejects.toThrow(/\/api\/v1\/plugged-in declares no access level/);
  });

  it('with config.access it registers and is enforced', async () => {
    const app = await freshApp();
    app.get('/api/v1/open-thing', { config: { access: 'anyone' } }, handler);
    app.get('/api/v1/private-thing', { config: { access: 'session' } }, handler);
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/api/v1/open-thing' })).json()).toEqual({ ok: true });
    const res = await app.inject({ method: 'GET', url: '/api/v1/private-thing' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });

  it('with a permission it registers, and the permission is checked on every request against the current grants', async () => {
    const app = await freshApp();
    app.get('/api/v1/settings-thing', { config: { access: { permission: 'settings' } } }, handler);
    await app.ready();
    const admin = await loggedInAdmin(rec);
    const created = await admin.post('/api/v1/users', { username: 'vera', role: 'viewer' });
    const vera = new ApiClient(rec.url);
    await vera.login('vera', created.body.oneTimePassword);
    await vera.post('/api/v1/me/password', { currentPassword: created.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD });
    const call = (client?: ApiClient) => app.inject({ method: 'GET', url: '/api/v1/settings-thing', headers: client ? { cookie: client.cookie! } : {} });

    expect((await call()).statusCode).toBe(401);
    expect((await call(admin)).json()).toEqual({ ok: true });
    const refused = await call(vera);
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'forbidden']);
    await admin.request('PATCH', `/api/v1/users/${created.body.user.id}`, { permissions: { device: ['settings'], cameras: {} } });
    expect((await call(vera)).json()).toEqual({ ok: true });
  });

  it('with a camera permission but no :id naming the camera it throws', async () => {
    const app = await freshApp();
    expect(() => app.get('/api/v1/cameras-export', { config: { access: { cameraPermission: 'export' } } }, handler)).toThrow(/no :id parameter/);
  });

  it('with a camera permission it registers, and each request is checked against the camera in :id and the current grants', async () => {
    const app = await freshApp();
    app.get('/api/v1/cameras/:id/export-thing', { config: { access: { cameraPermission: 'export' } } }, handler);
    await app.ready();
    const admin = await loggedInAdmin(rec);
    const added = await admin.post('/api/v1/cameras', { name: 'Gate', url: 'rtsp://127.0.0.1:9/gate' });
    expect(added.status).toBe(201);
    const id = added.body.camera.id as number;
    const created = await admin.post('/api/v1/users', { username: 'cora', role: 'viewer' });
    const cora = new ApiClient(rec.url);
    await cora.login('cora', created.body.oneTimePassword);
    await cora.post('/api/v1/me/password', { currentPassword: created.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD });
    const call = (cameraId: number | string, client?: ApiClient) =>
      app.inject({ method: 'GET', url: `/api/v1/cameras/${cameraId}/export-thing`, headers: client ? { cookie: client.cookie! } : {} });

    expect((await call(id)).statusCode).toBe(401);
    expect((await call(id, admin)).json()).toEqual({ ok: true });
    // A viewer sees every camera (live and playback come with the role) but may not export.
    const refused = await call(id, cora);
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'forbidden']);
    for (const missing of [id + 1000, 0, 'x', '*']) {
      const res = await call(missing, cora);
      expect([res.statusCode, res.json().error.code], String(missing)).toEqual([404, 'camera_not_found']);
    }
    await admin.request('PATCH', `/api/v1/users/${created.body.user.id}`, { permissions: { device: [], cameras: { [String(id)]: ['export'] } } });
    expect((await call(id, cora)).json()).toEqual({ ok: true });
    await admin.request('PATCH', `/api/v1/users/${created.body.user.id}`, { permissions: { device: [], cameras: { [String(id + 1)]: ['export'] } } });
    expect((await call(id, cora)).statusCode).toBe(403);
  });

  it('outside /api/ (static files) it needs no declaration', async () => {
    const app = await freshApp();
    expect(() => app.get('/robots.txt', async () => 'User-agent: *\nDisallow: /\n')).not.toThrow();
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/robots.txt' })).statusCode).toBe(200);
  });
});

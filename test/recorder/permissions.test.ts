// can(user, action, resource) as a table: every role, with and without grants and denials, on the
// device and on cameras. Pure: no recorder needed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_CAMERAS,
  camera,
  CAMERA_ACTIONS,
  cameraPermissions,
  can,
  canSeeCamera,
  DEVICE,
  DEVICE_ACTIONS,
  NO_GRANTS,
  ROLES,
  type Action,
  type Grants,
  type Resource,
  type Role,
} from '../../src/recorder/accounts/permissions.js';

const CAM = camera('front-door');
const OTHER_CAM = camera('garage');

type Row = [role: Role, grants: Grants, action: Action, resource: Resource, allowed: boolean];

const none = NO_GRANTS;
const grant = (g: Partial<Grants>): Grants => ({ ...NO_GRANTS, ...g });

const TABLE: Row[] = [
  // Admin: everything, with or without grants.
  ...DEVICE_ACTIONS.map((a): Row => ['admin', none, a, DEVICE, true]),
  ...CAMERA_ACTIONS.map((a): Row => ['admin', none, a, CAM, true]),
  // Operator by default: live, playback, export, ptz on every camera; no configure, no device actions.
  ['operator', none, 'live', CAM, true],
  ['operator', none, 'playback', CAM, true],
  ['operator', none, 'export', OTHER_CAM, true],
  ['operator', none, 'ptz', CAM, true],
  ['operator', none, 'configure', CAM, false],
  ['operator', none, 'manage_users', DEVICE, false],
  ['operator', none, 'settings', DEVICE, false],
  ['operator', none, 'maintenance', DEVICE, false],
  // Viewer by default: live and playback only.
  ['viewer', none, 'live', CAM, true],
  ['viewer', none, 'playback', CAM, true],
  ['viewer', none, 'export', CAM, false],
  ['viewer', none, 'ptz', CAM, false],
  ['viewer', none, 'configure', CAM, false],
  ['viewer', none, 'manage_users', DEVICE, false],
  ['viewer', none, 'settings', DEVICE, false],
  ['viewer', none, 'maintenance', DEVICE, false],
  // Grants add to the role: on one camera only that camera, on `*` every camera.
  ['viewer', grant({ cameras: { 'front-door': ['export', 'ptz'] } }), 'export', CAM, true],
  ['viewer', grant({ cameras: { 'front-door': ['export', 'ptz'] } }), 'ptz', CAM, true],
  ['viewer', grant({ cameras: { 'front-door': ['export', 'ptz'] } }), 'export', OTHER_CAM, false],
  ['viewer', grant({ cameras: { [ALL_CAMERAS]: ['export'] } }), 'export', OTHER_CAM, true],
  ['viewer', grant({ cameras: { [ALL_CAMERAS]: ['export'] } }), 'export', camera('added-next-year'), true],
  ['operator', grant({ cameras: { [ALL_CAMERAS]: ['configure'] } }), 'configure', CAM, true],
  ['operator', grant({ device: ['settings'] }), 'settings', DEVICE, true],
  ['operator', grant({ device: ['settings'] }), 'maintenance', DEVICE, false],
  ['viewer', grant({ device: ['maintenance'] }), 'maintenance', DEVICE, true],
  // Managing users is the admin role itself: no grant gives it.
  ['operator', grant({ device: ['manage_users' as never, 'settings', 'maintenance'] }), 'manage_users', DEVICE, false],
  ['viewer', grant({ device: ['manage_users' as never] }), 'manage_users', DEVICE, false],
  // Actions and resources that do not fit are denied, even where the action alone would be allowed.
  ['operator', none, 'live', DEVICE, false],
  ['operator', grant({ device: ['settings'] }), 'settings', CAM, false],
  ['viewer', grant({ cameras: { [ALL_CAMERAS]: ['settings' as never] } }), 'settings', DEVICE, false],
  // A camera grant keyed by an inherited property name is not a grant.
  ['viewer', none, 'export', camera('__proto__'), false],
  ['viewer', none, 'export', camera('constructor'), false],
  ['viewer', grant({ cameras: JSON.parse('{"__proto__":["export"]}') as Grants['cameras'] }), 'export', camera('__proto__'), true],
  ['viewer', grant({ cameras: JSON.parse('{"__proto__":["export"]}') as Grants['cameras'] }), 'export', CAM, false],
  // A denial takes an action away on one camera, whatever gives it: the role, a grant on `*`, or both.
  ['viewer', grant({ denied: { 'front-door': ['live'] } }), 'live', CAM, false],
  ['viewer', grant({ denied: { 'front-door': ['live'] } }), 'live', OTHER_CAM, true],
  ['viewer', grant({ denied: { 'front-door': ['live'] } }), 'playback', CAM, true],
  ['viewer', grant({ cameras: { [ALL_CAMERAS]: ['export'] }, denied: { garage: ['export'] } }), 'export', OTHER_CAM, false],
  ['viewer', grant({ cameras: { [ALL_CAMERAS]: ['export'] }, denied: { garage: ['export'] } }), 'export', CAM, true],
  ['operator', grant({ denied: { garage: [...CAMERA_ACTIONS] } }), 'ptz', OTHER_CAM, false],
  // A grant on a camera and a denial of another action on the same camera: both count.
  ['viewer', grant({ cameras: { garage: ['export'] }, denied: { garage: ['live'] } }), 'export', OTHER_CAM, true],
  ['viewer', grant({ cameras: { garage: ['export'] }, denied: { garage: ['live'] } }), 'live', OTHER_CAM, false],
  ['viewer', grant({ cameras: { garage: ['export'] }, denied: { garage: ['live'] } }), 'playback', OTHER_CAM, true],
  // The same action granted and denied on one camera (which the API refuses) is denied.
  ['viewer', grant({ cameras: { garage: ['export'] }, denied: { garage: ['export'] } }), 'export', OTHER_CAM, false],
  // Denials do not touch the device, nor what is said of every camera; admins are never restricted.
  ['operator', grant({ device: ['settings'], denied: { garage: [...CAMERA_ACTIONS] } }), 'settings', DEVICE, true],
  ['viewer', grant({ denied: { garage: ['live'] } }), 'live', camera(ALL_CAMERAS), true],
  ['viewer', grant({ denied: { [ALL_CAMERAS]: ['live'] } }), 'live', CAM, true],
  ...CAMERA_ACTIONS.map((a): Row => ['admin', grant({ denied: { garage: [...CAMERA_ACTIONS] } }), a, OTHER_CAM, true]),
  // A denial keyed by an inherited property name denies nothing else.
  ['viewer', grant({ denied: JSON.parse('{"__proto__":["live"]}') as Grants['denied'] }), 'live', CAM, true],
  ['viewer', grant({ denied: JSON.parse('{"__proto__":["live"]}') as Grants['denied'] }), 'live', camera('__proto__'), false],
  // A role this code does not know gets nothing.
  ['root' as Role, grant({ device: ['settings'], cameras: { '*': ['live'] } }), 'live', CAM, false],
  ['root' as Role, none, 'manage_users', DEVICE, false],
];

describe('can(user, action, resource)', () => {
  it.each(TABLE)('%s with %j: %s on %j → %s', (role, grants, action, resource, allowed) => {
    expect(can({ role, grants }, action, resource)).toBe(allowed);
  });

  const cameraIdArb = fc.string({ maxLength: 8 }).filter((id) => id !== ALL_CAMERAS);
  const grantsArb: fc.Arbitrary<Grants> = fc.record({
    device: fc.subarray(['settings', 'maintenance'] as const),
    cameras: fc.dictionary(fc.oneof(fc.constant('*'), fc.string({ maxLength: 8 })), fc.subarray([...CAMERA_ACTIONS])),
    denied: fc.dictionary(cameraIdArb, fc.subarray([...CAMERA_ACTIONS])),
  });
  const additiveGrantsArb = grantsArb.map((grants): Grants => ({ ...grants, denied: {} }));
  const resourceArb = fc.oneof(fc.constant(DEVICE), fc.string({ maxLength: 8 }).map(camera));
  const actionArb = fc.constantFrom<Action>(...CAMERA_ACTIONS, ...DEVICE_ACTIONS);

  it('an admin can always manage users and do anything; a viewer or operator never manages users, whatever the grants', () => {
    fc.assert(
      fc.property(grantsArb, actionArb, resourceArb, (grants, action, resource) => {
        expect(can({ role: 'admin', grants }, action, resource)).toBe(true);
        expect(can({ role: 'viewer', grants }, 'manage_users', DEVICE)).toBe(false);
        expect(can({ role: 'operator', grants }, 'manage_users', DEVICE)).toBe(false);
      }),
    );
  });

  it('without denials grants only add: anything the role allows stays allowed with any grants, and roles are ordered viewer ⊆ operator ⊆ admin', () => {
    fc.assert(
      fc.property(additiveGrantsArb, actionArb, resourceArb, (grants, action, resource) => {
        for (const role of ROLES) {
          if (can({ role, grants: NO_GRANTS }, action, resource)) expect(can({ role, grants }, action, resource)).toBe(true);
        }
        if (can({ role: 'viewer', grants }, action, resource)) expect(can({ role: 'operator', grants }, action, resource)).toBe(true);
        if (can({ role: 'operator', grants }, action, resource)) expect(can({ role: 'admin', grants }, action, resource)).toBe(true);
      }),
    );
  });

  it('a denial takes its action away on its camera only: the same rights as without it everywhere else', () => {
    fc.assert(
      fc.property(fc.constantFrom<Role>('viewer', 'operator'), grantsArb, cameraIdArb, fc.constantFrom(...CAMERA_ACTIONS), actionArb, resourceArb, (role, grants, deniedOn, deniedAction, action, resource) => {
        const denied = { ...grants.denied, [deniedOn]: [deniedAction] };
        const before = { role, grants: { ...grants, denied: Object.fromEntries(Object.entries(denied).filter(([id]) => id !== deniedOn)) } };
        const after = { role, grants: { ...grants, denied } };
        expect(can(after, deniedAction, camera(deniedOn))).toBe(false);
        const elsewhere = resource.kind === 'device' || resource.id !== deniedOn || action !== deniedAction;
        if (elsewhere) expect(can(after, action, resource)).toBe(can(before, action, resource));
      }),
    );
  });
});

describe('canSeeCamera and cameraPermissions', () => {
  const restricted = { role: 'viewer' as const, grants: grant({ cameras: { [ALL_CAMERAS]: ['export'] }, denied: { garage: [...CAMERA_ACTIONS] } }) };

  it('a camera whose every action is denied is hidden; the others keep what the role and grants give', () => {
    expect(canSeeCamera(restricted, 'garage')).toBe(false);
    expect(cameraPermissions(restricted, 'garage')).toEqual([]);
    expect(canSeeCamera(restricted, 'front-door')).toBe(true);
    expect(cameraPermissions(restricted, 'front-door')).toEqual(['live', 'playback', 'export']);
  });

  it('a camera with one action left stays visible, with that action only', () => {
    const liveOnly = { role: 'viewer' as const, grants: grant({ denied: { garage: ['playback'] } }) };
    expect(canSeeCamera(liveOnly, 'garage')).toBe(true);
    expect(cameraPermissions(liveOnly, 'garage')).toEqual(['live']);
  });

  it('an admin sees every camera whatever is denied', () => {
    expect(canSeeCamera({ ...restricted, role: 'admin' }, 'garage')).toBe(true);
    expect(cameraPermissions({ ...restricted, role: 'admin' }, 'garage')).toEqual([...CAMERA_ACTIONS]);
  });
});

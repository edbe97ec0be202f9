import { describe, expect, it } from 'vitest';
import { CAMERA_ACTIONS, NO_GRANTS, type Subject } from '../../../../src/recorder/accounts/permissions.js';
import { decideCameraAccess, type CameraAccessAction } from '../../../../src/recorder/http/camera-access.js';

const existing = new Set([1, 2]);
const exists = (id: number) => existing.has(id);
const viewer: Subject = { role: 'viewer', grants: NO_GRANTS };
const viewerConfiguringOne: Subject = { role: 'viewer', grants: { ...NO_GRANTS, cameras: { '1': ['configure', 'export'] } } };
// Restricted to camera 1: every action denied on camera 2, as an admin does it per camera.
const viewerOfOne: Subject = { role: 'viewer', grants: { ...NO_GRANTS, cameras: { '*': ['export'] }, denied: { '2': [...CAMERA_ACTIONS] } } };
// Camera 2 for live only: playback taken away there.
const viewerLiveOnTwo: Subject = { role: 'viewer', grants: { ...NO_GRANTS, denied: { '2': ['playback'] } } };
// Every role this recorder knows sees every camera (live and playback come with each); a role this
// code does not know gets nothing at all (see `can`), even with grants: every camera is hidden from it.
const unknownRole = { role: 'guest', grants: { device: [], cameras: { '2': ['live'] } } } as unknown as Subject;
const admin: Subject = { role: 'admin', grants: NO_GRANTS };

describe('decideCameraAccess', () => {
  it.each<[string, Subject, string | undefined, CameraAccessAction, string]>([
    ['admin, any camera, any action', admin, '1', 'configure', 'allowed'],
    ['admin, a camera that does not exist', admin, '3', 'any', 'not_found'],
    ['viewer, live (role default)', viewer, '1', 'live', 'allowed'],
    ['viewer, just see it', viewer, '2', 'any', 'allowed'],
    ['viewer, configure: sees it, may not', viewer, '1', 'configure', 'forbidden'],
    ['viewer, export: sees it, may not', viewer, '2', 'export', 'forbidden'],
    ['viewer granted configure on 1, on 1', viewerConfiguringOne, '1', 'configure', 'allowed'],
    ['viewer granted configure on 1, on 2', viewerConfiguringOne, '2', 'configure', 'forbidden'],
    ['viewer granted export on 1, export on 1', viewerConfiguringOne, '1', 'export', 'allowed'],
    ['viewer denied everything on 2: camera 2 is as if it did not exist', viewerOfOne, '2', 'live', 'not_found'],
    ['viewer denied everything on 2: even just seeing it', viewerOfOne, '2', 'any', 'not_found'],
    ['viewer denied everything on 2: export granted on * does not bring it back', viewerOfOne, '2', 'export', 'not_found'],
    ['viewer denied everything on 2: camera 1 as before', viewerOfOne, '1', 'export', 'allowed'],
    ['viewer denied playback on 2: still sees it', viewerLiveOnTwo, '2', 'any', 'allowed'],
    ['viewer denied playback on 2: live on 2', viewerLiveOnTwo, '2', 'live', 'allowed'],
    ['viewer denied playback on 2: playback on 2 is forbidden', viewerLiveOnTwo, '2', 'playback', 'forbidden'],
    ['viewer denied playback on 2: playback on 1', viewerLiveOnTwo, '1', 'playback', 'allowed'],
    ['admin with every action denied on 2 (denials never restrict admins)', { ...viewerOfOne, role: 'admin' }, '2', 'live', 'allowed'],
    ['a role this code does not know: live on camera 1 is as if it did not exist', unknownRole, '1', 'live', 'not_found'],
    ['a role this code does not know: even just seeing camera 1', unknownRole, '1', 'any', 'not_found'],
    ['a role this code does not know: camera 2, granted or not', unknownRole, '2', 'live', 'not_found'],
    ['no :id', admin, undefined, 'any', 'not_found'],
    ['an id that is not a number', admin, 'abc', 'any', 'not_found'],
    ['a leading zero', admin, '01', 'any', 'not_found'],
    ['zero', admin, '0', 'any', 'not_found'],
    ['the every-camera grant key', admin, '*', 'any', 'not_found'],
  ])('%s', (_name, user, id, action, decision) => {
    expect(decideCameraAccess(user, id, exists, action)).toBe(decision);
  });
});

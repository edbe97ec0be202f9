import { describe, expect, it } from 'vitest';
import { ALL_CAMERAS, camera, NO_GRANTS, type Grants, type Role } from '../../src/recorder/accounts/permissions.js';
import { emptyListMessage, notSharedFor } from '../../web/src/cameras/camera-list-notes.js';
import { cameraCell, describeAccess, describeChange, exceptions, pendingChange, permissionChanges } from '../../web/src/permission-view.js';

const CAMERAS = [1, 2, 3, 4, 5].map((id) => ({ id, name: `Cam ${id}` }));
const user = (role: Role, grants: Partial<Grants> = {}) => ({ role, grants: { ...NO_GRANTS, ...grants } });
/** Every action the viewer role gives, taken away on these cameras. */
const shutOut = (...ids: number[]) => Object.fromEntries(ids.map((id) => [String(id), ['live' as const, 'playback' as const]]));

describe('a camera box says why it is ticked or not', () => {
  it('the role, a tick on All cameras, a grant on this camera, a right taken away here, a right never given', () => {
    const vera = user('viewer', { cameras: { [ALL_CAMERAS]: ['export'], '2': ['ptz'] }, denied: { '2': ['live', 'export'] } });
    expect(['live', 'export', 'ptz', 'configure'].map((action) => cameraCell(vera, '1', action as 'live'))).toEqual(['role', 'all', 'off', 'off']);
    expect(['live', 'export', 'ptz', 'playback'].map((action) => cameraCell(vera, '2', action as 'live'))).toEqual(['taken-away', 'taken-away', 'here', 'role']);
    expect(cameraCell(user('admin', { denied: { '2': ['live'] } }), '2', 'live')).toBe('role');
  });

  it('All cameras knows the cameras where its right is taken away', () => {
    const vera = user('viewer', { denied: { '3': ['live'], '5': ['live', 'playback'] } });
    expect(exceptions(vera, 'live', CAMERAS).map((c) => c.name)).toEqual(['Cam 3', 'Cam 5']);
    expect(exceptions(vera, 'playback', CAMERAS).map((c) => c.name)).toEqual(['Cam 5']);
    expect(exceptions(vera, 'export', CAMERAS)).toEqual([]);
  });
});

describe('changes before saving', () => {
  it('a right taken away and one given are listed apart, device first; the role counts too', () => {
    const saved = user('viewer');
    const edited = user('viewer', { device: ['settings'], cameras: { '2': ['export'] }, denied: { '1': ['live'] } });
    expect(permissionChanges(saved, edited, CAMERAS).map(describeChange)).toEqual([
      'This recorder: device settings given',
      'Cam 1: live view taken away',
      'Cam 2: export given',
    ]);
    expect(pendingChange(saved, edited, 'live', camera('1'))).toBe('removed');
    expect(pendingChange(saved, edited, 'live', camera('2'))).toBeUndefined();
    expect(permissionChanges(saved, user('operator'), CAMERAS.slice(0, 1)).map(describeChange)).toEqual([
      'All cameras: export given',
      'All cameras: PTZ given',
      'Cam 1: export given',
      'Cam 1: PTZ given',
    ]);
  });
});

describe('the users list says what each user may do', () => {
  it('in a few words: cameras seen, what of the role is taken away, what is given beyond it', () => {
    expect(describeAccess(user('admin'), CAMERAS)).toBe('Everything');
    expect(describeAccess(user('viewer'), CAMERAS)).toBe('All cameras');
    const twoWithoutPlayback = user('viewer', { denied: { ...shutOut(1, 2, 3), '4': ['playback'], '5': ['playback'] } });
    expect(describeAccess(twoWithoutPlayback, CAMERAS)).toBe('2 of 5 cameras, no playback');
    expect(describeAccess(user('viewer', { cameras: { '1': ['export'] }, denied: { '2': ['playback'] } }), CAMERAS)).toBe('All cameras, playback on 4, export on 1');
    expect(describeAccess(user('operator', { device: ['maintenance'], cameras: { [ALL_CAMERAS]: ['configure'] } }), CAMERAS)).toBe('All cameras, also configure, maintenance');
    expect(describeAccess(user('viewer', { denied: shutOut(1, 2, 3, 4, 5) }), CAMERAS)).toBe('No cameras');
    expect(describeAccess(user('viewer', { denied: shutOut(2, 3, 4, 5) }), CAMERAS)).toBe('1 of 5 cameras');
    expect(describeAccess(user('viewer', { cameras: { [ALL_CAMERAS]: ['export'] } }), [])).toBe('All cameras, also export');
  });
});

describe('an empty camera page says whose doing it is', () => {
  const cam = (...permissions: ('live' | 'playback' | 'export')[]) => ({ permissions });
  it('cameras exist but none with the right: an admin has not shared them; no cameras at all: nothing to say', () => {
    expect(notSharedFor({ cameras: [], othersHidden: true }, 'live', 'live view')).toMatch(/^No camera is shared with you for live view\. An admin/);
    expect(notSharedFor({ cameras: [cam('playback')], othersHidden: false }, 'live', 'live view')).toMatch(/^No camera is shared with you for live view/);
    expect(notSharedFor({ cameras: [cam('live')], othersHidden: true }, 'live', 'live view')).toBeNull();
    expect(notSharedFor({ cameras: [], othersHidden: false }, 'playback', 'playback')).toBeNull();
    expect(emptyListMessage({ othersHidden: true, mayAdd: false })).toMatch(/^No camera is shared with you yet/);
    expect([false, true].map((mayAdd) => emptyListMessage({ othersHidden: false, mayAdd }))).toEqual(['No cameras yet. An admin adds them.', 'No cameras yet. Add one below.']);
  });
});

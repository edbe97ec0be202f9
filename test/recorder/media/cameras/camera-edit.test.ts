import { describe, expect, it } from 'vitest';
import { planEdit, type CurrentReach, type ReachChanges } from '../../../../src/recorder/media/cameras/camera-edit.js';

const current: CurrentReach = { url: 'rtsp://cam.lan/stream1', username: 'admin', transport: 'tcp' };

describe('planEdit', () => {
  it.each<[string, ReachChanges, object]>([
    ['nothing about the reach', {}, { url: current.url, username: 'admin', transport: 'tcp', password: { keep: true } }],
    ['a new path on the same server keeps the password', { url: 'rtsp://cam.lan/stream2' }, { url: 'rtsp://cam.lan/stream2', password: { keep: true } }],
    ['the default port written out is the same server', { url: 'rtsp://CAM.lan:554/stream1' }, { password: { keep: true } }],
    ['another host drops it', { url: 'rtsp://evil.example/s' }, { url: 'rtsp://evil.example/s', password: { remove: true } }],
    ['another port drops it', { url: 'rtsp://cam.lan:8554/s' }, { password: { remove: true } }],
    ['rtsps instead of rtsp drops it', { url: 'rtsps://cam.lan/stream1' }, { password: { remove: true } }],
    ['another host with a new password sets it', { url: 'rtsp://new.lan/s', password: 'pw' }, { password: { set: 'pw' } }],
    ['another host with the password in the address', { url: 'rtsp://u:pw@new.lan/s' }, { url: 'rtsp://new.lan/s', username: 'u', password: { set: 'pw' } }],
    ['null removes it', { password: null }, { password: { remove: true } }],
    ['a new password', { password: 'new' }, { password: { set: 'new' } }],
    ['the user name removed', { username: null }, { username: null, password: { keep: true } }],
    ['an empty user name is none', { username: '' }, { username: null }],
    ['UDP', { transport: 'udp' }, { transport: 'udp' }],
  ])('%s', (_name, changes, expected) => {
    expect(planEdit(current, changes)).toMatchObject({ ok: true, ...expected });
  });

  it('refuses a bad address', () => {
    expect(planEdit(current, { url: 'http://cam.lan/' })).toEqual({ ok: false, message: expect.stringMatching(/rtsp:\/\//) });
  });
});

import { describe, expect, it } from 'vitest';
import { credentialsOf, endpointOf, parseCameraUrl } from '../../../../src/recorder/media/cameras/camera-url.js';
import { connectFailureKindOf, describeConnectFailure } from '../../../../src/recorder/media/cameras/connect-failure.js';
import { RtspError } from '../../../../src/media/rtsp/errors.js';

describe('parseCameraUrl', () => {
  it.each([
    ['rtsp://192.168.1.64:554/stream1', { ok: true, url: 'rtsp://192.168.1.64:554/stream1' }],
    ['  rtsp://cam.local/live  ', { ok: true, url: 'rtsp://cam.local/live' }],
    ['RTSP://Cam.Local/h264?channel=1', { ok: true, url: 'rtsp://Cam.Local/h264?channel=1' }],
    ['rtsps://[fe80::1]:322/s', { ok: true, url: 'rtsps://[fe80::1]:322/s' }],
    ['rtsp://admin:secret@192.168.1.64/stream1', { ok: true, url: 'rtsp://192.168.1.64/stream1', username: 'admin', password: 'secret' }],
    ['rtsp://admin@192.168.1.64/stream1', { ok: true, url: 'rtsp://192.168.1.64/stream1', username: 'admin' }],
    ['rtsp://us%40er:p%3Ass%2Fw@cam/s', { ok: true, url: 'rtsp://cam/s', username: 'us@er', password: 'p:ss/w' }],
    ['rtsp://:only-password@cam/s', { ok: true, url: 'rtsp://cam/s', password: 'only-password' }],
  ])('accepts %s', (input, expected) => {
    expect(parseCameraUrl(input)).toEqual(expected);
  });

  it.each([
    ['', /Enter/],
    ['   ', /Enter/],
    ['http://192.168.1.64/stream', /rtsp:\/\/ or rtsps:\/\//],
    ['ftp://cam/s', /rtsp:\/\/ or rtsps:\/\//],
    ['192.168.1.64/stream', /not a valid address/],
    ['rtsp://', /not a valid address|no camera host/],
    ['rtsp:///stream', /no camera host|not a valid/],
    ['rtsp://cam:99999/s', /not a valid address/],
    ['rtsp://cam/s#frag', /fragment/],
    ['rtsp://cam/a b', /spaces/],
    ['rtsp://cam/a\u0000b', /control/],
    ['rtsp://cam/a\r\nInjected: 1', /spaces or control/],
    [`rtsp://cam/${'a'.repeat(2100)}`, /too long/],
    ['rtsp://us%zzer:pw@cam/s', /%-escape/],
  ])('refuses %j', (input, message) => {
    const parsed = parseCameraUrl(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('credentialsOf', () => {
  it.each([
    // typed, pasted into the address, used (undefined: keep what is stored)
    [{}, {}, { username: undefined, password: undefined }],
    [{}, { username: 'a', password: 'p' }, { username: 'a', password: 'p' }],
    [{ username: '', password: null }, { username: 'a', password: 'p' }, { username: 'a', password: 'p' }], // empty fields take the address's
    [{ username: 'typed', password: 'typed-pw' }, { username: 'a', password: 'p' }, { username: 'typed', password: 'typed-pw' }],
    [{ username: '' }, {}, { username: null, password: undefined }], // empty: no login
    [{ username: null, password: null }, {}, { username: null, password: null }], // null removes
    [{ password: 'pw' }, {}, { username: undefined, password: 'pw' }],
    [{}, { username: 'a' }, { username: 'a', password: undefined }],
  ])('%j with %j: %j', (typed, pasted, used) => {
    expect(credentialsOf(typed, pasted)).toEqual(used);
  });
});

describe('endpointOf', () => {
  it.each([
    ['rtsp://cam/a', 'rtsp://cam:554'],
    ['rtsp://CAM:554/b', 'rtsp://cam:554'],
    ['rtsp://cam:8554/b', 'rtsp://cam:8554'],
    ['rtsps://cam/b', 'rtsps://cam:322'],
  ])('%s is %s', (url, endpoint) => {
    expect(endpointOf(url)).toBe(endpoint);
  });
});

describe('connect failures', () => {
  it.each([
    [new RtspError('unauthorized', 'x'), 'unauthorized'],
    [Object.assign(new Error('x'), { kind: 'timeout' }), 'timeout'],
    [Object.assign(new Error('x'), { kind: 'weird' }), 'protocol'],
    [new Error('bug'), 'protocol'],
    ['a string', 'protocol'],
    [null, 'protocol'],
  ])('%s is %s', (error, kind) => {
    expect(connectFailureKindOf(error)).toBe(kind);
  });

  it('each kind has words a person can act on', () => {
    expect(describeConnectFailure('unreachable')).toMatch(/could not be reached/);
    expect(describeConnectFailure('unauthorized')).toMatch(/user name or password/);
  });
});

// `vigil discover` on virtual LANs of network namespaces, with real devices as processes: two
// recorders and three `vigil camera`s on the tool's LAN, a recorder behind a router on another LAN,
// and a forger that answers for a recorder with another key.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPublicKey } from 'node:crypto';
import { packageRoot } from '../../src/shared/package-info.js';
import { publicKeyFingerprint } from '../../src/shared/key-fingerprint.js';
import { CLI } from '../helpers/cli.js';
import { netnsUnavailable } from '../helpers/netns.js';
import { converse as converseIn, makeDevice, runCameras, runRecorder, virtualLan, type MadeDevice } from '../helpers/netns-devices.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD } from '../helpers/recorder.js';

const unavailable = netnsUnavailable();
const DIST = join(packageRoot(), 'dist', 'src', 'discovery');
const FORGER = join(packageRoot(), 'test', 'fixtures', 'discovery-forger.mjs');

interface Listed {
  type: string;
  serial: string;
  from: string;
  status: string;
  activated: boolean;
  keyFingerprint: string;
}

/** Sends COUNT probes of SIZE bytes as fast as it can from one socket, then prints each answer's source and size. */
const FLOODER = `
import { createSocket } from 'node:dgram';
import { encodeProbe, newNonce, DISCOVERY_GROUP, DISCOVERY_PORT } from '${DIST}/protocol.js';
const [count, size] = process.argv.slice(2).map(Number);
const socket = createSocket('udp4');
const answers = [];
socket.on('message', (datagram, remote) => answers.push({ from: remote.address, bytes: datagram.length }));
socket.bind(0, async () => {
  socket.setMulticastTTL(1);
  for (let i = 0; i < count; i++) {
    const probe = Buffer.alloc(size);
    encodeProbe(newNonce()).copy(probe, 0, 0, Math.min(size, 22));
    await new Promise((resolve) => socket.send(probe, DISCOVERY_PORT, DISCOVERY_GROUP, resolve));
  }
  setTimeout(() => { console.log(JSON.stringify(answers)); socket.close(); }, 1000);
});
`;

/** Logs in at https://HOST:8443 as USER with PASSWORD (the certificate is not what this checks) and prints the status. */
const LOGIN = `
const [host, username, password] = process.argv.slice(1);
const body = JSON.stringify({ username, password });
const req = require('https').request({ host, port: 8443, method: 'POST', path: '/api/v1/sessions', rejectUnauthorized: false,
  headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => { console.log(res.statusCode); res.resume(); });
req.end(body);
`;

describe.skipIf(unavailable !== undefined)(`vigil discover on virtual LANs${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const recorders: Record<'one' | 'two' | 'far', MadeDevice> = {} as never;
  const cameras: MadeDevice[] = [];
  const CAMERA_ADDRESSES = ['10.77.1.11', '10.77.1.12', '10.77.1.13'];
  let ns: Record<'tool' | 'flooder', string>;

  function discover(...args: string[]): Listed[] {
    const run = spawnSync('ip', ['netns', 'exec', ns.tool, process.execPath, CLI, 'discover', '--json', '--timeout', '1.5', ...args], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return JSON.parse(run.stdout) as Listed[];
  }

  const { net, dir } = virtualLan('vd', async (net, dir) => {
    const lanA = net.lan('lanA');
    const lanB = net.lan('lanB');
    const one = net.host('one', lanA, '10.77.1.1/24');
    const two = net.host('two', lanA, '10.77.1.2/24');
    const cams = CAMERA_ADDRESSES.map((address, i) => net.host(`cam${i + 1}`, lanA, `${address}/24`));
    const forger = net.host('forger', lanA, '10.77.1.66/24');
    ns = { tool: net.host('tool', lanA, '10.77.1.100/24'), flooder: net.host('flooder', lanA, '10.77.1.200/24') };
    // A router joins the LANs for unicast (the far recorder is reachable) but forwards no multicast.
    const router = net.plug('router', lanA, 'eth0', '10.77.1.254/24');
    net.plug('router', lanB, 'eth1', '10.77.2.254/24');
    execFileSync('ip', ['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    const far = net.plug('far', lanB, 'eth0', '10.77.2.1/24');
    for (const host of [one, two, forger, ns.tool, ns.flooder]) net.route(host, '10.77.2.0/24', 'via', '10.77.1.254');
    net.route(far, 'default', 'via', '10.77.2.254');
    execFileSync(process.execPath, [CLI, 'support', 'keygen', '--dir', join(dir, 'vendor')]);
    recorders.one = makeDevice('recorder', dir, 'one', '--vendor-key', join(dir, 'vendor', 'vendor-ed25519.pub.pem'));
    recorders.two = makeDevice('recorder', dir, 'two');
    recorders.far = makeDevice('recorder', dir, 'far');
    cameras.push(...cams.map((_, i) => makeDevice('camera', dir, `cam${i + 1}`)));
    const starting = Promise.all([runRecorder(net, one, recorders.one), runRecorder(net, two, recorders.two), runRecorder(net, far, recorders.far)]);
    await Promise.all([starting, runCameras(net, cams, cameras)]);
    writeFileSync(join(dir, 'flooder.mjs'), FLOODER);
    const forging = net.spawn(forger, process.execPath, [FORGER, recorders.two.serial, join(recorders.two.dataDir, 'keys', 'device-ed25519.pub.pem')]);
    await new Promise<void>((resolve) => forging.stdout.once('data', () => resolve()));
  });

  it('finds the two recorders and three cameras of its LAN, each signed by the key it was made with, and not the one behind the router', () => {
    // The far recorder is reachable: only the protocol's scope keeps it out of the list.
    const reach = spawnSync('ip', ['netns', 'exec', ns.tool, process.execPath, '-e', "require('net').connect(8443, '10.77.2.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"]);
    expect(reach.status).toBe(0);

    const listed = discover();
    const signed = listed.filter((d) => d.status === 'verified');
    expect(signed.map((d) => [d.type, d.serial, d.from]).sort()).toEqual(
      [
        ['recorder', recorders.one.serial, '10.77.1.1'],
        ['recorder', recorders.two.serial, '10.77.1.2'],
        ...cameras.map((camera, i) => ['camera', camera.serial, CAMERA_ADDRESSES[i]!]),
      ].sort(),
    );
    // Every answer but the forger's checks out, and names the key made at manufacture.
    expect(listed.filter((d) => d.status !== 'verified').map((d) => d.from)).toEqual(['10.77.1.66']);
    const madeKey = (device: MadeDevice, file: string) => publicKeyFingerprint(createPublicKey(readFileSync(join(device.dataDir, 'keys', file), 'utf8')));
    for (const recorder of [recorders.one, recorders.two]) expect(signed.find((d) => d.serial === recorder.serial)?.keyFingerprint).toBe(madeKey(recorder, 'device-ed25519.pub.pem'));
    for (const camera of cameras) expect(signed.find((d) => d.serial === camera.serial)?.keyFingerprint).toBe(madeKey(camera, 'device.pub'));
    expect(listed.some((d) => d.serial === recorders.far.serial)).toBe(false);
    expect(signed.every((d) => d.activated === false)).toBe(true);
    expect(discover('--type', 'camera').map((d) => d.serial).sort()).toEqual(cameras.map((c) => c.serial).sort());
  });

  it('flags the forged answer that claims a recorder with another key, and keeps the real one signed', () => {
    const listed = discover();
    const forged = listed.filter((d) => d.from === '10.77.1.66');
    expect(forged).toHaveLength(1);
    expect(forged[0]).toMatchObject({ serial: recorders.two.serial, status: 'bad_signature' });
    expect(listed.find((d) => d.from === '10.77.1.2')).toMatchObject({ serial: recorders.two.serial, status: 'verified', keyFingerprint: forged[0]!.keyFingerprint });
  });

  it('answers a flood of probes from one source a bounded number of times, never larger than the probe, and undersized probes never', () => {
    const flood = (count: number, size: number) => {
      const run = spawnSync('ip', ['netns', 'exec', ns.flooder, process.execPath, join(dir, 'flooder.mjs'), String(count), String(size)], { encoding: 'utf8', timeout: 20_000 });
      expect(run.status).toBe(0);
      return (JSON.parse(run.stdout) as { from: string; bytes: number }[]).filter((a) => a.from !== '10.77.1.66'); // the forger has no limits
    };
    expect(flood(200, 600)).toEqual([]);
    const answers = flood(200, 1200);
    for (const device of ['10.77.1.1', '10.77.1.2', ...CAMERA_ADDRESSES]) {
      const count = answers.filter((a) => a.from === device).length;
      expect(count).toBeGreaterThanOrEqual(1);
      expect(count).toBeLessThanOrEqual(5); // a burst of 4, and at most one more refilled during the flood
    }
    expect(answers.every((a) => a.bytes <= 1200)).toBe(true);
  });

  /** Runs `vigil discover ARGS` in the tool's namespace, answering each prompt as it appears. */
  const converse = (args: string[], answers: [RegExp, string][]) => converseIn(net, ns.tool, ['discover', ...args, '--timeout', '1.5'], answers);

  /** `vigil discover activate SERIAL` with this label code and a strong password. */
  const activate = (serial: string, labelCode: string) =>
    converse(
      ['activate', serial],
      [
        [/label code.*not shown\): $/, labelCode],
        [/New password.*not shown\): $/, STRONG_PASSWORD],
        [/same password again.*not shown\): $/, STRONG_PASSWORD],
      ],
    );

  it('activates a recorder through the pinned HTTPS API with its label code only', async () => {
    const wrong = await activate(recorders.one.serial, recorders.two.labelCode);
    expect(wrong.out).toMatch(/label code is not right/);
    expect(wrong.code).toBe(1);
    expect(discover().find((d) => d.serial === recorders.one.serial)?.activated).toBe(false);

    const right = await activate(recorders.one.serial, recorders.one.labelCode);
    expect(right.out).toMatch(/Activated\. Log in as admin at https:\/\/10\.77\.1\.1:8443/);
    expect(right.code).toBe(0);
    expect(right.out).not.toContain(recorders.one.labelCode);
    expect(right.out).not.toContain(STRONG_PASSWORD);
    const after = discover();
    expect(after.find((d) => d.serial === recorders.one.serial)).toMatchObject({ activated: true, status: 'verified' });
    expect(after.find((d) => d.serial === recorders.two.serial && d.from === '10.77.1.2')?.activated).toBe(false);
  }, 90_000);

  it("activates a camera through its pinned HTTPS API with its label code only, and not twice", async () => {
    const [camera, other] = cameras;
    const wrong = await activate(camera!.serial, other!.labelCode);
    expect(wrong.out).toMatch(/label code is not right/);
    expect(wrong.code).toBe(1);
    expect(discover().find((d) => d.serial === camera!.serial)?.activated).toBe(false);

    const right = await activate(camera!.serial, camera!.labelCode);
    expect(right.out).toMatch(/Activated\. Log in as admin at https:\/\/10\.77\.1\.11:8443/);
    expect(right.code).toBe(0);
    expect(right.out).not.toContain(camera!.labelCode);
    expect(right.out).not.toContain(STRONG_PASSWORD);
    expect(discover().find((d) => d.serial === camera!.serial)).toMatchObject({ activated: true, status: 'verified' });
    const again = await converse(['activate', camera!.serial], []);
    expect(again.out).toMatch(/activated already/);
    expect(again.code).toBe(1);
  }, 90_000);

  it("is throttled by the camera after five wrong label codes: the sixth, and then the right one, are refused with how long to wait", async () => {
    const camera = cameras[2]!;
    for (let i = 0; i < 5; i++) expect((await activate(camera.serial, cameras[1]!.labelCode)).out).toMatch(/label code is not right/);
    const throttled = await activate(camera.serial, cameras[1]!.labelCode);
    expect(throttled.out).toMatch(/refuses more label codes for now[\s\S]*\(wait\s+\d+\s+s\)/);
    expect(throttled.code).toBe(1);
    const right = await activate(camera.serial, camera.labelCode);
    expect(right.out).toMatch(/refuses more label codes for now/);
    expect(discover().find((d) => d.serial === camera.serial)?.activated).toBe(false);
  }, 180_000);

  it('carries a vendor support reset through for a locked-out recorder: request, vigil support sign, response, new password that logs in', async () => {
    const requestFile = join(dir, 'reset-request.json');
    const requested = await converse(['reset-request', recorders.one.serial, '--out', requestFile], []);
    expect(requested.out).toMatch(/Saved the reset request for admin/);
    expect(requested.code).toBe(0);
    const responseFile = join(dir, 'reset-response.json');
    execFileSync(process.execPath, [CLI, 'support', 'sign', requestFile, '--case', 'C-1', '--agent', 'Ann', '--dir', join(dir, 'vendor'), '--out', responseFile]);

    const responded = await converse(
      ['reset-response', recorders.one.serial, responseFile],
      [
        [/two-step login.*: $/, 'n'],
        [/New password.*not shown\): $/, OTHER_STRONG_PASSWORD],
        [/same again.*not shown\): $/, OTHER_STRONG_PASSWORD],
      ],
    );
    expect(responded.out).toMatch(/Done: the password of admin is changed/);
    expect(responded.code).toBe(0);
    const again = await converse(['reset-response', recorders.one.serial, responseFile], []);
    expect(again.code).toBe(1); // a response works once

    const login = (password: string) =>
      spawnSync('ip', ['netns', 'exec', ns.tool, process.execPath, '-e', LOGIN, '10.77.1.1', 'admin', password], { encoding: 'utf8' }).stdout.trim();
    expect(login(OTHER_STRONG_PASSWORD)).toMatch(/^20[01]$/);
    expect(login(STRONG_PASSWORD)).toBe('401');
  }, 90_000);
});

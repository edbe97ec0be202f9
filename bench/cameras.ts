// npm run bench -- cameras [--cameras N] [--seconds S]: a LAN of N Vigil cameras, found and rotated.
//
// N real Vigil cameras (the camera of `vigil camera`: ONVIF, WS-Discovery, RTSP from a 320x240
// clip, production argon2 for their accounts, one password judge thread shared) run in this
// process on loopback, each with its own data directory, activated with a password of its own.
//   scan      one WS-Discovery Probe (multicast, as the recorder's scan sends it) and the time until
//             all N cameras' ProbeMatches are in: the complete list; S seconds of listening at most;
//   rotation  a real recorder daemon (the built CLI) that holds the N cameras (written into its data
//             directory before it starts, as activation by the recorder leaves them: sealed password,
//             ONVIF address) and records them; one POST /cameras/password-rotation, the job polled
//             until it ends. Its time, cameras a second, each outcome, the recorder's CPU; changes left
//             undecided (no answer in time) waited for until the recorder settles them; then a check
//             of every camera with a client of this benchmark: the new password is taken, the old one
//             refused. A failure is any camera that did not end with a verified new password.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manufactureCamera } from '../src/camera/device/manufacture.js';
import { startVigilCamera, type VigilCamera } from '../src/camera/vigil-camera.js';
import { PasswordHasher, PRODUCTION_ARGON2 } from '../src/identity/passwords/hash.js';
import { PasswordJudge } from '../src/identity/passwords/judge.js';
import { loadOrCreateSecretKey } from '../src/identity/sealing/secret-box.js';
import { scanForOnvifCameras } from '../src/media/onvif/discovery-scan.js';
import { OnvifClient, OnvifError } from '../src/media/onvif/onvif-client.js';
import { createCameraStore } from '../src/recorder/db/camera-store.js';
import { openDatabase } from '../src/recorder/db/store.js';
import { dataPaths } from '../src/recorder/device/data-dir.js';
import { newCameraPassword } from '../src/recorder/media/cameras/camera-activation.js';
import { openCameraPassword, sealCameraPassword } from '../src/recorder/media/cameras/camera-secrets.js';
import { SETTLE_AFTER_MS } from '../src/recorder/media/cameras/password-change-policy.js';
import { systemClock } from '../src/shared/clock.js';
import { systemTimers } from '../src/shared/timers.js';
import { addCameras, sleep, startRecorder, stopProcess } from './daemons.js';
import { cameraBenchOptions } from './options.js';
import { cpuSeconds, loadAverage, rssMiB } from './process-stats.js';

const MAX_CAMERAS = 256;
/** The job is polled as the Cameras page polls it, faster: its end is timed to this. */
const POLL_MS = 50;
/** Undecided changes are settled SETTLE_AFTER_MS after they were asked: this long is waited for them at most. */
const SETTLE_WAIT_MS = SETTLE_AFTER_MS + 60_000;

interface LanCamera {
  camera: VigilCamera;
  deviceUrl: string;
  password: string;
}

async function startLan(root: string, count: number, judge: PasswordJudge): Promise<LanCamera[]> {
  const hasher = new PasswordHasher(PRODUCTION_ARGON2);
  const clipCache = join(root, 'clip');
  mkdirSync(clipCache);
  const lan: LanCamera[] = [];
  // One after the other: the first encodes the clip the others read from the cache.
  for (let i = 0; i < count; i++) {
    const dataDir = join(root, `camera-${i + 1}`);
    const made = await manufactureCamera(dataDir, { clock: systemClock, hasher });
    const camera = await startVigilCamera({
      dataDir,
      httpPort: 0,
      rtspPort: 0,
      source: 'clip',
      encoding: { width: 320, height: 240 },
      clip: { cacheDir: clipCache, seconds: 2 },
      hasher,
      judgePassword: judge.judge,
      discovery: true,
      lanDiscovery: false,
    });
    const password = newCameraPassword();
    const activated = await fetch(`${camera.httpUrl}/vigil/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ labelCode: made.labelCode, password }),
    });
    if (activated.status !== 200) throw new Error(`camera ${i + 1} was not activated: ${activated.status}`);
    lan.push({ camera, deviceUrl: `${camera.httpUrl}/onvif/device_service`, password });
  }
  return lan;
}

/** One scan: milliseconds from the Probe until every camera of the LAN answered, or null if some never did. */
async function timeToCompleteList(lan: readonly LanCamera[], listenMs: number): Promise<{ completeMs: number | null; found: number }> {
  const ours = new Set(lan.map((c) => c.camera.endpoint));
  let seen = 0;
  let completeMs: number | null = null;
  const began = performance.now();
  const matches = await scanForOnvifCameras({
    listenMs,
    timers: systemTimers,
    onFound: (match) => {
      if (ours.has(match.endpoint) && ++seen === ours.size) completeMs = performance.now() - began;
    },
  });
  return { completeMs, found: matches.filter((m) => ours.has(m.endpoint)).length };
}

/** Writes the cameras into the recorder's database as the recorder's own activation leaves them. */
function holdCameras(dataDir: string, lan: readonly LanCamera[]): void {
  const paths = dataPaths(dataDir);
  const key = loadOrCreateSecretKey(paths.settingsKey);
  const db = openDatabase(paths.database);
  try {
    const cameras = createCameraStore(db);
    for (const [i, member] of lan.entries()) {
      const row = cameras.insert({ name: `Bench ${i + 1}`, url: member.camera.rtspUrl, username: 'admin', transport: 'tcp', enabled: true }, Date.now());
      cameras.setPassword(row.id, sealCameraPassword(key, row.id, member.password));
      cameras.setDeviceUrl(row.id, member.deviceUrl);
    }
  } finally {
    db.close();
  }
}

async function takes(deviceUrl: string, password: string): Promise<boolean> {
  try {
    await new OnvifClient(deviceUrl, { timeoutMs: 10_000, now: () => Date.now() }).deviceInformation({ username: 'admin', password });
    return true;
  } catch (error) {
    if (error instanceof OnvifError && error.kind === 'unauthorized') return false;
    throw error;
  }
}

interface JobView {
  finishedAt: string | null;
  total: number;
  done: number;
  cameras: { cameraId: number; outcome: string | null }[];
}

export async function runCamerasBenchmark(): Promise<void> {
  const { cameras: count, seconds } = cameraBenchOptions({ cameras: 64, seconds: 5 }, MAX_CAMERAS);
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-cameras-'));
  const judge = new PasswordJudge();
  let lan: LanCamera[] = [];
  let recorder: Awaited<ReturnType<typeof startRecorder>>['recorder'] | undefined;
  try {
    console.log(`Starting ${count} Vigil cameras (ONVIF, WS-Discovery, RTSP 320x240 clip; production argon2) in this process...`);
    const startedAt = performance.now();
    lan = await startLan(root, count, judge);
    console.log(`  ${count} cameras up and activated in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);

    console.log(`Scan: one WS-Discovery Probe, ${seconds} s of listening at most (three scans)...`);
    const scans = [];
    for (let i = 0; i < 3; i++) scans.push(await timeToCompleteList(lan, seconds * 1000));

    console.log(`Rotation: a recorder daemon holding the ${count} cameras, recording them, rotates them all...`);
    const dataDir = join(root, 'recorder');
    const started = await startRecorder(dataDir, [], () => holdCameras(dataDir, lan));
    recorder = started.recorder;
    const url = recorder.matches[0]!;
    const session = await addCameras(url, started.labelCode, []);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' };
    // Let the supervisors connect first: a rotation restarts each camera's stream with its new password.
    await sleep(3000);
    const pid = recorder.child.pid!;
    const cpuBefore = cpuSeconds(pid);
    const began = performance.now();
    const answer = await fetch(`${url}/api/v1/cameras/password-rotation`, { method: 'POST', headers, body: '{}' });
    if (answer.status !== 202) throw new Error(`the rotation did not start: ${answer.status} ${await answer.text()}`);
    let job = ((await answer.json()) as { job: JobView & { id: string } }).job;
    while (job.finishedAt === null) {
      await sleep(POLL_MS);
      job = ((await (await fetch(`${url}/api/v1/cameras/password-rotation/jobs/${job.id}`, { headers })).json()) as { job: typeof job }).job;
    }
    const rotationMs = performance.now() - began;
    const cpu = cpuSeconds(pid) - cpuBefore;
    const rss = rssMiB(pid);
    const load = loadAverage();
    // Changes left undecided (a camera too busy to answer in time) are settled by the recorder on its own.
    const unsettledAtEnd = job.cameras.filter((c) => c.outcome === 'unconfirmed').length;
    let settledMs: number | null = unsettledAtEnd === 0 ? 0 : null;
    const waitFrom = performance.now();
    while (settledMs === null && performance.now() - waitFrom < SETTLE_WAIT_MS) {
      await sleep(500);
      const list = (await (await fetch(`${url}/api/v1/cameras`, { headers })).json()) as { cameras: { password: { state: string } }[] };
      if (list.cameras.every((c) => c.password.state !== 'unconfirmed')) settledMs = performance.now() - waitFrom;
    }

    // Every camera checked by a client of our own: the new password (opened from the recorder's database) taken, the old one refused.
    await stopProcess(recorder.child, 'SIGTERM');
    recorder = undefined;
    const paths = dataPaths(dataDir);
    const key = loadOrCreateSecretKey(paths.settingsKey);
    const db = openDatabase(paths.database);
    const held = createCameraStore(db).list();
    db.close();
    let verified = 0;
    let oldStillWorks = 0;
    let lost = 0;
    for (const [i, row] of held.entries()) {
      const current = openCameraPassword(key, row);
      const currentTaken = current !== undefined && (await takes(lan[i]!.deviceUrl, current));
      if (currentTaken && current !== lan[i]!.password) verified++;
      if (!currentTaken) lost++;
      if (await takes(lan[i]!.deviceUrl, lan[i]!.password)) oldStillWorks++;
    }
    const outcomes = new Map<string, number>();
    for (const c of job.cameras) outcomes.set(c.outcome ?? 'none', (outcomes.get(c.outcome ?? 'none') ?? 0) + 1);

    console.log('');
    console.log(`cameras                               ${count}`);
    for (const [i, scan] of scans.entries()) {
      console.log(
        `scan ${i + 1}: complete list               ${scan.completeMs === null ? `never (${scan.found} of ${count} in ${seconds} s)` : `${scan.completeMs.toFixed(0)} ms (${scan.found} of ${count})`}`,
      );
    }
    console.log(`rotation of all: time                 ${(rotationMs / 1000).toFixed(2)} s (${(count / (rotationMs / 1000)).toFixed(1)} cameras/s, job polled every ${POLL_MS} ms)`);
    console.log(`rotation outcomes                     ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(
      `undecided at the job's end            ${unsettledAtEnd}${unsettledAtEnd === 0 ? '' : `, all settled by the recorder ${settledMs === null ? `NOT within ${SETTLE_WAIT_MS / 1000} s` : `${(settledMs / 1000).toFixed(1)} s later`}`}`,
    );
    console.log(`failures (no verified new password)   ${count - verified}`);
    console.log(`old password still taken              ${oldStillWorks} (kept by the recorder: the change did not happen)`);
    console.log(`cameras refusing the recorder's password ${lost} (a password nobody knows: must be 0)`);
    console.log(`recorder CPU during the rotation      ${cpu.toFixed(2)} s; RSS ${rss.toFixed(0)} MiB`);
    console.log(`machine load (1 min)                  ${load.toFixed(2)}`);
  } finally {
    if (recorder) await stopProcess(recorder.child, 'SIGTERM');
    await Promise.all(lan.map((c) => c.camera.stop()));
    await judge.close();
    rmSync(root, { recursive: true, force: true });
  }
}

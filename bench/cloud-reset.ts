// The cloud benchmark's online remote reset (bench/README.md, "cloud"): real recorders started with
// `--cloud` on one instance, activated and bound to one account, then resets asked over the cloud's
// HTTP API, each answered once the recorder has checked the signed authorisation and issued its grant.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { addCameras, PASSWORD, sleep, startRecorder, stopProcess } from './daemons.js';
import { percentile } from './percentile.js';

/** How long a recorder may take to connect to the cloud after it started. */
const CONNECT_TIMEOUT_MS = 30_000;
const WARM_UP_RESETS = 5;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** A JSON request to the cloud as the owner's browser sends it, with the session cookie once there is one. */
async function send(url: string, path: string, body: unknown, cookie?: string): Promise<Answer & { setCookie?: string }> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-vigil_cloud_session='))?.split(';')[0];
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, setCookie };
}

/** Binds the recorder once it is connected: until then the cloud answers 503 device_offline. */
async function bindWhenConnected(cloudUrl: string, cookie: string, serial: string, labelCode: string): Promise<void> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (;;) {
    const bound = await send(cloudUrl, '/api/v1/devices/bind', { serial, labelCode }, cookie);
    if (bound.status === 201) return;
    if (bound.status !== 503 || Date.now() > deadline) throw new Error(`binding ${serial} failed: ${bound.status} ${JSON.stringify(bound.body)}`);
    await sleep(200);
  }
}

interface ResetPhase {
  latenciesMs: number[];
  failures: number;
}

/** `n` resets one after the other, over the recorders in turn; a reset counts when the grant came back. */
async function resets(askedOf: string, cookie: string, serials: string[], n: number): Promise<ResetPhase> {
  const phase: ResetPhase = { latenciesMs: [], failures: 0 };
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const answer = await send(askedOf, `/api/v1/devices/${serials[i % serials.length]}/reset`, { username: 'admin' }, cookie);
    if (answer.status === 200 && typeof answer.body.grant === 'object') phase.latenciesMs.push(performance.now() - t0);
    else phase.failures++;
  }
  return phase;
}

function printResets(phases: [label: string, ResetPhase][]): void {
  const row = (label: string, cell: (p: ResetPhase) => string) => console.log(label.padEnd(30) + phases.map(([, p]) => cell(p).padStart(26)).join(''));
  console.log(''.padEnd(30) + phases.map(([label]) => label.padStart(26)).join(''));
  row('resets granted (failed)', (p) => `${p.latenciesMs.length} (${p.failures})`);
  row('p50 / p95 ms', (p) => `${percentile(p.latenciesMs, 50).toFixed(1)} / ${percentile(p.latenciesMs, 95).toFixed(1)}`);
  row('max ms', (p) => Math.max(...p.latenciesMs).toFixed(1));
}

/**
 * `recorders` real recorders connected to the instance at `holderUrl`, bound to `ownerEmail`'s
 * account; `resets` online resets asked of that instance (straight down its connection), then as
 * many of `otherUrl` (relayed through Redis to the holder and back).
 */
export async function onlineResetRoundTrip(
  root: string,
  cloud: { holderUrl: string; otherUrl: string; ownerEmail: string },
  options: { recorders: number; resets: number },
): Promise<void> {
  console.log('');
  console.log(`Online remote reset round trip: ${options.recorders} real recorders (vigil recorder --cloud ${cloud.holderUrl}), bound to one account;`);
  console.log('each reset is POST /api/v1/devices/SERIAL/reset, answered once the recorder has checked the signed authorisation and issued its grant.');
  const recorders: ChildProcess[] = [];
  try {
    const started = await Promise.all(
      Array.from({ length: options.recorders }, (_, i) => startRecorder(join(root, `recorder-${i}`), ['--cloud', cloud.holderUrl])),
    );
    recorders.push(...started.map((s) => s.recorder.child));
    for (const { recorder, labelCode } of started) await addCameras(recorder.matches[0]!, labelCode, []);
    const login = await send(cloud.holderUrl, '/api/v1/login', { email: cloud.ownerEmail, password: PASSWORD });
    if (login.status !== 200 || !login.setCookie) throw new Error(`the owner's login failed: ${login.status}`);
    const cookie = login.setCookie;
    for (const { serial, labelCode } of started) await bindWhenConnected(cloud.holderUrl, cookie, serial, labelCode);
    const serials = started.map((s) => s.serial);

    await resets(cloud.holderUrl, cookie, serials, WARM_UP_RESETS);
    const direct = await resets(cloud.holderUrl, cookie, serials, options.resets);
    const relayed = await resets(cloud.otherUrl, cookie, serials, options.resets);
    printResets([
      ['asked of the holder', direct],
      ['asked of another (Redis)', relayed],
    ]);
  } finally {
    await Promise.all(recorders.map((c) => stopProcess(c, 'SIGTERM')));
  }
}

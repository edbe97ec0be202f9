// npm run bench -- auth: does a flood of wrong passwords from many addresses hurt the owner?
// A real recorder process (built CLI, production argon2, its own temporary data directory) on
// loopback; a legitimate user logs in once a second with its device cookie, first alone (phase A),
// then while a second process floods logins from many 127.x.y.z addresses (phase B).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../src/shared/package-info.js';
import type { AttackReport } from './auth-attacker.js';
import { percentile } from './percentile.js';
import { cpuSeconds, rssMiB } from './process-stats.js';

const CLI = join(packageRoot(), 'dist', 'src', 'cli.js');
const ATTACKER = join(packageRoot(), 'dist', 'bench', 'auth-attacker.js');
const PASSWORD = 'Benchmark lantern 58 orchard';
const TARGET_RATIO = 2;

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PHASE_SECONDS = setting('BENCH_AUTH_SECONDS', 20);
const ATTACK_ADDRESSES = setting('BENCH_AUTH_ADDRESSES', 500);
const ATTACK_CONCURRENCY = setting('BENCH_AUTH_CONCURRENCY', 64);
/** The issue asks for 1,000/s or more; the attacker shares this machine's cores, so it aims a little above and no higher. */
const ATTACK_RATE = setting('BENCH_AUTH_RATE', 1200);

interface PhaseResult {
  latenciesMs: number[];
  successes: number;
  cpuPercent: number;
  maxRssMiB: number;
}

/** Starts `vigil recorder run` on a free loopback port and resolves with its URL once it listens. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'recorder', 'run', '--data', dataDir, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the recorder exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /running at (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
  });
  return { child, url };
}

async function post(url: string, path: string, body: unknown, cookie?: string) {
  return fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

function deviceCookieOf(response: Response): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith('__Host-vigil_device='))?.split(';')[0];
}

/** Logs in once a second for the phase; the device cookie is refreshed by every login. */
async function legitimatePhase(url: string, pid: number, device: { cookie: string }): Promise<PhaseResult> {
  const latenciesMs: number[] = [];
  let successes = 0;
  let maxRss = rssMiB(pid);
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  for (let i = 0; i < PHASE_SECONDS; i++) {
    const wait = started + i * 1000 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    const res = await post(url, '/api/v1/sessions', { username: 'admin', password: PASSWORD }, device.cookie);
    await res.arrayBuffer();
    latenciesMs.push(performance.now() - t0);
    if (res.status === 201) successes++;
    device.cookie = deviceCookieOf(res) ?? device.cookie;
    maxRss = Math.max(maxRss, rssMiB(pid));
  }
  const elapsed = (performance.now() - started) / 1000;
  return { latenciesMs, successes, cpuPercent: ((cpuSeconds(pid) - cpuBefore) / elapsed) * 100, maxRssMiB: maxRss };
}

function runAttacker(url: string): { done: Promise<AttackReport> } {
  const child = spawn(
    process.execPath,
    [ATTACKER, url, 'admin', String(PHASE_SECONDS), String(ATTACK_ADDRESSES), String(ATTACK_CONCURRENCY), String(ATTACK_RATE)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return {
    done: new Promise((resolve, reject) =>
      child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as AttackReport) : reject(new Error(`attacker exited with ${code}`)))),
    ),
  };
}

/** Password checks the unknown clients got on the admin account this hour, from the admin's lockout list. */
async function unknownClientGuesses(url: string, deviceCookie: string): Promise<number | undefined> {
  const login = await post(url, '/api/v1/sessions', { username: 'admin', password: PASSWORD }, deviceCookie);
  const session = login.headers.getSetCookie().find((c) => c.startsWith('__Host-vigil_session='))!.split(';')[0]!;
  const res = await fetch(`${url}/api/v1/lockouts`, { headers: { cookie: session } });
  const body = (await res.json()) as { lockouts: { account: { username: string }; clientKind: string; failures: number }[] };
  return body.lockouts.find((l) => l.clientKind === 'unknown_clients' && l.account.username === 'admin')?.failures;
}

export async function runAuthBenchmark(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-auth-'));
  const dataDir = join(root, 'data');
  const init = spawnSync(process.execPath, [CLI, 'recorder', 'init', '--data', dataDir, '--json'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`vigil recorder init failed: ${init.stderr}`);
  const { labelCode } = JSON.parse(init.stdout) as { labelCode: string };
  const { child, url } = await startServer(dataDir);
  const pid = child.pid!;
  try {
    const activated = await post(url, '/api/v1/activate', { labelCode, password: PASSWORD });
    if (activated.status !== 201) throw new Error(`activation failed: ${activated.status}`);
    const first = await post(url, '/api/v1/sessions', { username: 'admin', password: PASSWORD });
    const device = { cookie: deviceCookieOf(first)! };
    // Warm-up, unmeasured: the first requests of a fresh process pay for compilation and caches.
    for (let i = 0; i < 5; i++) await (await post(url, '/api/v1/sessions', { username: 'admin', password: PASSWORD }, device.cookie)).arrayBuffer();

    console.log(`Phase A: a legitimate login every second for ${PHASE_SECONDS} s, no attack...`);
    const calm = await legitimatePhase(url, pid, device);
    console.log(
      `Phase B: the same, while up to ${ATTACK_CONCURRENCY} concurrent requests from ${ATTACK_ADDRESSES} addresses flood the login at ${ATTACK_RATE}/s...`,
    );
    const attacker = runAttacker(url);
    const attacked = await legitimatePhase(url, pid, device);
    const attack = await attacker.done;
    const guesses = await unknownClientGuesses(url, device.cookie);

    const rate = attack.requests / attack.seconds;
    const row = (label: string, a: string, b: string) => console.log(`${label.padEnd(44)}${a.padStart(14)}${b.padStart(16)}`);
    const ms = (v: number) => v.toFixed(1);
    const ratio = percentile(attacked.latenciesMs, 99) / percentile(calm.latenciesMs, 99);
    if (process.env.BENCH_AUTH_VERBOSE) console.log({ calm: calm.latenciesMs.map(Math.round), attacked: attacked.latenciesMs.map(Math.round) });
    console.log('');
    row('', 'no attack', 'under attack');
    row('legitimate logins', String(calm.latenciesMs.length), String(attacked.latenciesMs.length));
    row('legitimate success rate', `${((100 * calm.successes) / calm.latenciesMs.length).toFixed(1)} %`, `${((100 * attacked.successes) / attacked.latenciesMs.length).toFixed(1)} %`);
    row('legitimate p50 latency (ms)', ms(percentile(calm.latenciesMs, 50)), ms(percentile(attacked.latenciesMs, 50)));
    row('legitimate p99 latency (ms)', ms(percentile(calm.latenciesMs, 99)), ms(percentile(attacked.latenciesMs, 99)));
    row('attacker requests/s (reached)', '-', rate.toFixed(0));
    row('server CPU (% of one core)', calm.cpuPercent.toFixed(1), attacked.cpuPercent.toFixed(1));
    row('server RSS, max (MiB)', calm.maxRssMiB.toFixed(0), attacked.maxRssMiB.toFixed(0));
    console.log('');
    console.log(`attacker answers: ${Object.entries(attack.statuses).map(([s, n]) => `${s}: ${n}`).join(', ')}; connection errors: ${attack.errors}`);
    if (guesses === undefined) {
      console.log('attacker password checks on admin: the hourly budget for unknown clients was not spent (fewer than 100)');
    } else {
      console.log(
        `attacker password checks on admin: ${guesses} in the ${PHASE_SECONDS} s phase, then the account was closed to unknown ` +
          `clients for an hour after the last one: ${guesses} per hour (a straight extrapolation of the phase would say ` +
          `${Math.round((guesses * 3600) / attack.seconds)}, but the budget does not renew within the hour)`,
      );
    }
    console.log(
      `p99 under attack / p99 without: ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}): ${ratio <= TARGET_RATIO && attacked.successes === attacked.latenciesMs.length ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(root, { recursive: true, force: true });
  }
}

// npm run bench -- auth: does a flood of wrong passwords from many addresses slow the owner down?
//
// A real recorder process (the built CLI, production argon2, its own temporary data directory) on
// loopback. The owner logs in as admin from 127.0.0.1 with the device cookie of an earlier login,
// `--logins` times in each of three phases of `--seconds`, one after the other in one run:
//   calm        no attack;
//   flood       while a second process (auth-attacker.ts) sends wrong passwords for admin from
//               `--addresses` loopback addresses at `--attack-rate` a second; the phase's window
//               opens only once the attacker has run at full rate for a few seconds, so its start-up
//               (when the account's budget for unknown clients is spent) is not measured;
//   calm again  after the attacker stopped: shows whether the machine drifted during the run.
// Output: per phase the number of logins, success rate and p50/p95/p99 latency (nearest rank), the
// recorder's CPU and memory, and the machine's load; the attacker's rate and answers within the
// window; how many guesses reached a password check (before and within the window); and the ratio
// of the flood's p99 to the calm phases' p99 against the target. bench/README.md explains each line.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../src/shared/package-info.js';
import type { AttackCounts } from './auth-attacker.js';
import { PASSWORD, sleep, startRecorder, stopProcess } from './daemons.js';
import { authBenchOptions, type AuthBenchOptions } from './options.js';
import { percentile } from './percentile.js';
import { cpuSeconds, loadAverage, rssMiB } from './process-stats.js';

const ATTACKER = join(packageRoot(), 'dist', 'bench', 'auth-attacker.js');
const TARGET_RATIO = 2;
const TARGET_ATTACK_RATE = 1000;
/** The attacker runs at full rate when this many ticks in a row reach this share of its aim. */
const FULL_RATE_TICKS = 3;
const FULL_RATE_SHARE = 0.95;
const WARM_UP_LOGINS = 10;

interface PhaseResult {
  latenciesMs: number[];
  successes: number;
  cpuPercent: number;
  maxRssMiB: number;
  load: number;
}

async function post(url: string, path: string, body: unknown, cookie?: string) {
  return fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

function cookieOf(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))?.split(';')[0];
}

/** One owner login with the device cookie, which every login refreshes. */
async function ownerLogin(url: string, device: { cookie: string }): Promise<boolean> {
  const res = await post(url, '/api/v1/sessions', { username: 'admin', password: PASSWORD }, device.cookie);
  await res.arrayBuffer();
  device.cookie = cookieOf(res, '__Host-vigil_device') ?? device.cookie;
  return res.status === 201;
}

/** The owner's logins, evenly spread over the phase; a login that ends late delays the next one. */
async function ownerPhase(url: string, pid: number, device: { cookie: string }, options: AuthBenchOptions): Promise<PhaseResult> {
  const latenciesMs: number[] = [];
  let successes = 0;
  let maxRss = rssMiB(pid);
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  const intervalMs = (options.seconds * 1000) / options.logins;
  for (let i = 0; i < options.logins; i++) {
    const wait = started + i * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const t0 = performance.now();
    // A login that fails outright (connection refused or reset) is a sample too: the owner waited for it.
    if (await ownerLogin(url, device).catch(() => false)) successes++;
    latenciesMs.push(performance.now() - t0);
    maxRss = Math.max(maxRss, rssMiB(pid));
  }
  const elapsed = (performance.now() - started) / 1000;
  return { latenciesMs, successes, cpuPercent: ((cpuSeconds(pid) - cpuBefore) / elapsed) * 100, maxRssMiB: maxRss, load: loadAverage() };
}

const answered = (counts: AttackCounts) => Object.values(counts.statuses).reduce((a, b) => a + b, 0);

/** The difference between two of the attacker's reports: what happened between them. */
function between(from: AttackCounts, to: AttackCounts) {
  const statuses: Record<string, number> = {};
  for (const [status, n] of Object.entries(to.statuses)) statuses[status] = n - (from.statuses[status] ?? 0);
  const seconds = to.seconds - from.seconds;
  return { seconds, answered: answered(to) - answered(from), rate: (answered(to) - answered(from)) / seconds, statuses, errors: to.errors - from.errors };
}

/** The attacker's process, and its reports as they come. */
function startAttacker(url: string, options: AuthBenchOptions) {
  const child = spawn(
    process.execPath,
    [ATTACKER, url, 'admin', String(options.addresses), String(options.concurrency), String(options.attackRate)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const waiting: { kind: AttackCounts['kind']; resolve(counts: AttackCounts): void; reject(error: Error): void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const counts = JSON.parse(line) as AttackCounts;
    const index = waiting.findIndex((w) => w.kind === counts.kind);
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve(counts);
  });
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`the attacker exited with ${code}`));
  });
  const next = (kind: AttackCounts['kind']) => new Promise<AttackCounts>((resolve, reject) => waiting.push({ kind, resolve, reject }));
  return {
    child,
    /** Waits until the attacker runs at full rate, or for `rampSeconds` at most; the last tick, and whether it got there. */
    async fullRate(): Promise<{ tick: AttackCounts; reached: boolean }> {
      let previous = await next('tick');
      let streak = 0;
      for (;;) {
        const tick = await next('tick');
        streak = between(previous, tick).rate >= FULL_RATE_SHARE * options.attackRate ? streak + 1 : 0;
        if (streak >= FULL_RATE_TICKS) return { tick, reached: true };
        if (tick.seconds >= options.rampSeconds) return { tick, reached: false };
        previous = tick;
      }
    },
    /** The attacker's counts now. */
    mark(): Promise<AttackCounts> {
      const counts = next('mark');
      child.stdin!.write('mark\n');
      return counts;
    },
    /** Stops the guesses; the process exits once the last ones are answered. */
    async stop(): Promise<void> {
      const end = next('end');
      child.stdin!.end();
      await end;
    },
  };
}

/**
 * Guesses from unknown clients that reached a password check on admin in the last hour, as the
 * recorder's lockout list shows them; undefined while the account's hourly budget is not spent, as
 * the list shows only locks in force.
 */
async function unknownClientGuesses(url: string, adminSession: string): Promise<{ guesses: number | undefined; budget: number }> {
  const res = await fetch(`${url}/api/v1/lockouts`, { headers: { cookie: adminSession } });
  if (res.status !== 200) throw new Error(`the lockout list answered ${res.status}`);
  const body = (await res.json()) as {
    lockouts: { account: { username: string }; clientKind: string; failures: number }[];
    policy: { unknownClientGuessesPerHour: number };
  };
  const lock = body.lockouts.find((l) => l.clientKind === 'unknown_clients' && l.account.username === 'admin');
  return { guesses: lock?.failures, budget: body.policy.unknownClientGuessesPerHour };
}

/** The attacker within the flood's window, for the table. */
interface WindowFigures {
  answersPerSecond: number;
  cpuPercent: number;
}

function printPhases(phases: Record<string, PhaseResult>, attack: WindowFigures): void {
  const results = Object.values(phases);
  const row = (label: string, cell: (p: PhaseResult, i: number) => string) =>
    console.log(label.padEnd(34) + results.map((p, i) => cell(p, i).padStart(13)).join(''));
  const ms = (p: number) => (r: PhaseResult) => percentile(r.latenciesMs, p).toFixed(1);
  console.log('');
  console.log(''.padEnd(34) + Object.keys(phases).map((name) => name.padStart(13)).join(''));
  row('owner logins (samples)', (r) => String(r.latenciesMs.length));
  row('owner success rate', (r) => `${((100 * r.successes) / r.latenciesMs.length).toFixed(1)} %`);
  row('owner p50 latency (ms)', ms(50));
  row('owner p95 latency (ms)', ms(95));
  row('owner p99 latency (ms)', ms(99));
  row('owner max latency (ms)', ms(100));
  const floodOnly = (value: string) => (_: PhaseResult, i: number) => (i === 1 ? value : '-');
  row('attacker answers/s', floodOnly(attack.answersPerSecond.toFixed(0)));
  row('attacker CPU (% of one core)', floodOnly(attack.cpuPercent.toFixed(1)));
  row('recorder CPU (% of one core)', (r) => r.cpuPercent.toFixed(1));
  row('recorder RSS, max (MiB)', (r) => r.maxRssMiB.toFixed(0));
  row('machine load (1 min, at end)', (r) => r.load.toFixed(2));
  console.log('');
}

export async function runAuthBenchmark(): Promise<void> {
  const options = authBenchOptions();
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-auth-'));
  const { labelCode, recorder } = await startRecorder(join(root, 'data'));
  const url = recorder.matches[0]!;
  const pid = recorder.child.pid!;
  let attacker: ReturnType<typeof startAttacker> | undefined;
  try {
    const activated = await post(url, '/api/v1/activate', { labelCode, password: PASSWORD });
    if (activated.status !== 201) throw new Error(`activation failed: ${activated.status}`);
    const first = await post(url, '/api/v1/sessions', { username: 'admin', password: PASSWORD });
    const device = { cookie: cookieOf(first, '__Host-vigil_device')! };
    const adminSession = cookieOf(first, '__Host-vigil_session')!;
    // Unmeasured: the first requests of a fresh process pay for compilation and caches.
    for (let i = 0; i < WARM_UP_LOGINS; i++) await ownerLogin(url, device);

    const spread = `${options.logins} owner logins over ${options.seconds} s`;
    console.log(
      `Recorder pid ${pid}, production argon2 (the CLI's default), ${availableParallelism()} cores; machine load ${loadAverage().toFixed(2)} at start.`,
    );
    console.log(`Calm: ${spread}, no attack...`);
    const calm = await ownerPhase(url, pid, device, options);

    console.log(
      `Flood: starting the attacker (${options.attackRate} guesses/s for admin from ${options.addresses} addresses, at most ${options.concurrency} at once)...`,
    );
    attacker = startAttacker(url, options);
    const ramp = await attacker.fullRate();
    const before = await unknownClientGuesses(url, adminSession);
    const open = await attacker.mark();
    const attackerCpuAtOpen = cpuSeconds(attacker.child.pid!);
    console.log(
      ramp.reached
        ? `  at full rate after ${ramp.tick.seconds.toFixed(1)} s; the window opens: ${spread}...`
        : `  NOT at full rate after ${options.rampSeconds} s (--ramp-seconds); the window opens anyway: ${spread}...`,
    );
    const flood = await ownerPhase(url, pid, device, options);
    const close = await attacker.mark();
    const attackerCpu = cpuSeconds(attacker.child.pid!) - attackerCpuAtOpen;
    const after = await unknownClientGuesses(url, adminSession);
    await attacker.stop();

    console.log(`Calm again: ${spread}, the attacker stopped...`);
    const calmAgain = await ownerPhase(url, pid, device, options);

    const window = between(open, close);
    printPhases({ calm, flood, 'calm again': calmAgain }, { answersPerSecond: window.rate, cpuPercent: (100 * attackerCpu) / window.seconds });
    console.log(
      `attacker in the flood window (${window.seconds.toFixed(1)} s): ${window.answered} guesses answered, ${window.rate.toFixed(0)}/s ` +
        `from ${options.addresses} addresses (aim ${options.attackRate}/s); answers ` +
        `${Object.entries(window.statuses).map(([s, n]) => `${s}: ${n}`).join(', ')}; no answer: ${window.errors}`,
    );
    console.log(
      `attacker start-up, not measured: ${open.seconds.toFixed(1)} s, ${answered(open)} guesses answered ` +
        `(${Object.entries(open.statuses).map(([s, n]) => `${s}: ${n}`).join(', ')})`,
    );
    console.log(passwordChecks(before, after));

    const calmP99 = percentile([...calm.latenciesMs, ...calmAgain.latenciesMs], 99);
    const ratio = percentile(flood.latenciesMs, 99) / calmP99;
    const met = ratio <= TARGET_RATIO && flood.successes === flood.latenciesMs.length && window.rate >= TARGET_ATTACK_RATE;
    console.log(
      `flood p99 / calm p99: ${ratio.toFixed(2)} (calm p99 ${calmP99.toFixed(1)} ms over both calm phases; ` +
        `against calm alone ${(percentile(flood.latenciesMs, 99) / percentile(calm.latenciesMs, 99)).toFixed(2)}, ` +
        `against calm again ${(percentile(flood.latenciesMs, 99) / percentile(calmAgain.latenciesMs, 99)).toFixed(2)})`,
    );
    console.log(
      `target: flood p99 ≤ ${TARGET_RATIO}× calm p99, owner success 100 %, attacker ≥ ${TARGET_ATTACK_RATE} guesses/s: ${met ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    if (attacker) await stopProcess(attacker.child, 'SIGTERM');
    await stopProcess(recorder.child, 'SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
}

/** What the lockout list told before and after the window, in words. */
function passwordChecks(
  before: { guesses: number | undefined; budget: number },
  after: { guesses: number | undefined; budget: number },
): string {
  const prefix = 'attacker guesses that reached a password check on admin:';
  if (after.guesses === undefined) return `${prefix} fewer than the hourly budget of ${after.budget} for unknown clients (the recorder lists the count once it is spent)`;
  const duringStartUp = before.guesses === undefined ? `fewer than ${before.budget}` : String(before.guesses);
  const inWindow = before.guesses === undefined ? `at least ${after.guesses - before.budget + 1}` : String(after.guesses - before.guesses);
  return `${prefix} ${duringStartUp} during its start-up, ${inWindow} in the window (${after.guesses} in all: the budget for unknown clients is ${after.budget} an hour)`;
}

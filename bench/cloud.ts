// npm run bench -- cloud: how the cloud scales out, and what an idle device connection costs.
//
// Real processes from the built tree: PostgreSQL and Redis from Debian's packages in temporary
// directories, three `vigil cloud` processes on them (production argon2, the CLI's default, keys
// copied from the first as docs/cloud.md says), and nginx in front (round robin).
//   logins      `--concurrency` clients, each logging in to an account of its own in a loop for
//               `--seconds`: against one instance, then against the three through nginx; logins
//               per second, p50/p95 latency, each instance's CPU, and the ratio three / one;
//   idle        `--connections` WebSocket connections opened and held idle; the memory (RSS, PSS)
//               of the process holding them, before and after, and the difference per connection;
//   reset       the online remote reset's round trip, once that path exists.
// bench/README.md explains each line.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { markVerified, signUpAddress } from '../src/cloud/db/accounts.js';
import { openPostgresDatabase } from '../src/cloud/db/postgres.js';
import { PasswordHasher, PRODUCTION_ARGON2 } from '../src/identity/passwords/hash.js';
import { packageRoot } from '../src/shared/package-info.js';
import { startNginx } from '../test/helpers/nginx.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { startRedis } from '../test/helpers/redis.js';
import { PASSWORD, sleep, startVigil, stopProcess } from './daemons.js';
import { cloudBenchOptions, type CloudBenchOptions } from './options.js';
import { percentile } from './percentile.js';
import { cpuSeconds, loadAverage, pssMiB, rssMiB } from './process-stats.js';

const IDLE_SERVER = join(packageRoot(), 'dist', 'bench', 'idle-ws-server.js');
const WARM_UP_LOGINS = 20;

interface LoginPhase {
  logins: number;
  failures: number;
  seconds: number;
  latenciesMs: number[];
  /** CPU of each instance during the phase, % of one core. */
  cpuPercent: number[];
  load: number;
}

/** An owner: an account, and a browser on a loopback address of its own (as the owners of a real cloud are). */
interface Owner {
  email: string;
  agent: Agent;
}

/**
 * One login. Each owner comes from an address of its own: a login in flight counts against its
 * address's throttle until it succeeds, so sixteen at once from one address would throttle each other.
 */
function login(url: string, owner: Owner): Promise<boolean> {
  const body = JSON.stringify({ email: owner.email, password: PASSWORD });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/login`, { method: 'POST', agent: owner.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume().once('end', () => resolve(res.statusCode === 200));
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** `concurrency` clients logging in to their own accounts in a loop, for `seconds`. */
async function loginPhase(url: string, owners: Owner[], pids: number[], options: CloudBenchOptions): Promise<LoginPhase> {
  const latenciesMs: number[] = [];
  let failures = 0;
  const cpuBefore = pids.map(cpuSeconds);
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    owners.map(async (owner) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        if (await login(url, owner).catch(() => false)) latenciesMs.push(performance.now() - t0);
        else failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuPercent = pids.map((pid, i) => ((cpuSeconds(pid) - cpuBefore[i]!) / seconds) * 100);
  return { logins: latenciesMs.length, failures, seconds, latenciesMs, cpuPercent, load: loadAverage() };
}

/** Opens `n` WebSocket connections to `url`, a hundred at a time. */
async function openIdle(url: string, n: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, () => new WebSocket(url));
    await Promise.all(batch.map((ws) => new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))));
    sockets.push(...batch);
  }
  return sockets;
}

/** The minimal endpoint's process, its port, and a way to ask it for its memory. */
async function startIdleServer() {
  const child = spawn(process.execPath, ['--expose-gc', IDLE_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const started = nextLine();
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the idle WebSocket server exited with ${code}`))));
  const { port } = JSON.parse(await Promise.race([started, exited])) as { port: number };
  return {
    child,
    port,
    /** Its JavaScript heap after a full collection, and what the kernel counts. */
    async memory() {
      const answer = nextLine();
      child.stdin!.write('measure\n');
      const usage = JSON.parse(await answer) as NodeJS.MemoryUsage;
      return { heapMiB: (usage.heapUsed + usage.external) / 2 ** 20, rssMiB: rssMiB(child.pid!), pssMiB: pssMiB(child.pid!) };
    },
  };
}

async function idleConnections(options: CloudBenchOptions): Promise<void> {
  console.log('');
  console.log('Idle WebSocket connections: the cloud has no device endpoint on this branch yet, so this measures');
  console.log('plain `ws` connections to a minimal endpoint (bench/idle-ws-server.ts: the ws package, no authentication).');
  const server = await startIdleServer();
  try {
    const before = await server.memory();
    const t0 = performance.now();
    const sockets = await openIdle(`ws://127.0.0.1:${server.port}/`, options.connections);
    const openSeconds = (performance.now() - t0) / 1000;
    await sleep(2000); // idle
    const after = await server.memory();
    const held = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
    const perConnection = (key: keyof typeof before) => `${(((after[key] - before[key]) * 1024) / options.connections).toFixed(1)} KiB`;
    console.log(`  ${options.connections} connections opened in ${openSeconds.toFixed(1)} s; ${held} still open after 2 s idle`);
    console.log(`  server JS heap + external ${before.heapMiB.toFixed(1)} -> ${after.heapMiB.toFixed(1)} MiB, RSS ${before.rssMiB.toFixed(1)} -> ${after.rssMiB.toFixed(1)} MiB, PSS ${before.pssMiB.toFixed(1)} -> ${after.pssMiB.toFixed(1)} MiB`);
    console.log(`  per idle connection: ${perConnection('heapMiB')} of heap, ${perConnection('rssMiB')} RSS, ${perConnection('pssMiB')} PSS (kernel socket buffers not included)`);
    for (const ws of sockets) ws.terminate();
  } finally {
    server.child.stdin!.end();
    await stopProcess(server.child, 'SIGTERM');
  }
}

function printLogins(one: LoginPhase, three: LoginPhase): void {
  const rate = (p: LoginPhase) => p.logins / p.seconds;
  const row = (label: string, cell: (p: LoginPhase) => string) => console.log(label.padEnd(30) + [one, three].map((p) => cell(p).padStart(22)).join(''));
  console.log('');
  console.log(''.padEnd(30) + 'one instance'.padStart(22) + 'three behind nginx'.padStart(22));
  row('logins (failed)', (p) => `${p.logins} (${p.failures})`);
  row('logins per second', (p) => rate(p).toFixed(1));
  row('p50 / p95 ms', (p) => `${percentile(p.latenciesMs, 50).toFixed(0)} / ${percentile(p.latenciesMs, 95).toFixed(0)}`);
  row('instances CPU (% of a core)', (p) => p.cpuPercent.map((c) => c.toFixed(0)).join(' / '));
  row('load average at the end', (p) => p.load.toFixed(2));
  console.log('');
  console.log(`Ratio three / one: ${(rate(three) / rate(one)).toFixed(2)}x logins per second, on ${availableParallelism()} cores shared by every process here (the instances, PostgreSQL, Redis, nginx, this client).`);
}

export async function runCloudBenchmark(): Promise<void> {
  const options = cloudBenchOptions();
  console.log(`Cloud benchmark: ${availableParallelism()} cores, load ${loadAverage().toFixed(2)} at the start; ${options.concurrency} clients for ${options.seconds} s a phase`);
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-cloud-'));
  const instances: ChildProcess[] = [];
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
  let owners: Owner[] = [];
  try {
    const start = async (name: string) => {
      const { child, matches } = await startVigil(
        ['cloud', '--data', join(root, name), '--listen', '127.0.0.1:0', '--database', postgres.url, '--redis', redis.url, '--trusted-proxy', '127.0.0.1'],
        /running at (http:\/\/\S+)/,
        1,
      );
      instances.push(child);
      return matches[0]!;
    };
    const urls = [await start('a')];
    for (const name of ['b', 'c']) cpSync(join(root, 'a', 'keys'), join(root, name, 'keys'), { recursive: true });
    urls.push(...(await Promise.all(['b', 'c'].map(start))));
    nginx = await startNginx(urls.map((u) => new URL(u).host));

    const db = await openPostgresDatabase(postgres.url);
    const hash = await new PasswordHasher(PRODUCTION_ARGON2).hash(PASSWORD);
    owners = Array.from({ length: options.concurrency }, (_, i) => ({
      email: `owner${i}@example.com`,
      agent: new Agent({ keepAlive: true, localAddress: `127.0.1.${i + 1}` }),
    }));
    for (const { email } of owners) await markVerified(db, (await signUpAddress(db, 'email', email, hash, Date.now())).id, Date.now());
    await db.close();

    for (let i = 0; i < WARM_UP_LOGINS; i++) await login(nginx.url, owners[i % owners.length]!);
    const pids = instances.map((c) => c.pid!);
    console.log('Logins against one instance...');
    const one = await loginPhase(urls[0]!, owners, pids, options);
    console.log('Logins against three instances through nginx...');
    const three = await loginPhase(nginx.url, owners, pids, options);
    printLogins(one, three);

    await idleConnections(options);
    console.log('');
    console.log('Online remote reset round trip: not measured, the cloud has no device connection on this branch yet.');
  } finally {
    for (const { agent } of owners) agent.destroy();
    await Promise.all(instances.map((c) => stopProcess(c, 'SIGTERM')));
    await nginx?.stop();
    await Promise.all([postgres.stop(), redis.stop()]);
    rmSync(root, { recursive: true, force: true });
  }
}

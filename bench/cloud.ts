// npm run bench -- cloud: how the cloud scales out, and what an idle device connection costs.
//
// Real processes from the built tree: PostgreSQL and Redis from Debian's packages in temporary
// directories, three `vigil cloud` processes on them (production argon2, the CLI's default, keys
// copied from the first as docs/cloud.md says), and nginx in front (round robin).
//   logins      `--concurrency` clients, each logging in to an account of its own in a loop for
//               `--seconds`: against one instance, then against the three through nginx; logins
//               per second, p50/p95 latency, each instance's CPU, and the ratio three / one;
//   idle        `--connections` device connections authenticated as recorders do (a key each, the
//               challenge signed) and held idle; the memory (RSS, PSS) of the instance holding them, before and after, and the difference per connection;
//   reset       `--recorders` real recorders (`vigil recorder --cloud`) connected to the first
//               instance and bound to one account; `--resets` online resets asked of that instance,
//               then of another (relayed through Redis): p50/p95 of the round trip to the grant.
// bench/README.md explains each line.
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import WebSocket from 'ws';
import { connectUrlOf, signHello, type Challenge } from '../src/recorder/api/cloud-link.js';
import { markVerified, signUpAddress } from '../src/cloud/db/accounts.js';
import { openPostgresDatabase } from '../src/cloud/db/postgres.js';
import { PasswordHasher, PRODUCTION_ARGON2 } from '../src/identity/passwords/hash.js';
import { startNginx } from '../test/helpers/nginx.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { startRedis } from '../test/helpers/redis.js';
import { onlineResetRoundTrip } from './cloud-reset.js';
import { PASSWORD, sleep, startVigil, stopProcess } from './daemons.js';
import { cloudBenchOptions, type CloudBenchOptions } from './options.js';
import { percentile } from './percentile.js';
import { cpuSeconds, loadAverage, pssMiB, rssMiB } from './process-stats.js';

const WARM_UP_LOGINS = 20;
/** The account the bench's recorders are bound to. */
const RESET_OWNER = 'reset-owner@example.com';

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

/**
 * Opens `n` device connections to the cloud at `url` as recorders do (src/recorder/cloud/): each
 * with a device key of its own, signing the cloud's challenge, held once welcomed. A hundred at a time.
 */
async function openDevices(url: string, n: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  const welcomed = (i: number) =>
    new Promise<WebSocket>((resolve, reject) => {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const ws = new WebSocket(connectUrlOf(url));
      ws.once('error', reject).once('close', (code) => reject(new Error(`device connection closed with ${code}`)));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string };
        if (message.type === 'welcome') return resolve(ws);
        if (message.type !== 'challenge') return;
        const fields = { serial: `VGL-BENCH-${String(i).padStart(6, '0')}`, model: 'BENCH', publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), bound: false };
        ws.send(JSON.stringify(signHello(privateKey, message as Challenge, fields)));
      });
    });
  for (let i = 0; i < n; i += 100) sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, j) => welcomed(i + j)))));
  return sockets;
}

async function idleConnections(url: string, pid: number, options: CloudBenchOptions): Promise<void> {
  console.log('');
  console.log(`Idle device connections to one instance (${url}), authenticated as recorders do: an Ed25519 key each, the challenge signed.`);
  const memory = () => ({ rssMiB: rssMiB(pid), pssMiB: pssMiB(pid) });
  const before = memory();
  const t0 = performance.now();
  const sockets = await openDevices(url, options.connections);
  const openSeconds = (performance.now() - t0) / 1000;
  await sleep(2000); // idle
  const after = memory();
  const held = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
  const perConnection = (key: keyof typeof before) => `${(((after[key] - before[key]) * 1024) / options.connections).toFixed(1)} KiB`;
  console.log(`  ${options.connections} connections authenticated in ${openSeconds.toFixed(1)} s; ${held} still open after 2 s idle`);
  console.log(`  instance RSS ${before.rssMiB.toFixed(1)} -> ${after.rssMiB.toFixed(1)} MiB, PSS ${before.pssMiB.toFixed(1)} -> ${after.pssMiB.toFixed(1)} MiB`);
  console.log(`  per idle device connection: ${perConnection('rssMiB')} RSS, ${perConnection('pssMiB')} PSS (kernel socket buffers not included)`);
  for (const ws of sockets) ws.terminate();
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
    for (const email of [...owners.map((o) => o.email), RESET_OWNER]) await markVerified(db, (await signUpAddress(db, 'email', email, hash, Date.now())).id, Date.now());
    await db.close();

    for (let i = 0; i < WARM_UP_LOGINS; i++) await login(nginx.url, owners[i % owners.length]!);
    const pids = instances.map((c) => c.pid!);
    console.log('Logins against one instance...');
    const one = await loginPhase(urls[0]!, owners, pids, options);
    console.log('Logins against three instances through nginx...');
    const three = await loginPhase(nginx.url, owners, pids, options);
    printLogins(one, three);

    await idleConnections(urls[0]!, instances[0]!.pid!, options);
    await onlineResetRoundTrip(root, { holderUrl: urls[0]!, otherUrl: urls[1]!, ownerEmail: RESET_OWNER }, options);
  } finally {
    for (const { agent } of owners) agent.destroy();
    await Promise.all(instances.map((c) => stopProcess(c, 'SIGTERM')));
    await nginx?.stop();
    await Promise.all([postgres.stop(), redis.stop()]);
    rmSync(root, { recursive: true, force: true });
  }
}

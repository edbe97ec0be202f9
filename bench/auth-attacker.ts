// The attacker of the auth benchmark, in its own process so its load does not slow the owner's
// measurements: floods POST /api/v1/sessions with wrong passwords for one account from many
// loopback addresses, at a steady rate, until its standard input closes.
//
// It talks to the benchmark in JSON lines on standard output: a `tick` every second (for the
// benchmark to see when it runs at full rate), a `mark` whenever it reads a line on standard input
// (the benchmark's window opening and closing), and an `end` when it stops. Each carries the
// counts since the start, so the benchmark takes the difference of two marks as its window.
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';

export interface AttackCounts {
  kind: 'tick' | 'mark' | 'end';
  /** Since the attacker started. */
  seconds: number;
  sent: number;
  /** Answers received, by HTTP status. */
  statuses: Record<string, number>;
  /** Requests that got no answer (connection refused, reset). */
  errors: number;
}

const [url, username, addressesArg, concurrencyArg, rateArg] = process.argv.slice(2);
const target = new URL(url!);
const rate = Number(rateArg);
/**
 * A guess that falls behind its slot (the server was slow) is sent at once, but the schedule is not
 * allowed to lag more than this: catching up on a long stall would be a burst well above the rate.
 */
const MAX_LAG_MS = 100;
/** 127.1.0.0, 127.1.0.1, ...: all of 127.0.0.0/8 is loopback on Linux; 127.0.0.1 is left to the owner. */
const addresses = Array.from({ length: Number(addressesArg) }, (_, i) => `127.1.${i >> 8}.${i & 255}`);
const agents = addresses.map((localAddress) => new Agent({ keepAlive: true, maxSockets: 4, localAddress }));

const started = performance.now();
const counts: Omit<AttackCounts, 'kind' | 'seconds'> = { sent: 0, statuses: {}, errors: 0 };
const report = (kind: AttackCounts['kind']) =>
  console.log(JSON.stringify({ kind, seconds: (performance.now() - started) / 1000, ...counts } satisfies AttackCounts));

let stopped = false;
let nextSlot = started;
/** The time the next guess is due, and the one after it reserved. */
function takeSlot(): number {
  const slot = Math.max(nextSlot, performance.now() - MAX_LAG_MS);
  nextSlot = slot + 1000 / rate;
  return slot;
}

function guess(agent: Agent, n: number): Promise<void> {
  const body = JSON.stringify({ username, password: `wrong guess ${n}` });
  return new Promise((resolve) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: '/api/v1/sessions',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          counts.statuses[res.statusCode!] = (counts.statuses[res.statusCode!] ?? 0) + 1;
          resolve();
        });
      },
    );
    req.on('error', () => {
      counts.errors++;
      resolve();
    });
    req.end(body);
  });
}

async function worker(): Promise<void> {
  while (!stopped) {
    const wait = takeSlot() - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (stopped) return;
    const n = counts.sent++;
    await guess(agents[n % agents.length]!, n);
  }
}

const ticks = setInterval(() => report('tick'), 1000);
createInterface({ input: process.stdin })
  .on('line', () => report('mark'))
  .on('close', () => {
    stopped = true;
    clearInterval(ticks);
  });
await Promise.all(Array.from({ length: Number(concurrencyArg) }, worker));
report('end');
for (const agent of agents) agent.destroy();

// The attacker of the auth benchmark, in its own process so its load does not slow the legitimate
// client's measurements: floods POST /api/v1/sessions with wrong passwords from many loopback
// addresses, for a fixed time, then prints one JSON line of what it sent and got.
import { Agent, request } from 'node:http';

export interface AttackReport {
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
  errors: number;
}

const [url, username, secondsArg, addressesArg, concurrencyArg, rateArg] = process.argv.slice(2);
const target = new URL(url!);
const seconds = Number(secondsArg);
/** Requests per second to aim for: request n is not sent before started + n / rate. */
const rate = Number(rateArg);
/** 127.1.0.0, 127.1.0.1, ...: all of 127.0.0.0/8 is loopback on Linux; 127.0.0.1 is left to the legitimate user. */
const addresses = Array.from({ length: Number(addressesArg) }, (_, i) => `127.1.${i >> 8}.${i & 255}`);
const agents = addresses.map((localAddress) => new Agent({ keepAlive: true, maxSockets: 4, localAddress }));

const report: AttackReport = { requests: 0, seconds: 0, statuses: {}, errors: 0 };
let next = 0;

function attempt(agent: Agent, n: number): Promise<void> {
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
          report.statuses[res.statusCode!] = (report.statuses[res.statusCode!] ?? 0) + 1;
          resolve();
        });
      },
    );
    req.on('error', () => {
      report.errors++;
      resolve();
    });
    req.end(body);
  });
}

const started = performance.now();
const deadline = started + seconds * 1000;
async function worker(): Promise<void> {
  while (performance.now() < deadline) {
    const n = next++;
    const due = started + (n * 1000) / rate - performance.now();
    if (due > 0) await new Promise((r) => setTimeout(r, due));
    report.requests++;
    await attempt(agents[n % agents.length]!, n);
  }
}
await Promise.all(Array.from({ length: Number(concurrencyArg) }, worker));
report.seconds = (performance.now() - started) / 1000;
for (const agent of agents) agent.destroy();
console.log(JSON.stringify(report));

// The benchmarks' options: whole numbers given as `--name N` after the benchmark's name, checked.
import { parseArgs } from 'node:util';

/** An option's allowed range, both ends included. */
type Range = readonly [min: number, max: number];

const flagOf = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `--kebab-name N` for each camelCase key of `defaults`, each checked against its range. */
function wholeNumberOptions<K extends string>(defaults: Record<K, number>, ranges: Record<K, Range>): Record<K, number> {
  const keys = Object.keys(defaults) as K[];
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: Object.fromEntries(keys.map((key) => [flagOf(key), { type: 'string', default: String(defaults[key]) }])),
  });
  const parsed = {} as Record<K, number>;
  for (const key of keys) {
    const value = Number(values[flagOf(key)]);
    const [min, max] = ranges[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${flagOf(key)}: a whole number from ${min}${max === Infinity ? '' : ` to ${max}`}`);
    }
    parsed[key] = value;
  }
  return parsed;
}

export interface CameraBenchOptions {
  cameras: number;
  seconds: number;
}

/** `--cameras N --seconds S`: the camera benchmarks' options. */
export function cameraBenchOptions(defaults: CameraBenchOptions, maxCameras: number): CameraBenchOptions {
  return wholeNumberOptions(defaults, { cameras: [1, maxCameras], seconds: [5, Infinity] });
}

export interface AuthBenchOptions {
  /** The owner's logins in each phase (calm, flood, calm again). */
  logins: number;
  /** How long each phase lasts: the logins are spread evenly over it. */
  seconds: number;
  /** Guesses per second the attacker aims for. */
  attackRate: number;
  /** Loopback addresses the guesses come from, in turn. */
  addresses: number;
  /** Guesses in flight at once, at most. */
  concurrency: number;
  /** How long the attacker may take to reach its full rate before the flood's window opens anyway. */
  rampSeconds: number;
}

export const AUTH_BENCH_DEFAULTS: AuthBenchOptions = {
  logins: 200,
  seconds: 50,
  // The target is 1,000/s or more; the attacker shares this machine's cores, so it aims a little above and no higher.
  attackRate: 1200,
  addresses: 500,
  concurrency: 64,
  rampSeconds: 30,
};

/** `--logins N --seconds S --attack-rate R --addresses A --concurrency C --ramp-seconds T`. */
export function authBenchOptions(): AuthBenchOptions {
  return wholeNumberOptions(AUTH_BENCH_DEFAULTS, {
    logins: [1, 100_000],
    seconds: [1, 3600],
    attackRate: [1, 100_000],
    // 127.1.0.0 to 127.1.255.255: the attacker's addresses, apart from the owner's 127.0.0.1.
    addresses: [1, 65_536],
    concurrency: [1, 1024],
    rampSeconds: [1, 600],
  });
}

export interface CloudBenchOptions {
  /** How long each login phase (one instance, three behind nginx) lasts. */
  seconds: number;
  /** Logins in flight at once, each client on an account and a loopback address (127.0.1.N) of its own. */
  concurrency: number;
  /** Idle WebSocket connections held open at once. */
  connections: number;
  /** Real recorders (`vigil recorder --cloud`) bound to one account for the online remote reset. */
  recorders: number;
  /** Online remote resets asked, one after the other, of each instance measured. */
  resets: number;
}

export const CLOUD_BENCH_DEFAULTS: CloudBenchOptions = { seconds: 15, concurrency: 16, connections: 2000, recorders: 3, resets: 200 };

/** `--seconds S --concurrency C --connections N --recorders R --resets M`. */
export function cloudBenchOptions(): CloudBenchOptions {
  return wholeNumberOptions(CLOUD_BENCH_DEFAULTS, {
    seconds: [1, 3600],
    concurrency: [1, 250],
    connections: [1, 8000],
    recorders: [1, 32],
    resets: [1, 100_000],
  });
}

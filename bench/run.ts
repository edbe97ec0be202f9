// `npm run bench -- <name>`: runs one benchmark from the built tree (npm run build first).
import { runAuthBenchmark } from './auth.js';

const BENCHMARKS: Record<string, () => Promise<void>> = {
  auth: runAuthBenchmark,
};

const name = process.argv[2];
const bench = name === undefined ? undefined : BENCHMARKS[name];
if (!bench) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}>`);
  process.exit(2);
}
await bench();

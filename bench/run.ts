// `npm run bench -- <name> [options]`: runs one benchmark from the built tree (npm run build first).
import { runAuthBenchmark } from './auth.js';
import { runCamerasBenchmark } from './cameras.js';
import { runCloudBenchmark } from './cloud.js';
import { runLiveLatencyBenchmark } from './live-latency.js';
import { runRecordBenchmark } from './record.js';

const BENCHMARKS: Record<string, () => Promise<void>> = {
  auth: runAuthBenchmark,
  cameras: runCamerasBenchmark,
  cloud: runCloudBenchmark,
  'live-latency': runLiveLatencyBenchmark,
  record: runRecordBenchmark,
};

const name = process.argv[2];
const bench = name === undefined ? undefined : BENCHMARKS[name];
if (!bench) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}>`);
  process.exit(2);
}
await bench();

// A recorder that dies: records a looped Annex B H.264 clip into DATA until `frames` frames are
// pushed, says so on stdout, then waits to be killed (the test sends SIGKILL). Runs the built code
// (dist/), as the daemon would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, dataDir, clipFile, framesArg] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(join(root, 'dist', 'src', path)).href);
const { openDatabase } = await load('recorder/db/store.js');
const { createRecordingsStore } = await load('recorder/db/recordings-store.js');
const { dataPaths } = await load('recorder/device/data-dir.js');
const { groupFrames, splitAnnexB } = await load('media/codec/annex-b.js');
const { inBandParameterSets } = await load('media/codec/track-config.js');
const { SegmentWriter } = await load('recorder/media/recording/segment-writer.js');
const { ManualClock } = await load('shared/clock.js');

const paths = dataPaths(dataDir);
const store = createRecordingsStore(openDatabase(paths.database));
const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
const writer = new SegmentWriter({ cameraId: 1, footageDir: paths.footage, store, clock, syncIntervalMs: 5000 });
const frames = groupFrames('h264', splitAnnexB(readFileSync(clipFile)));
const params = inBandParameterSets('h264', frames[0].nalus);
const start = clock.now();
for (let i = 0; i < Number(framesArg); i++) {
  const frame = frames[i % frames.length];
  clock.advance(0.04);
  await writer.push({ codec: 'h264', nalus: frame.nalus, keyframe: frame.keyframe, pts90k: i * 3600, receivedAt: start + i * 40 }, params);
}
console.log('mid-segment');
setInterval(() => {}, 1 << 30);

import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRecordingsStore } from '../../../../src/recorder/db/recordings-store.js';
import { openDatabase } from '../../../../src/recorder/db/store.js';
import type { Frame } from '../../../../src/media/codec/annex-b.js';
import { checkRecordings, recoverOpenSegments } from '../../../../src/recorder/media/recording/check.js';
import { packageRoot } from '../../../../src/shared/package-info.js';
import { CLI, runVigil } from '../../../helpers/cli.js';
import { accessUnits, annexBClip, clipFrames, decodeErrors, parameterSetsOf, probeVideo, SMALL_CLIP } from '../../../helpers/clips.js';
import { recordingFixture } from './recording-fixture.js';

let clipFile: string;
let frames: Frame[];
beforeAll(async () => {
  clipFile = await annexBClip('h264', SMALL_CLIP);
  frames = await clipFrames('h264', SMALL_CLIP);
});

let f: ReturnType<typeof recordingFixture>;
beforeEach(() => {
  f = recordingFixture();
});
afterEach(() => f.cleanup());

async function recordSegments(count: number) {
  const writer = f.writer();
  await f.feed(writer, accessUnits('h264', frames, { count }), parameterSetsOf('h264', frames));
  await writer.close();
  return f.store.listAll();
}

describe('check against a recorder killed mid-segment (SIGKILL)', () => {
  it('extends the row over what was written, and every segment decodes', async () => {
    expect(existsSync(CLI), 'build first: npx tsc -p .').toBe(true);
    f.db.close(); // the child owns the database while it runs, as the daemon would
    const child = spawn(process.execPath, [join(import.meta.dirname, 'crash-writer.mjs'), packageRoot(), f.root, clipFile, String(25 * 67 + 12)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('mid-segment')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`writer exited with ${code} before it was killed`)));
    });
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const db = openDatabase(f.paths.database);
    const store = createRecordingsStore(db);
    const [done, killed] = store.listAll();
    expect(done).toMatchObject({ open: false, frames: 60 * 25 });
    expect(killed!.open).toBe(true);
    const fileLength = statSync(f.file(killed!.path)).size;
    expect(killed!.bytes).toBeLessThan(fileLength); // the row lags by up to a sync interval
    db.close();

    const found = runVigil(['recorder', 'check', '--data', f.root]);
    expect(found.status).toBe(1);
    expect(found.stdout).toContain('NOT repaired  row-differs-from-file');
    const repaired = runVigil(['recorder', 'check', '--data', f.root, '--repair']);
    expect(repaired.status, repaired.stdout + repaired.stderr).toBe(0);
    expect(repaired.stdout).toMatch(/1 problem\(s\), 1 repaired/);
    const again = runVigil(['recorder', 'check', '--data', f.root]);
    expect(again.stdout).toContain('Index and footage agree.');
    expect(again.status).toBe(0);

    const after = openDatabase(f.paths.database);
    const rows = createRecordingsStore(after).listAll();
    after.close();
    expect(rows[1]).toMatchObject({ open: false, bytes: fileLength, startMs: done!.endMs });
    // Lost: only the fragment that was still in memory (frames after 67 s).
    expect(rows[1]!.frames).toBeGreaterThanOrEqual(7 * 25);
    expect(rows[1]!.frames).toBeLessThanOrEqual(7 * 25 + 12);
    for (const row of rows) {
      expect(decodeErrors(f.file(row.path))).toBe('');
      expect(probeVideo(f.file(row.path)).nb_read_frames).toBe(String(row.frames));
    }
  });
});

describe('recovery of open segments at the daemon start', () => {
  it('closes a segment a stopped writer left open, bringing its row up to the file; closed ones are not touched', async () => {
    await recordSegments(25 * 3);
    const abandoned = f.writer({ syncIntervalMs: 60_000 });
    await f.feed(abandoned, accessUnits('h264', frames, { count: 25 * 4, startMs: Date.UTC(2026, 0, 1, 13) }), parameterSetsOf('h264', frames));
    const [closed, open] = f.store.listAll();
    expect(open).toMatchObject({ open: true, frames: 0 });

    const problems = await recoverOpenSegments(f.paths.footage, f.store);
    expect(problems.map((p) => [p.kind, p.path, p.repaired])).toEqual([['row-differs-from-file', open!.path, true]]);
    expect(f.store.listAll()).toEqual([closed, { ...open, open: false, frames: 75, duration90k: 75 * 3600, endMs: open!.startMs + 3000, bytes: statSync(f.file(open!.path)).size, keyframes: expect.any(Array) }]);
    expect(await recoverOpenSegments(f.paths.footage, f.store)).toEqual([]);
  });
});

describe('check and repair', () => {
  it('truncates a torn last fragment and fixes the row', async () => {
    const [row] = await recordSegments(75);
    const file = f.file(row!.path);
    const whole = readFileSync(file);
    const lastFragment = row!.keyframes[row!.keyframes.length - 1]!.offset;
    // A power cut kept half of the last fragment's bytes.
    truncateSync(file, lastFragment + Math.floor((whole.length - lastFragment) / 2));

    const report = await checkRecordings(f.paths.footage, f.store, { repair: true });
    expect(report.problems.map((p) => [p.kind, p.repaired])).toEqual([
      ['torn-fragment', true],
      ['row-differs-from-file', true],
    ]);
    expect(statSync(file).size).toBe(lastFragment);
    expect(f.store.listAll()[0]).toMatchObject({ bytes: lastFragment, frames: 50, duration90k: 50 * 3600 });
    expect(decodeErrors(file)).toBe('');
    expect((await checkRecordings(f.paths.footage, f.store, { repair: true })).problems).toEqual([]);
  });

  it('rebuilds the row of a file the index does not know, as the writer had it', async () => {
    const [row] = await recordSegments(60);
    f.store.delete(row!.id);
    const report = await checkRecordings(f.paths.footage, f.store, { repair: true });
    expect(report.problems.map((p) => p.kind)).toEqual(['file-without-row']);
    const { id: _old, ...written } = row!;
    const { id: _new, ...rebuilt } = f.store.listAll()[0]!;
    expect(rebuilt).toEqual(written);
  });

  it('removes the row of a missing file, and an empty file left by a crash at creation', async () => {
    const [row] = await recordSegments(30);
    unlinkSync(f.file(row!.path));
    const leftover = f.file(`7/2026-01-01/${row!.startMs + 99_000}.mp4`);
    appendFileSync(leftover, Buffer.alloc(0));
    const report = await checkRecordings(f.paths.footage, f.store, { repair: false });
    expect(report.problems.map((p) => [p.kind, p.repaired])).toEqual([
      ['row-without-file', false],
      ['empty-segment', false],
    ]);
    expect(f.store.listAll()).toHaveLength(1);
    await checkRecordings(f.paths.footage, f.store, { repair: true });
    expect(f.store.listAll()).toEqual([]);
    expect(existsSync(leftover)).toBe(false);
  });

  it('leaves a file it cannot read alone and exits 1 even with --repair', async () => {
    await recordSegments(30);
    const stranger = f.file(`7/2026-01-01/${Date.UTC(2026, 0, 1, 13)}.mp4`);
    writeFileSync(stranger, Buffer.alloc(10_000, 7));
    f.db.close();
    const run = spawnSync(process.execPath, [CLI, 'recorder', 'check', '--data', f.root, '--repair'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('NOT repaired  unreadable-file');
    expect(existsSync(stranger)).toBe(true);
  });
});

// The periodic retention pass on real footage, a real index and a real audit log, on manual timers.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuditLog, createAuditLog } from '../../../../src/recorder/audit/audit-log.js';
import type { Frame } from '../../../../src/media/codec/annex-b.js';
import { RETENTION_INTERVAL_MS, type RetentionSettings, startRetention } from '../../../../src/recorder/media/recording/retention-schedule.js';
import { diskBudgetBytes, parseByteSize } from '../../../../src/recorder/media/recording/retention-settings.js';
import { DEFAULT_LIMITS } from '../../../../src/recorder/media/recording/segment-plan.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { ManualTimers } from '../../../helpers/manual-timers.js';
import { accessUnits, clipFrames, parameterSetsOf, SMALL_CLIP } from '../../../helpers/clips.js';
import { recordingFixture } from './recording-fixture.js';

const GIB = 1024 ** 3;
const DAY_S = 86_400;

describe('sizes and the disk budget', () => {
  it('reads sizes as df -h writes them', () => {
    expect(parseByteSize('500M')).toBe(500 * 1024 ** 2);
    expect(parseByteSize('50G')).toBe(50 * GIB);
    expect(parseByteSize('1.5T')).toBe(1.5 * 1024 ** 4);
    expect(parseByteSize('4096')).toBe(4096);
    expect(parseByteSize('2GiB')).toBe(2 * GIB);
    for (const bad of ['', 'G', '-1G', '10X', '0']) expect(() => parseByteSize(bad), bad).toThrow();
  });

  it('keeps 5% of the disk free, at least 1 GiB, counting what the footage already takes', () => {
    expect(diskBudgetBytes(10 * GIB, { freeBytes: 100 * GIB, totalBytes: 1000 * GIB })).toBe(60 * GIB);
    expect(diskBudgetBytes(0, { freeBytes: 10 * GIB, totalBytes: 8 * GIB })).toBe(9 * GIB);
    expect(diskBudgetBytes(GIB, { freeBytes: 0, totalBytes: 100 * GIB })).toBe(0);
  });
});

describe('the retention schedule', () => {
  let frames: Frame[];
  beforeAll(async () => {
    frames = await clipFrames('h264', SMALL_CLIP);
  });

  let f: ReturnType<typeof recordingFixture>;
  let audit: AuditLog;
  let timers: ManualTimers;
  let logs: string[];
  beforeEach(() => {
    f = recordingFixture();
    audit = createAuditLog(f.db, randomBytes(32), f.clock);
    timers = new ManualTimers(f.clock);
    logs = [];
  });
  afterEach(() => f.cleanup());

  /** Four closed segments of 5 s each, oldest first. */
  async function fourSegments() {
    const writer = f.writer({ limits: { ...DEFAULT_LIMITS, segment90k: 5 * 90_000 } });
    await f.feed(writer, accessUnits('h264', frames, { count: 20 * 25 }), parameterSetsOf('h264', frames));
    await writer.close();
    const segments = f.store.listAll();
    expect(segments).toHaveLength(4);
    return segments;
  }

  function start(settings: RetentionSettings) {
    const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => (logs.push(chunk.toString()), done()) });
    return startRetention(settings, {
      footageDir: f.paths.footage,
      store: f.store,
      clock: f.clock,
      timers,
      logger: createLogger({ destination }),
      audit,
      // A big, empty disk: only the configured limits decide.
      diskSpace: async () => ({ freeBytes: 1000 * GIB, totalBytes: 2000 * GIB }),
    });
  }

  const retentionEntries = () => audit.query({ type: 'recordings.deleted_by_retention' });

  it('at start, over a small quota: the oldest segments go, the newest stay, and it is logged and audited', async () => {
    const before = await fourSegments();
    const schedule = start({ quotaBytes: before[2]!.bytes + before[3]!.bytes });
    await schedule.settled();
    await schedule.stop();

    expect(f.store.listAll().map((s) => s.id)).toEqual([before[2]!.id, before[3]!.id]);
    expect(existsSync(f.file(before[0]!.path))).toBe(false);
    expect(existsSync(f.file(before[3]!.path))).toBe(true);
    const [entry] = retentionEntries();
    expect(entry).toMatchObject({ actorUsername: 'system', actorUserId: null, outcome: 'success' });
    expect(JSON.parse(entry!.details)).toMatchObject({
      segments: 2,
      bytes: before[0]!.bytes + before[1]!.bytes,
      oldestKept: new Date(before[2]!.startMs).toISOString(),
    });
    expect(logs.join('')).toContain('"event":"retention_deleted"');
  });

  it('every minute: once the clock is past the age limit, the old segments go', async () => {
    const before = await fourSegments();
    const schedule = start({ maxAgeDays: 1 });
    await schedule.settled();
    expect(f.store.listAll()).toHaveLength(4); // all younger than a day
    expect(retentionEntries()).toEqual([]);

    // A minute later or more, at the moment the first segment (and only it) is more than a day old.
    const firstAged = before[1]!.endMs + DAY_S * 1000 - 1000;
    f.clock.advance((firstAged - f.clock.now()) / 1000);
    await timers.advance(0);
    await schedule.settled();
    expect(f.store.listAll().map((s) => s.id)).toEqual(before.slice(1).map((s) => s.id));

    f.clock.advance(DAY_S);
    await timers.advance(0);
    await schedule.stop();
    expect(f.store.listAll()).toEqual([]);
    expect(retentionEntries().map((e) => (JSON.parse(e.details) as { segments: number }).segments)).toEqual([3, 1]); // newest first
    expect(logs.join('')).not.toContain('retention pass failed');
  });
});

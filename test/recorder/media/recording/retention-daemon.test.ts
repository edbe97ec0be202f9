// The retention options through the real CLI: a daemon started with a tiny --footage-quota deletes
// the footage an earlier run recorded, in its pass at start, and audits it.
import { afterEach, expect, it } from 'vitest';
import { createAuditLog } from '../../../../src/recorder/audit/audit-log.js';
import { readAuditKey } from '../../../../src/recorder/audit/audit-key.js';
import { openDatabase } from '../../../../src/recorder/db/store.js';
import { dataPaths } from '../../../../src/recorder/device/data-dir.js';
import { systemClock } from '../../../../src/shared/clock.js';
import { type GstCamera, startGstCamera } from '../../../helpers/rtsp-camera.js';
import { adminOf, type DaemonDir, type DaemonProcess, initDaemonDir, startDaemon, until } from '../daemon-process.js';

let dir: DaemonDir | undefined;
let daemon: DaemonProcess | undefined;
let gst: GstCamera | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  await gst?.stop();
  dir?.cleanup();
  daemon = dir = gst = undefined;
});

function retentionAudit(dataDir: string) {
  const paths = dataPaths(dataDir);
  const db = openDatabase(paths.database);
  try {
    return createAuditLog(db, readAuditKey(paths.auditKey), systemClock).query({ type: 'recordings.deleted_by_retention' });
  } finally {
    db.close();
  }
}

it('--footage-quota: the pass at start deletes the oldest footage down to the quota, audited as the system', async () => {
  dir = initDaemonDir();
  daemon = await startDaemon(dir.dataDir);
  const admin = await adminOf(daemon, dir.labelCode);
  gst = await startGstCamera({ codec: 'h264', transport: 'tcp' });
  const added = await admin.post('/api/v1/cameras', { name: 'Yard', url: gst.url, transport: 'tcp' });
  expect(added.status).toBe(201);
  await until(() => dir!.read().recordings.some((r) => r.frames >= 50), '2 s of video');
  await daemon.stop(); // the segment is closed: retention may delete it
  await gst.stop();
  gst = undefined;
  const recorded = dir.read().recordings;
  expect(recorded.length).toBeGreaterThan(0);
  expect(retentionAudit(dir.dataDir)).toEqual([]); // no quota, an empty disk: nothing went

  daemon = await startDaemon(dir.dataDir, ['--footage-quota', '1']);
  // The pass deletes the rows, then audits: waiting for the rows alone raced the audit entry.
  const [entry] = await until(() => {
    const entries = retentionAudit(dir!.dataDir);
    return entries.length > 0 && entries;
  }, 'the pass at start to delete the footage and audit it');
  expect(dir.read().recordings).toEqual([]);
  expect(entry).toMatchObject({ actorUsername: 'system' });
  expect(JSON.parse(entry!.details)).toMatchObject({ segments: recorded.length, bytes: recorded.reduce((sum, r) => sum + r.bytes, 0), oldestKept: null, quotaBytes: 1 });
}, 90_000);

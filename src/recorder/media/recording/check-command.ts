import { existsSync } from 'node:fs';
import { openDatabase } from '../../db/store.js';
import { createRecordingsStore } from '../../db/recordings-store.js';
import { DataDirBusyError, lockDataDir, type DataDirLock } from '../../device/data-dir-lock.js';
import { dataPaths } from '../../device/data-dir.js';
import { checkRecordings, type CheckReport } from './check.js';

/**
 * `vigil recorder check`: runs the check on a data directory and prints it; returns the exit code
 * (0 all well, 1 a problem left unrepaired, 2 not checked: no recorder there, or it is running).
 */
export async function runRecordingsCheck(dataDir: string, options: { repair: boolean }): Promise<number> {
  const paths = dataPaths(dataDir);
  if (!existsSync(paths.database)) {
    console.error(`${dataDir} holds no recorder database: give the --data directory of a recorder.`);
    return 2;
  }
  let lock: DataDirLock;
  try {
    // Held throughout, so that a recorder starting meanwhile is refused too.
    lock = lockDataDir(dataDir);
  } catch (error) {
    if (!(error instanceof DataDirBusyError)) throw error;
    console.error(error.message);
    return 2;
  }
  const db = openDatabase(paths.database);
  try {
    const report = await checkRecordings(paths.footage, createRecordingsStore(db), options);
    for (const line of describeReport(report, options.repair)) console.log(line);
    return report.problems.some((p) => !p.repaired) ? 1 : 0;
  } finally {
    db.close();
    lock.release();
  }
}

function describeReport(report: CheckReport, repair: boolean): string[] {
  const lines = [`Checked ${report.rows} index rows and ${report.files} segment files.`];
  if (report.problems.length === 0) return [...lines, 'Index and footage agree.'];
  for (const p of report.problems) lines.push(`  ${p.repaired ? 'repaired' : 'NOT repaired'}  ${p.kind}  ${p.path}: ${p.detail}`);
  const repaired = report.problems.filter((p) => p.repaired).length;
  lines.push(`${report.problems.length} problem(s), ${repaired} repaired.`);
  if (!repair) lines.push('Run again with --repair (recorder stopped) to fix them.');
  return lines;
}

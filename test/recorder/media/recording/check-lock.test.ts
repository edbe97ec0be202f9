// `recorder check` and a second recorder against the data directory of a running recorder process.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../../../src/recorder/device/data-dir.js';
import { runVigil } from '../../../helpers/cli.js';
import { initDaemonDir, startDaemon, type DaemonDir, type DaemonProcess } from '../daemon-process.js';

let dir: DaemonDir | undefined;
let daemon: DaemonProcess | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  daemon = undefined;
  dir?.cleanup();
  dir = undefined;
});

describe('one process at a time on a data directory', () => {
  it('check and a second recorder are refused while the recorder runs; check runs once it stopped', async () => {
    dir = initDaemonDir();
    daemon = await startDaemon(dir.dataDir);
    const lockFile = dataPaths(dir.dataDir).lock;
    expect(readFileSync(lockFile, 'utf8')).toBe(`${daemon.child.pid}\n`);

    const refused = runVigil(['recorder', 'check', '--data', dir.dataDir, '--repair']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`The recorder is running on ${dir.dataDir} (pid ${daemon.child.pid}): stop it first.`);
    expect(refused.stdout).toBe(''); // it did not check, let alone repair

    const second = runVigil(['recorder', '--data', dir.dataDir, '--listen', '127.0.0.1:0']);
    expect(second.status).not.toBe(0);
    expect(second.stderr).toContain(`The recorder is running on ${dir.dataDir} (pid ${daemon.child.pid})`);
    expect(readFileSync(lockFile, 'utf8')).toBe(`${daemon.child.pid}\n`);

    await daemon.stop('SIGTERM');
    expect(existsSync(lockFile)).toBe(false);
    const checked = runVigil(['recorder', 'check', '--data', dir.dataDir]);
    expect(checked.stdout).toContain('Index and footage agree.');
    expect(checked.status).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('a recorder killed with SIGKILL leaves a stale lock that the next recorder, and check, take over', async () => {
    dir = initDaemonDir();
    const lockFile = dataPaths(dir.dataDir).lock;
    const first = await startDaemon(dir.dataDir);
    await first.stop('SIGKILL');
    expect(readFileSync(lockFile, 'utf8')).toBe(`${first.child.pid}\n`);

    daemon = await startDaemon(dir.dataDir);
    expect(readFileSync(lockFile, 'utf8')).toBe(`${daemon.child.pid}\n`);
    await daemon.stop('SIGKILL');
    expect(readFileSync(lockFile, 'utf8')).toBe(`${daemon.child.pid}\n`);

    const checked = runVigil(['recorder', 'check', '--data', dir.dataDir]);
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toContain('Index and footage agree.');
    expect(existsSync(lockFile)).toBe(false);
  });
});

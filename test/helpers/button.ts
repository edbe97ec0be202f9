import { spawn } from 'node:child_process';
import { CLI } from './cli.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `vigil <args>` without blocking this process: the recorder under test runs in this process
 * and must answer the button socket while the command waits (runVigil's spawnSync would deadlock).
 */
export function runVigilAsync(args: string[], as?: { uid: number; gid: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...as });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `vigil recorder button --data DIR --press short|long`, the way an owner would run it on the recorder. */
export const pressButton = (dataDir: string, press: 'short' | 'long', as?: { uid: number; gid: number }) =>
  runVigilAsync(['recorder', 'button', '--data', dataDir, '--press', press], as);

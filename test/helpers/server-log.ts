import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * Resolves once a server started by a test has written `ready` to `log` (its stdout or stderr),
 * then keeps reading the log so the pipe never fills. If the server exits first, its temporary
 * directory `dir` is deleted and the promise rejects with what it logged.
 */
export async function serverReady(server: ChildProcess, log: Readable, ready: string, dir: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      let text = '';
      const onExit = (code: number | null) => reject(new Error(`${server.spawnfile} exited (${code}) before it was ready:\n${text}`));
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        if (!text.includes(ready)) return;
        server.off('exit', onExit);
        log.off('data', onData).resume();
        resolve();
      };
      server.once('exit', onExit);
      log.on('data', onData);
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

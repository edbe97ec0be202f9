import { chmodSync, existsSync, rmSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../shared/logger.js';
import type { ButtonAnswer, ButtonPress } from '../recovery/reset-button.js';

/**
 * The board's reset button, simulated: a Unix socket in the data directory (mode 0600, so only the
 * recorder's own user can "press" it). One JSON line in (`{"press":"short"}`), one JSON line out.
 */

/** A request line is tiny; anything longer is not a button. */
const MAX_LINE_BYTES = 256;

/** Pure: the press a request line asks for, or undefined. */
export function parsePressLine(line: string): ButtonPress | undefined {
  try {
    const message: unknown = JSON.parse(line);
    if (typeof message !== 'object' || message === null || Object.keys(message).length !== 1) return undefined;
    const press = (message as { press?: unknown }).press;
    return press === 'short' || press === 'long' ? press : undefined;
  } catch {
    return undefined;
  }
}

export interface ButtonSocket {
  close(): Promise<void>;
}

/** True if a daemon answers on `path` (then it is not stale and must not be removed). */
function someoneListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => (probe.destroy(), resolve(true)));
    probe.once('error', () => resolve(false));
  });
}

export async function startButtonSocket(path: string, onPress: (press: ButtonPress) => ButtonAnswer, logger: Logger): Promise<ButtonSocket> {
  if (existsSync(path)) {
    if (await someoneListens(path)) throw new Error(`another recorder is running on this data directory (${path} answers)`);
    unlinkSync(path); // left by a recorder that did not stop cleanly
  }

  function serve(socket: Socket): void {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end === -1 && buffered.length <= MAX_LINE_BYTES) return;
      socket.removeAllListeners('data');
      const press = end === -1 ? undefined : parsePressLine(buffered.slice(0, end));
      let answer: ButtonAnswer;
      if (press === undefined) {
        answer = { ok: false, error: 'Send one line: {"press":"short"} or {"press":"long"}.' };
      } else {
        try {
          answer = onPress(press);
        } catch (error) {
          logger.error({ err: error, press }, 'the reset button press failed');
          answer = { ok: false, error: 'The recorder could not act on the press; see its log.' };
        }
      }
      socket.end(`${JSON.stringify(answer)}\n`);
    });
  }

  const server: Server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The data directory is 0700 already; the socket itself is 0600 as well, whatever the umask.
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          // Node removes the socket file itself; this covers a close that did not.
          rmSync(path, { force: true });
          resolve();
        });
      }),
  };
}

import { createConnection } from 'node:net';
import type { ButtonAnswer, ButtonPress } from '../recovery/reset-button.js';

export class ButtonUnavailableError extends Error {
  constructor(
    readonly reason: 'no_daemon' | 'permission_denied',
    message: string,
  ) {
    super(message);
  }
}

/** Presses the button of the recorder whose socket is at `socketPath` and answers what the daemon said. */
export function sendButtonPress(socketPath: string, press: ButtonPress): Promise<ButtonAnswer> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify({ press })}\n`));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => {
      try {
        resolve(JSON.parse(answer) as ButtonAnswer);
      } catch {
        reject(new Error(`the recorder answered something that is not a button answer: ${answer.slice(0, 200)}`));
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') {
        reject(new ButtonUnavailableError('no_daemon', `no recorder answers on ${socketPath}`));
      } else if (error.code === 'EACCES' || error.code === 'EPERM') {
        reject(new ButtonUnavailableError('permission_denied', `permission denied on ${socketPath}`));
      } else {
        reject(error);
      }
    });
  });
}

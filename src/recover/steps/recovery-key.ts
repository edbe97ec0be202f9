import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { RECOVERY_KEY_FILE_MAX_LENGTH } from '../../recorder/api/recovery-key-file.js';
import type { ResetGrant, Terminal, TerminalRecoveryStep } from '../types.js';
import { refusalMessage, successBody } from '../client.js';

/** The file's text, or undefined (said why) when it cannot be read or cannot be a key file. */
async function readKeyFile(terminal: Terminal, typedPath: string): Promise<string | undefined> {
  const path = typedPath.trim().replace(/^~(?=\/|$)/, homedir());
  try {
    // A key file is a few hundred bytes: do not read a disk image someone chose by mistake.
    if ((await stat(path)).size > RECOVERY_KEY_FILE_MAX_LENGTH) {
      terminal.say(`${path} is too big to be a recovery key file.`);
      return undefined;
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    terminal.say(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
    return undefined;
  }
}

/** Import the recovery key file from a path; the file names its account. */
export const recoveryKeyStep: TerminalRecoveryStep = {
  title: 'Use your recovery key file',
  needs: 'The recovery key file you downloaded and kept (for example on a USB stick).',
  async run(terminal, client) {
    for (;;) {
      const file = await readKeyFile(terminal, await terminal.ask('Path to your recovery key file (vigil-recovery-key-….txt)'));
      if (file !== undefined) {
        const answer = await client.post('/api/v1/recovery/key/verify', { file });
        const grant = successBody<ResetGrant>(answer, 201);
        if (grant) return grant;
        terminal.say(refusalMessage(answer));
        if (answer.status === 429) return null;
      }
      if ((await terminal.choose('What now?', ['Try another file', 'Back to the recovery methods'])) === 1) return null;
    }
  },
};

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SupportResetRequest } from '../../recorder/api/vendor-support.js';
import { errorCode, refusalMessage, successBody } from '../client.js';
import type { RecorderClient, ResetGrant, Terminal, TerminalRecoveryStep } from '../types.js';

/** Asks the recorder for a signed request and saves it where the person says; false if that failed. */
async function saveRequest(terminal: Terminal, client: RecorderClient, username: string): Promise<boolean> {
  const made = await client.post('/api/v1/recovery/support/request', { username });
  const request = successBody<SupportResetRequest>(made, 200);
  if (!request) {
    terminal.say(refusalMessage(made));
    return false;
  }
  const text = `${JSON.stringify(request, null, 2)}\n`;
  for (;;) {
    const path = await terminal.ask('Save the reset request to which file?', { default: `vigil-reset-request-${request.serial}.json` });
    try {
      // 'wx': never overwrite a file the person may still need (an earlier request, a response).
      writeFileSync(resolve(path), text, { flag: 'wx' });
      terminal.say(`Saved the reset request to ${resolve(path)}.`);
      terminal.say("Send it to the vendor's support with your proof of purchase. Their response works once, within 48 hours of now.");
      return true;
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists already' : (error as Error).message;
      terminal.say(`Could not write ${resolve(path)}: ${reason}. Choose another file.`);
    }
  }
}

/** Reads the response file and hands it to the recorder until one is accepted, or the person goes back. */
async function importResponse(terminal: Terminal, client: RecorderClient): Promise<ResetGrant | null> {
  for (;;) {
    const path = await terminal.ask('Path of the response file from support (leave empty to go back):');
    if (path.trim() === '') return null;
    let file: string;
    try {
      file = readFileSync(resolve(path.trim()), 'utf8');
    } catch {
      terminal.say(`Cannot read ${resolve(path.trim())}. Check the path.`);
      continue;
    }
    const answer = await client.post('/api/v1/recovery/support/verify', { file });
    const grant = successBody<ResetGrant>(answer, 201);
    if (grant) return grant;
    terminal.say(refusalMessage(answer));
    if (errorCode(answer) === 'vendor_support_not_set_up') return null; // another file will not help
  }
}

/**
 * Vendor support in the terminal: the recorder signs a reset request, the person sends it to
 * support, and support's response file lets them choose a new password. Support may take a while:
 * someone who already has a response skips straight to importing it.
 */
export const vendorSupportStep: TerminalRecoveryStep = {
  title: 'Vendor support',
  needs: "The vendor's support desk, who check that you own the recorder and send back a response file (it works for 48 hours).",
  async run(terminal, client, username) {
    terminal.say('1. The recorder writes a reset request for your account, signed by the device.');
    terminal.say("2. You send that file to the vendor's support; they check that the recorder is yours and send a response file.");
    terminal.say('3. You give the response file to the recorder (within 48 hours of the request) and choose a new password.');
    const start = await terminal.choose('Where are you?', ['Make a new reset request', 'I have a response file from support', 'Go back']);
    if (start === 2) return null;
    if (start === 0 && !(await saveRequest(terminal, client, username))) return null;
    return importResponse(terminal, client);
  },
};

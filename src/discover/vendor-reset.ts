/**
 * The vendor support path from the LAN tool, for an owner who cannot open the recorder's web page:
 * the device writes a reset request signed by its key, support signs a response (`vigil support
 * sign`), the device checks it and grants one password reset. Both files go over the pinned HTTPS
 * API, never over UDP; the recorder's routes and its checks are the ones its web page uses.
 */
import { writeFileSync } from 'node:fs';
import type { ResetGrant } from '../recorder/api/recovery.js';
import type { SupportResetRequest } from '../recorder/api/vendor-support.js';
import { refusalText } from './activate.js';
import type { PinnedClient } from './pinned-https.js';

/** Asks the device for a signed reset request for `username` and writes it to `outFile` (never over a file); returns what to tell. */
export async function saveResetRequest(client: PinnedClient, username: string, outFile: string): Promise<{ ok: boolean; message: string }> {
  const answer = await client.post('/api/v1/recovery/support/request', { username });
  if (answer.status !== 200) return { ok: false, message: refusalText(answer) };
  const request = answer.body as SupportResetRequest;
  try {
    writeFileSync(outFile, `${JSON.stringify(request, null, 2)}\n`, { flag: 'wx' });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists already' : (error as Error).message;
    return { ok: false, message: `Could not write ${outFile}: ${reason}. Give another --out.` };
  }
  return {
    ok: true,
    message: `Saved the reset request for ${request.username} on ${request.serial} to ${outFile}. Send it to the vendor's support with your proof of purchase; their response works once, within 48 hours.`,
  };
}

/** Hands support's response file to the device: the reset grant it answers, or its refusal. */
export async function sendResetResponse(client: PinnedClient, file: string): Promise<{ grant: ResetGrant } | { refusal: string }> {
  const answer = await client.post('/api/v1/recovery/support/verify', { file });
  return answer.status === 201 ? { grant: answer.body as ResetGrant } : { refusal: refusalText(answer) };
}

import type { CloudResetWaiting, OfflineChallengeView } from '../../recorder/api/cloud-reset.js';
import { errorCode, refusalMessage, successBody } from '../client.js';
import { localDeadline } from '../local-time.js';
import type { RecorderClient, ResetGrant, Terminal, TerminalRecoveryStep } from '../types.js';

/** Shows the open challenge as a QR code drawn in text and as the line to type; false if the recorder refused. */
async function showChallenge(terminal: Terminal, client: RecorderClient): Promise<boolean> {
  const answer = await client.post('/api/v1/recovery/cloud/challenge', {});
  const challenge = successBody<OfflineChallengeView>(answer, 200);
  if (!challenge) {
    terminal.say(refusalMessage(answer));
    return false;
  }
  const qr = (await import('qrcode')).default;
  // Half-block characters draw two rows a line; the renderer needs an even margin for that.
  terminal.say(await qr.toString(challenge.qrPayload, { type: 'utf8', errorCorrectionLevel: 'M', margin: 2 }));
  terminal.say(`Challenge: ${challenge.text}`);
  terminal.say(`It works until ${localDeadline(challenge.expiresAt)}; ${challenge.triesLeft} wrong codes close it.`);
  return true;
}

/** Waits for the person to come back once the admin's waiting period is over, then trades the claim for the grant. */
async function claimWhenDue(terminal: Terminal, client: RecorderClient, waiting: CloudResetWaiting): Promise<ResetGrant | null> {
  terminal.say(
    `The cloud vouched for you, but this recorder's admin set a waiting period: the reset of ${waiting.username} takes effect at ${localDeadline(waiting.effectiveAt)}. Every address registered for the account was told, and it can be cancelled on the recorder until then.`,
  );
  for (;;) {
    const choice = await terminal.choose('When the time has come:', ['Continue', 'Go back']);
    if (choice === 1) return null;
    const answer = await client.post('/api/v1/recovery/cloud/pending/claim', { claimToken: waiting.claimToken });
    const grant = successBody<ResetGrant>(answer, 201);
    if (grant) return grant;
    terminal.say(refusalMessage(answer));
    if (errorCode(answer) !== 'cloud_reset_waiting') return null;
  }
}

/**
 * The cloud account, for a recorder without internet: it shows a challenge, the owner enters it in
 * the cloud (logged in, with two-step login when the account has it), and types back the response
 * code. Offered only while the recorder is bound to a cloud account.
 */
export const cloudStep: TerminalRecoveryStep = {
  title: 'My cloud account',
  needs: 'A phone or computer with internet where you can log in to the Vigil cloud account this recorder is bound to.',
  async run(terminal, client, username) {
    if (!(await showChallenge(terminal, client))) return null;
    terminal.say('Log in to your cloud account, open this recorder under My devices, choose "Reset without internet" and scan or type the challenge.');
    for (;;) {
      const code = await terminal.ask('Response code from the cloud (leave empty to go back):');
      if (code.trim() === '') return null;
      const answer = await client.post('/api/v1/recovery/cloud/verify', { username, code: code.trim() });
      const grant = successBody<ResetGrant>(answer, 201);
      if (grant) return grant;
      const waiting = successBody<CloudResetWaiting>(answer, 202);
      if (waiting) return claimWhenDue(terminal, client, waiting);
      terminal.say(refusalMessage(answer));
      const refused = errorCode(answer);
      if (refused === 'no_open_cloud_challenge' && !(await showChallenge(terminal, client))) return null;
      if (refused === 'cloud_not_bound') return null;
    }
  },
};

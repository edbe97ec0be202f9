import { offeredLostAccounts } from '../recorder/api/lost-accounts.js';
import { RECOVERY_OFFER_ORDER, type RecoveryMethod } from '../recorder/api/recovery-methods.js';
import type { Device } from '../recorder/api/device.js';
import type { RecoveryReset } from '../recorder/api/recovery.js';
import { localDeadline } from './local-time.js';
import { errorCode, refusalMessage, successBody } from './client.js';
import { TERMINAL_STEPS } from './steps.js';
import type { RecorderClient, ResetGrant, Terminal } from './types.js';

/**
 * `vigil recover`: the browser wizard's flow in a terminal. Which account was lost, then (for the
 * recorder admin) one of the paths this recorder has, strongest first, then a new password. Returns the exit code.
 */
export async function runRecovery(terminal: Terminal, client: RecorderClient): Promise<number> {
  const answer = await client.get('/api/v1/device');
  const device = successBody<Device>(answer, 200);
  if (!device) {
    terminal.say(`The recorder at ${client.url} did not answer as a Vigil recorder: ${refusalMessage(answer)}`);
    return 1;
  }
  terminal.say(`Vigil recorder ${device.model} ${device.serial} at ${client.url}`);
  if (!device.activated) {
    terminal.say('This recorder is not activated yet: it has no password to recover. Open it in a browser and activate it with the label code.');
    return 1;
  }

  // The recorder does not pair with a Vigil Console yet (DESIGN §7, "next"), so that choice is not offered.
  const accounts = offeredLostAccounts({ cloudBound: device.recoveryMethods.cloud, consolePaired: false });
  const lost = accounts[await terminal.choose('Which password did you lose?', accounts.map((a) => a.label))]!;
  if (lost.advice) {
    terminal.say(lost.advice);
    return 0;
  }
  if (lost.followUp) {
    const { question, answers } = lost.followUp;
    terminal.say(answers[await terminal.choose(question, answers.map((a) => a.label))]!.advice);
    return 0;
  }

  const username = await terminal.ask('Admin username', { default: 'admin' });
  const methods = RECOVERY_OFFER_ORDER.filter((m): m is RecoveryMethod => device.recoveryMethods[m] === true && TERMINAL_STEPS[m] !== undefined);
  if (methods.length === 0) {
    terminal.say('This recorder has no recovery path set up. Only a factory reset (hold the reset button) gets you back in, and it erases the recordings.');
    return 1;
  }
  for (;;) {
    const choices = methods.map((m) => `${TERMINAL_STEPS[m]!.title}: ${TERMINAL_STEPS[m]!.needs}`);
    const method = methods[await terminal.choose('How do you want to prove this recorder is yours?', [...choices, 'Quit'])];
    if (method === undefined) return 1;
    const grant = await TERMINAL_STEPS[method]!.run(terminal, client, username);
    if (grant) return chooseNewPassword(terminal, client, grant);
  }
}

/** The last step of every path: a new password for the account the grant names. `vigil discover reset-response` ends with it too. */
export async function chooseNewPassword(terminal: Terminal, client: RecorderClient, grant: ResetGrant): Promise<number> {
  terminal.say(`Accepted. Choose a new password for ${grant.username} before ${localDeadline(grant.expiresAt)}.`);
  const clearTwoFactor =
    grant.mayClearTwoFactor && /^y/i.test(await terminal.ask('Also turn off two-step login (lost authenticator and recovery codes)? y/N', { default: 'n' }));
  for (;;) {
    const password = await terminal.askSecret('New password');
    if ((await terminal.askSecret('The same again')) !== password) {
      terminal.say('The two passwords differ. Try again.');
      continue;
    }
    const answer = await client.post('/api/v1/recovery/reset', { token: grant.token, newPassword: password, clearTwoFactor });
    const reset = successBody<RecoveryReset>(answer, 200);
    if (reset) {
      terminal.say(`Done: the password of ${grant.username} is changed and every session of the account was logged out.`);
      if (reset.twoFactorCleared) terminal.say('Two-step login was turned off: turn it on again once you are in.');
      terminal.say(`Log in at ${client.url} with the new password.`);
      return 0;
    }
    terminal.say(refusalMessage(answer));
    if (errorCode(answer) !== 'password_rejected') return 1;
  }
}

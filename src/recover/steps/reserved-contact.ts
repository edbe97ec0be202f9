import type { ContactChannel } from '../../recorder/api/recovery-methods.js';
import type { CodeRequest } from '../../recorder/api/reserved-contact.js';
import type { SecondFactorFields } from '../../recorder/api/recovery.js';
import { refusalMessage, successBody } from '../client.js';
import type { RecorderClient, ResetGrant, Terminal, TerminalRecoveryStep } from '../types.js';

const TEXT: Record<ContactChannel, { title: string; needs: string; ask: string; where: string }> = {
  email: {
    title: 'Code to my reserved email',
    needs: 'Access to the mailbox you reserved for recovery.',
    ask: 'Reserved email address',
    where: 'address',
  },
  phone: {
    title: 'Code to my reserved phone',
    needs: 'The phone whose number you reserved for recovery.',
    ask: 'Reserved phone number (with the country code, e.g. +49 170 1234567)',
    where: 'number',
  },
};

/** Asks for the authenticator code or a recovery code, as the person chooses. */
async function askSecondFactor(terminal: Terminal): Promise<SecondFactorFields | Record<string, never>> {
  const choice = await terminal.choose('Which second factor do you have?', [
    'None: this account has no two-step login',
    'The code from my authenticator app',
    'One of my recovery codes',
  ]);
  if (choice === 0) return {};
  if (choice === 1) return { totp: (await terminal.askSecret('Authenticator code')).replace(/\s/g, '') };
  return { recoveryCode: (await terminal.askSecret('Recovery code')).trim() };
}

async function runReservedContact(channel: ContactChannel, terminal: Terminal, client: RecorderClient, username: string): Promise<ResetGrant | null> {
  const text = TEXT[channel];
  const address = (await terminal.ask(text.ask)).trim();
  if (address === '') return null;
  const answered = await client.post('/api/v1/recovery/code', { username, channel, address });
  const requested = successBody<CodeRequest>(answered, 202);
  if (!requested) {
    terminal.say(refusalMessage(answered));
    return null;
  }
  const { requestId } = requested;
  terminal.say(`If this is the reserved ${text.where} of ${username}, a code is on its way. It is valid for 15 minutes.`);

  let secondFactor: SecondFactorFields | Record<string, never> = {};
  let code = '';
  for (;;) {
    if (code === '') {
      code = (await terminal.askSecret('Code from the message (empty to go back)')).replace(/\s/g, '');
      if (code === '') return null;
    }
    const answer = await client.post('/api/v1/recovery/code/verify', { requestId, code, ...secondFactor });
    const grant = successBody<ResetGrant>(answer, 201);
    if (grant) return grant;
    terminal.say(refusalMessage(answer));
    if (answer.status === 429 || answer.status === 403) return null;
    // The recorder answers the same whether the code or the second factor was wrong (or it was
    // missing): the code again, and the second factor for an account with two-step login.
    code = '';
    secondFactor = await askSecondFactor(terminal);
  }
}

export const reservedEmailStep: TerminalRecoveryStep = {
  title: TEXT.email.title,
  needs: TEXT.email.needs,
  run: (terminal, client, username) => runReservedContact('email', terminal, client, username),
};

export const reservedPhoneStep: TerminalRecoveryStep = {
  title: TEXT.phone.title,
  needs: TEXT.phone.needs,
  run: (terminal, client, username) => runReservedContact('phone', terminal, client, username),
};

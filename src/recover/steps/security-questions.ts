import type { Questions } from '../../recorder/api/security-questions.js';
import type { ResetGrant, TerminalRecoveryStep } from '../types.js';
import { refusalMessage, successBody } from '../client.js';
import { secondFactorFieldsFor } from './api-answer.js';

/** Answer the three questions, and give the second factor after a refusal if the account has one. */
export const securityQuestionsStep: TerminalRecoveryStep = {
  title: 'Answer your security questions',
  needs: 'The answers to your three questions (from the local network), and your authenticator app or a recovery code if you use two-step login.',
  async run(terminal, client, username) {
    const asked = await client.post('/api/v1/recovery/questions', { username });
    const questions = successBody<Questions>(asked, 200)?.questions;
    if (!questions) {
      terminal.say(refusalMessage(asked));
      return null;
    }
    terminal.say('Capitals, spaces and accents typed differently do not matter. All three answers must be right.');
    // The recorder answers the same whether the answers or the second factor were wrong (or it was
    // missing), so the code is asked for after a refusal, for whoever uses two-step login.
    let withCode = false;
    for (;;) {
      const answers: string[] = [];
      for (const question of questions) answers.push(await terminal.askSecret(question));
      const code = withCode ? await terminal.askSecret('Code from your authenticator app, or a recovery code') : '';
      const answer = await client.post('/api/v1/recovery/questions/verify', { username, answers, ...(code ? secondFactorFieldsFor(code) : {}) });
      const grant = successBody<ResetGrant>(answer, 201);
      if (grant) return grant;
      terminal.say(refusalMessage(answer));
      if (answer.status === 429 || answer.status === 403) return null;
      const next = await terminal.choose('What now?', [
        'Try the answers again',
        'Try the answers again, with a code from my authenticator app or a recovery code (two-step login)',
        'Back to the recovery methods',
      ]);
      if (next === 2) return null;
      withCode = next === 1;
    }
  },
};

import type { Questions } from '../../recorder/api/security-questions.js';
import type { ResetGrant, TerminalRecoveryStep } from '../types.js';
import { errorCode, refusalMessage, successBody } from '../client.js';
import { secondFactorFieldsFor } from './api-answer.js';

/** Answer the three questions; the second factor when the recorder asks for it. */
export const securityQuestionsStep: TerminalRecoveryStep = {
  title: 'Answer your security questions',
  needs: 'The answers to your three questions (from the local network), and your authenticator app or a recovery code if you use two-factor login.',
  async run(terminal, client, username) {
    const asked = await client.post('/api/v1/recovery/questions', { username });
    const questions = successBody<Questions>(asked, 200)?.questions;
    if (!questions) {
      terminal.say(refusalMessage(asked));
      return null;
    }
    terminal.say('Capitals, spaces and accents typed differently do not matter. All three answers must be right.');
    for (;;) {
      const answers: string[] = [];
      for (const question of questions) answers.push(await terminal.askSecret(question));
      let answer = await client.post('/api/v1/recovery/questions/verify', { username, answers });
      if (errorCode(answer) === 'second_factor_required') {
        terminal.say(refusalMessage(answer));
        const code = await terminal.askSecret('Code from your authenticator app, or a recovery code');
        answer = await client.post('/api/v1/recovery/questions/verify', { username, answers, ...secondFactorFieldsFor(code) });
      }
      const grant = successBody<ResetGrant>(answer, 201);
      if (grant) return grant;
      terminal.say(refusalMessage(answer));
      if (answer.status === 429 || answer.status === 403) return null;
      if ((await terminal.choose('What now?', ['Try the answers again', 'Back to the recovery methods'])) === 1) return null;
    }
  },
};

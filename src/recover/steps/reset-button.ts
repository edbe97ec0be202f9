import { refusalMessage, successBody } from '../client.js';
import type { ResetGrant, TerminalRecoveryStep } from '../types.js';

/** The reset button: a short press on the recorder, then the label code from its sticker. */
export const resetButtonStep: TerminalRecoveryStep = {
  title: 'Reset button and label code',
  needs: 'You are at the recorder: press its reset button briefly and type the label code from its sticker.',
  async run(terminal, client, username) {
    terminal.say(
      'Press the reset button on the recorder briefly (or, on the recorder, run: vigil recorder button --data DIR --press short).\n' +
        'For 10 minutes after that, the label code from the sticker lets you choose a new password for one admin account.',
    );
    for (;;) {
      const labelCode = (await terminal.askSecret('Label code from the sticker (leave empty to go back)')).trim();
      if (labelCode === '') return null;
      const answer = await client.post('/api/v1/recovery/button/verify', { username, labelCode });
      const grant = successBody<ResetGrant>(answer, 201);
      if (grant) return grant;
      terminal.say(refusalMessage(answer));
    }
  },
};

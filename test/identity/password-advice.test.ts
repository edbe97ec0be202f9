import { translations as zxcvbnEnglish } from '@zxcvbn-ts/language-en';
import { describe, expect, it } from 'vitest';
import { PLAIN_ADVICE } from '../../src/identity/passwords/advice.js';
import { evaluatePassword } from '../../src/identity/passwords/policy.js';

const guessableMessage = async (password: string, username?: string) =>
  (await evaluatePassword(password, { username })).reasons.find((r) => r.code === 'too_guessable')?.message ?? '';

/** Passwords that each bring out different advice from the checker. */
const WEAK = ['aaaaaaaaaaaa', 'qwertyuiop', 'abcdefgh', 'password1', 'P@ssw0rd', 'dragon', 'michael', 'summer2024', '01/02/1990', 'abcabcabcabc', 'Monkey'];

describe('the strength checker explains in plain words', () => {
  it('says a password near the username is near the username, not "personal or page related data"', async () => {
    const message = await guessableMessage('Gr1mbl3wick9', 'grimblewick');
    expect(message).toContain(PLAIN_ADVICE.warnings.userInputs.replace(/\.$/, ''));
    expect(message).not.toMatch(/page related/);
  });

  it('never shows one of zxcvbn\'s own English sentences', async () => {
    const raw = [...Object.values(zxcvbnEnglish.warnings), ...Object.values(zxcvbnEnglish.suggestions)].map((s) => s.replace(/\.$/, ''));
    const plain = [...Object.values(PLAIN_ADVICE.warnings), ...Object.values(PLAIN_ADVICE.suggestions)].map((s) => s.replace(/\.$/, ''));
    for (const password of WEAK) {
      const message = await guessableMessage(password);
      expect(message, password).not.toBe('');
      for (const sentence of raw) expect(message, password).not.toContain(sentence);
      // Each part of the advice is one of ours.
      for (const part of message.split(/(?<=\.) /)) expect(plain, `${password}: ${part}`).toContain(part.replace(/\.$/, ''));
    }
  });
});

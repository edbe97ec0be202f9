import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { wrapWords } from './wrap-words.js';

/** A conversation with the person at the terminal (the recovery wizard, `vigil discover activate`). */
export interface Terminal {
  say(text: string): void;
  ask(question: string, options?: { default?: string }): Promise<string>;
  /** Typed without echo (passwords, codes, answers to questions). */
  askSecret(question: string): Promise<string>;
  /** Numbered choices; returns the index of the chosen one. */
  choose(question: string, choices: readonly string[]): Promise<number>;
}

/**
 * The person's terminal, through readline. Secrets are typed with echo off: the output stream
 * drops everything readline would print while a secret is being read.
 */
export function openTerminal(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Terminal & { close(): void } {
  let muted = false;
  const echo = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  // A pipe has no width: 80 columns is what a terminal has when nobody says otherwise.
  const width = () => (output as { columns?: number }).columns ?? 80;
  const rl = createInterface({ input, output: echo, terminal: (input as { isTTY?: boolean }).isTTY === true });
  return {
    say(text) {
      output.write(`${wrapWords(text, width())}\n`);
    },
    async ask(question, options = {}) {
      const suffix = options.default ? ` [${options.default}]` : '';
      const answer = (await rl.question(`${question}${suffix}: `)).trim();
      return answer === '' ? (options.default ?? '') : answer;
    },
    async askSecret(question) {
      output.write(`${question} (not shown): `);
      muted = true;
      try {
        return await rl.question('');
      } finally {
        muted = false;
        output.write('\n');
      }
    },
    async choose(question, choices) {
      output.write(`${wrapWords(question, width())}\n`);
      // Continuation lines start under the choice's text, not under its number.
      choices.forEach((choice, i) => output.write(`${wrapWords(`  ${i + 1}. ${choice}`, width(), '     ')}\n`));
      for (;;) {
        const answer = (await rl.question(`Choose 1-${choices.length}: `)).trim();
        const n = Number(answer);
        if (Number.isInteger(n) && n >= 1 && n <= choices.length) return n - 1;
        output.write(`Type a number from 1 to ${choices.length}.\n`);
      }
    },
    close() {
      rl.close();
    },
  };
}

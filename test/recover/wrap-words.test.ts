import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openTerminal } from '../../src/shared/terminal.js';
import { wrapWords } from '../../src/shared/wrap-words.js';

const ADVICE =
  "A camera's password belongs to the camera: reset it with the camera's own reset button or its maker's tool, then give the recorder the new credentials.";

describe('wrapping the wizard text to the terminal width', () => {
  it('never breaks a word, and keeps every word in order', () => {
    for (const width of [12, 20, 33, 40, 79]) {
      const lines = wrapWords(ADVICE, width).split('\n');
      expect(lines.join(' ').split(' ')).toEqual(ADVICE.split(' '));
      for (const line of lines) expect(line.length <= width || !line.includes(' '), `${width}: ${line}`).toBe(true);
    }
  });

  it('a real terminal of 40 columns gets lines of at most 40, words whole, choices indented under their text', async () => {
    const output = Object.assign(new PassThrough(), { columns: 40 });
    const input = new PassThrough();
    const terminal = openTerminal(input, output);
    terminal.say(ADVICE);
    const chosen = terminal.choose('Which password did you lose?', ['Another user of this recorder (operator, viewer)', 'The cloud account']);
    input.write('2\n');
    expect(await chosen).toBe(1);
    terminal.close();
    const shown = String(output.read());
    const lines = shown.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(40);
    expect(shown.replace(/\n */g, ' ')).toContain(ADVICE);
    expect(lines).toContain('  1. Another user of this recorder');
    expect(lines).toContain('     (operator, viewer)');
  });
});

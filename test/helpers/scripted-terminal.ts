import type { Terminal } from '../../src/recover/types.js';

/** One prepared answer: text for a question, a number for a choice, or a function that makes it when asked. */
type Answer = string | number | (() => string | number);

/** A terminal that answers from a script and keeps everything it was told. */
export class ScriptedTerminal implements Terminal {
  readonly said: string[] = [];
  constructor(private readonly answers: Answer[]) {}
  say(text: string): void {
    this.said.push(text);
  }
  private next(): string | number | undefined {
    const next = this.answers.shift();
    return typeof next === 'function' ? next() : next;
  }
  async ask(question: string): Promise<string> {
    this.said.push(`? ${question}`);
    const next = this.next();
    if (typeof next !== 'string') throw new Error(`unexpected question: ${question}`);
    return next;
  }
  askSecret = this.ask;
  async choose(question: string, choices: readonly string[]): Promise<number> {
    this.said.push(`? ${question} ${choices.join(' | ')}`);
    const next = this.next();
    if (typeof next !== 'number') throw new Error(`unexpected choice: ${question}`);
    return next;
  }
}

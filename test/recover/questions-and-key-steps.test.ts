// The terminal steps of two recovery paths against a real recorder (the real HTTP client of
// `vigil recover`), through a scripted terminal:
// each prompt gets the next prepared reply, and everything shown is kept for the assertions.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRESET_QUESTIONS } from '../../src/recorder/recovery/security-questions-policy.js';
import { recoveryKeyStep } from '../../src/recover/steps/recovery-key.js';
import { securityQuestionsStep } from '../../src/recover/steps/security-questions.js';
import { createRecorderClient } from '../../src/recover/client.js';
import type { Terminal } from '../../src/recover/types.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';
import { appCode, enrolTotp } from '../helpers/two-factor.js';

class ScriptedTerminal implements Terminal {
  readonly shown: string[] = [];
  readonly asked: string[] = [];
  constructor(private readonly replies: string[]) {}
  say(text: string) {
    this.shown.push(text);
  }
  private next(question: string): Promise<string> {
    this.asked.push(question);
    const reply = this.replies.shift();
    if (reply === undefined) throw new Error(`no reply prepared for: ${question}`);
    return Promise.resolve(reply);
  }
  ask = (question: string) => this.next(question);
  askSecret = (question: string) => this.next(question);
  choose = async (question: string) => Number(await this.next(question));
}

const clientFor = (rec: TestRecorder) => createRecorderClient(rec.url);

describe('terminal steps: security questions and recovery key file', () => {
  let rec: TestRecorder;
  let admin: ApiClient;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
    admin = await loggedInAdmin(rec);
  });
  afterEach(() => rec.close());

  it('the questions step asks each question, and after a refusal retries the answers, with the code when asked to', async () => {
    const { secret } = await enrolTotp(rec, admin);
    const questions = [PRESET_QUESTIONS[0]!, PRESET_QUESTIONS[1]!, PRESET_QUESTIONS[2]!];
    const saved = await admin.put('/api/v1/me/recovery/questions', {
      currentPassword: STRONG_PASSWORD,
      questions: questions.map((question, i) => ({ question, answer: `answer number ${i}` })),
    });
    expect(saved.status).toBe(200);
    rec.clock.advance(30);

    const terminal = new ScriptedTerminal(['wrong', 'wrong', 'wrong', '1', 'Answer Number 0', ' answer number 1', 'ANSWER  NUMBER 2', appCode(rec, secret)]);
    const grant = await securityQuestionsStep.run(terminal, clientFor(rec), 'admin');
    expect(grant).toMatchObject({ username: 'admin', method: 'securityQuestions', mayClearTwoFactor: false });
    expect(terminal.asked).toEqual([...questions, 'What now?', ...questions, 'Code from your authenticator app, or a recovery code']);
    expect(terminal.shown.join('\n')).toContain('The answers do not match');
    const reset = await new ApiClient(rec.url).post('/api/v1/recovery/reset', { token: grant!.token, newPassword: 'Marble kettle 61 over the dunes' });
    expect(reset.status).toBe(200);
  });

  it('the key step reads the file from a path, says what is wrong with a bad one, and goes back when asked', async () => {
    const exported = await admin.post('/api/v1/me/recovery/key', { currentPassword: STRONG_PASSWORD });
    expect(exported.status).toBe(201);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-key-'));
    const good = join(dir, exported.body.fileName);
    writeFileSync(good, exported.body.content);
    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'not a key');

    const terminal = new ScriptedTerminal([join(dir, 'missing.txt'), '0', junk, '0', good]);
    const grant = await recoveryKeyStep.run(terminal, clientFor(rec), 'admin');
    expect(grant).toMatchObject({ username: 'admin', method: 'recoveryKey', mayClearTwoFactor: true });
    expect(terminal.shown[0]).toMatch(/Cannot read .*missing\.txt: ENOENT/);
    expect(terminal.shown[1]).toContain('not a valid recovery key file');

    // Used once: the same file is refused now, and the person can go back to the other methods.
    const again = new ScriptedTerminal([good, '1']);
    expect(await recoveryKeyStep.run(again, clientFor(rec), 'admin')).toBeNull();
    expect(again.shown.join('\n')).toContain('used already');
  });
});

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PasswordJudge } from '../../src/identity/passwords/judge.js';
import { evaluatePassword } from '../../src/identity/passwords/policy.js';
import { until } from '../helpers/until.js';

describe('PasswordJudge: the password policy on a worker thread that lives only while used', () => {
  it('gives the same verdicts as the policy itself', async () => {
    const judge = new PasswordJudge();
    try {
      const context = { username: 'admin', serial: 'VGL-0001-ABCD', model: 'VR-1' };
      for (const password of ['password', 'admin2024', 'Benchmark lantern 58 orchard', 'x'.repeat(200)]) {
        expect(await judge.judge(password, context)).toEqual(await evaluatePassword(password, context));
      }
    } finally {
      await judge.close();
    }
  });

  it('starts its thread on the first request and ends it after the idle time, then starts again when asked', async () => {
    const judge = new PasswordJudge({ idleMs: 50 });
    try {
      expect(judge.threadRunning).toBe(false);
      const verdict = await judge.judge('Benchmark lantern 58 orchard');
      expect(verdict.accepted).toBe(true);
      expect(judge.threadRunning).toBe(true);
      await until(() => !judge.threadRunning, 'the idle thread to end', 10_000, { everyMs: 20 });
      expect((await judge.judge('password')).accepted).toBe(false);
      expect(judge.threadRunning).toBe(true);
    } finally {
      await judge.close();
    }
  });

  it('answers concurrent requests each with its own verdict', async () => {
    const judge = new PasswordJudge();
    try {
      const passwords = ['password', 'Benchmark lantern 58 orchard', 'qwerty123', 'Correct horse battery staple 9'];
      const verdicts = await Promise.all(passwords.map((p) => judge.judge(p)));
      expect(verdicts.map((v) => v.accepted)).toEqual([false, true, false, true]);
    } finally {
      await judge.close();
    }
  });

  it('a thread that dies fails the requests it held, and the next request gets a new thread', async () => {
    const dying = join(tmpdir(), `vigil-dying-judge-${process.pid}.mjs`);
    writeFileSync(dying, "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(3));\n");
    const judge = new PasswordJudge({ script: dying });
    try {
      await expect(judge.judge('anything at all 123')).rejects.toThrow(/stopped/);
      expect(judge.threadRunning).toBe(false);
      await expect(judge.judge('anything at all 123')).rejects.toThrow(/stopped/);
    } finally {
      await judge.close();
    }
  });

  it('refuses requests once closed', async () => {
    const judge = new PasswordJudge();
    await judge.close();
    await expect(judge.judge('Benchmark lantern 58 orchard')).rejects.toThrow(/closed/);
  });
});

// `vigil recover` in a real terminal (tmux) through the security questions and the recovery key
// file, end to end to a new password. Needs `npx tsc -p .` first (it runs dist/src/cli.js).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRESET_QUESTIONS } from '../../src/recorder/recovery/security-questions-policy.js';
import { CLI } from '../helpers/cli.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const NEW_PASSWORD = 'Marble kettle 61 over the dunes';
const ANSWERS = ['Mister Snuggles', 'Elm Street', 'Tomato Boat'];

describe('vigil recover: security questions and recovery key file (tmux)', () => {
  let rec: TestRecorder;
  let admin: ApiClient;
  let terminal: TmuxTerminal | undefined;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
    admin = await loggedInAdmin(rec);
  });
  afterEach(async () => {
    terminal?.close();
    await rec.close();
  });

  /** Starts `vigil recover`, says the admin password was lost, and picks the path titled `title`. */
  async function recoverWith(title: string) {
    terminal = TmuxTerminal.start([process.execPath, CLI, 'recover', '--url', rec.url]);
    await terminal.chooseLabel("This recorder's admin password");
    await terminal.waitFor('Admin username');
    terminal.typeLine('');
    await terminal.waitFor('How do you want to prove this recorder is yours?');
    await terminal.chooseLabel(title);
    return terminal;
  }

  async function chooseNewPassword(t: TmuxTerminal, asksAboutTwoFactor: boolean) {
    await t.waitFor('Accepted. Choose a new password for admin');
    if (asksAboutTwoFactor) {
      await t.waitFor('Also turn off two-step login');
      t.typeLine('n');
    }
    await t.waitFor('New password (not shown)');
    t.typeLine(NEW_PASSWORD);
    await t.waitFor('The same again (not shown)');
    t.typeLine(NEW_PASSWORD);
    await t.waitFor('Done: the password of admin is changed');
    expect(await t.waitForExit()).toBe(0);
    expect((await new ApiClient(rec.url).login('admin', NEW_PASSWORD)).status).toBe(201);
  }

  it('lists the paths strongest first, in the browser wizard\'s order', async () => {
    expect((await admin.put('/api/v1/me/recovery/questions', { currentPassword: STRONG_PASSWORD, questions: ANSWERS.map((answer, i) => ({ question: PRESET_QUESTIONS[i]!, answer })) })).status).toBe(200);
    expect((await admin.post('/api/v1/me/recovery/key', { currentPassword: STRONG_PASSWORD })).status).toBe(201);
    terminal = TmuxTerminal.start([process.execPath, CLI, 'recover', '--url', rec.url]);
    await terminal.chooseLabel("This recorder's admin password");
    await terminal.waitFor('Admin username');
    terminal.typeLine('');
    const menu = await terminal.waitFor('How do you want to prove this recorder is yours?');
    const titles = [...menu.matchAll(/^ *\d+\. ([^:\n]+):/gm)].map((m) => m[1]);
    expect(titles).toEqual(['Use your recovery key file', 'Reset button and label code', 'Answer your security questions']);
  });

  it('answers the questions without showing them on the screen', async () => {
    const saved = await admin.put('/api/v1/me/recovery/questions', {
      currentPassword: STRONG_PASSWORD,
      questions: ANSWERS.map((answer, i) => ({ question: PRESET_QUESTIONS[i]!, answer })),
    });
    expect(saved.status).toBe(200);

    const t = await recoverWith('Answer your security questions');
    for (const [i, answer] of ANSWERS.entries()) {
      await t.waitFor(`${PRESET_QUESTIONS[i]!} (not shown)`);
      t.typeLine(answer.toLowerCase());
    }
    await chooseNewPassword(t, false);
    const screen = t.screen();
    for (const answer of ANSWERS) expect(screen.toLowerCase()).not.toContain(answer.toLowerCase());
  });

  it('imports the key file from a path; once used, the path is no longer offered', async () => {
    const exported = await admin.post('/api/v1/me/recovery/key', { currentPassword: STRONG_PASSWORD });
    expect(exported.status).toBe(201);
    const path = join(mkdtempSync(join(tmpdir(), 'vigil-key-')), exported.body.fileName);
    writeFileSync(path, exported.body.content);

    const t = await recoverWith('Use your recovery key file');
    await t.waitFor('Path to your recovery key file');
    t.typeLine(path);
    await chooseNewPassword(t, true);
    t.close();

    // Spent: the recorder no longer offers the path at all.
    terminal = TmuxTerminal.start([process.execPath, CLI, 'recover', '--url', rec.url]);
    await terminal.chooseLabel("This recorder's admin password");
    await terminal.waitFor('Admin username');
    terminal.typeLine('');
    // Other paths (the reset button) may still be offered; this one is not.
    const screen = await terminal.waitFor(/How do you want to prove this recorder is yours\?|This recorder has no recovery path set up/);
    expect(screen).not.toContain('Use your recovery key file');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pressButton } from '../helpers/button.js';
import { CLI } from '../helpers/cli.js';
import { activate, ApiClient } from '../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const NEW_PASSWORD = 'Marble kettle 61 over the dunes';

describe('vigil recover with the reset button, in a real terminal (tmux)', () => {
  let rec: TestRecorder;
  let terminal: TmuxTerminal | undefined;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
  });
  afterEach(async () => {
    terminal?.close();
    await rec.close();
  });

  it('refuses the label code before the press, takes it after, and sets the new password; the code is never shown', async () => {
    // A zone an hour east of UTC in December: the deadline must show its local clock, not UTC.
    terminal = TmuxTerminal.start([process.execPath, CLI, 'recover', '--url', rec.url], { env: { TZ: 'Europe/Berlin' } });
    await terminal.chooseLabel("This recorder's admin password");
    await terminal.waitFor('Admin username');
    terminal.typeLine('');
    const menu = await terminal.waitFor('How do you want to prove this recorder is yours?');
    const choice = /(\d+)\. Reset button and label code/.exec(menu);
    expect(choice, menu).not.toBeNull();
    terminal.typeLine(choice![1]!);
    await terminal.waitFor('Label code from the sticker');

    terminal.typeLine(rec.labelCode);
    await terminal.waitFor('Press the reset button on the recorder briefly (a short press)');
    expect((await pressButton(rec.dataDir, 'short')).status).toBe(0);
    terminal.typeLine(rec.labelCode);
    await terminal.waitFor(/Choose a new password for admin before \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+01:00\)\./);
    await terminal.waitFor('Also turn off two-step login');
    terminal.typeLine('n');
    await terminal.waitFor('New password');
    terminal.typeLine(NEW_PASSWORD);
    await terminal.waitFor('The same again');
    terminal.typeLine(NEW_PASSWORD);
    const done = await terminal.waitFor('Log in at');
    expect(done).not.toContain(rec.labelCode);
    expect(done).not.toContain(NEW_PASSWORD);
    expect(await terminal.waitForExit()).toBe(0);
    expect((await new ApiClient(rec.url).login('admin', NEW_PASSWORD)).status).toBe(201);
  });
});

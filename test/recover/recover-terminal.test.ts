import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { activate } from '../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { TmuxTerminal } from '../helpers/tmux.js';

describe('vigil recover in a real terminal (tmux)', () => {
  let rec: TestRecorder;
  let terminal: TmuxTerminal | undefined;
  beforeEach(async () => {
    rec = await startTestRecorder();
  });
  afterEach(async () => {
    terminal?.close();
    await rec.close();
  });

  const recover = (url: string) => TmuxTerminal.start([process.execPath, CLI, 'recover', '--url', url]);

  it('sends someone who lost another kind of account to the right place', async () => {
    await activate(rec);
    terminal = recover(rec.url);
    await terminal.waitFor('Which password did you lose?');
    expect(terminal.screen()).toContain(`Vigil recorder ${rec.model} ${rec.serial}`);
    await terminal.chooseLabel('Another user of this recorder');
    await terminal.waitFor('Ask an admin of this recorder to reset your password');
    expect(await terminal.waitForExit()).toBe(0);
  });

  it("leads a lost camera login to the recorder's reveal when the recorder records the camera", async () => {
    await activate(rec);
    terminal = recover(rec.url);
    await terminal.waitFor('Which password did you lose?');
    await terminal.chooseLabel("A camera's own login");
    await terminal.waitFor('Does this recorder record the camera?');
    await terminal.chooseLabel('Yes: the camera is on the Cameras page');
    expect(await terminal.waitForExit()).toBe(0);
    const advice = terminal.screen().replace(/\s+/g, ' ');
    expect(advice).toContain('"Show password" shows it once');
    expect(advice).toContain("after the admin's own password again");
  });

  it("leads a lost camera login to the camera's own reset button when the recorder does not hold it", async () => {
    await activate(rec);
    terminal = recover(rec.url);
    await terminal.waitFor('Which password did you lose?');
    await terminal.chooseLabel("A camera's own login");
    await terminal.waitFor('Does this recorder record the camera?');
    await terminal.chooseLabel('No, or the Cameras page says');
    expect(await terminal.waitForExit()).toBe(0);
    const advice = terminal.screen().replace(/\s+/g, ' ');
    expect(advice).toContain("the camera's own reset button");
    expect(advice).toContain('keeps its configuration');
    expect(advice).toContain('A long press is a factory reset');
    expect(advice).toContain('activate it again from the recorder');
  });

  it('offers no cloud or console account on a recorder that has neither', async () => {
    await activate(rec);
    terminal = recover(rec.url);
    const accounts = await terminal.waitFor('Which password did you lose?');
    expect(accounts).toContain("This recorder's admin password");
    expect(accounts).not.toContain('The cloud account');
    expect(accounts).not.toContain('The Vigil Console');
    terminal.typeLine('q');
  });

  it('says a recorder that is not activated has nothing to recover', async () => {
    terminal = recover(rec.url);
    await terminal.waitFor('not activated yet');
    expect(await terminal.waitForExit()).toBe(1);
  });

  it('says clearly when the recorder cannot be reached', async () => {
    terminal = recover('http://127.0.0.1:9');
    await terminal.waitFor('Cannot reach http://127.0.0.1:9');
    expect(terminal.screen()).toContain('Check the address, and that the recorder is running.');
    expect(await terminal.waitForExit()).toBe(1);
  });
});

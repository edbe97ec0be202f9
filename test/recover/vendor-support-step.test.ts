// The terminal wizard's vendor support step against a real recorder, with `vigil support sign` through the real CLI.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vendorSupportStep } from '../../src/recover/steps/vendor-support.js';
import { TERMINAL_STEPS } from '../../src/recover/steps.js';
import { createRecorderClient } from '../../src/recover/client.js';
import { parseEd25519PublicKey } from '../../src/recorder/api/vendor-reset-file.js';
import { CLI, runVigil } from '../helpers/cli.js';
import { activate, ApiClient } from '../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { ScriptedTerminal } from '../helpers/scripted-terminal.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const clientFor = (rec: TestRecorder) => createRecorderClient(rec.url);

let root: string;
let vendorDir: string;
let rec: TestRecorder;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vigil-recover-vendor-'));
  vendorDir = join(root, 'vendor');
  expect(runVigil(['support', 'keygen', '--dir', vendorDir]).status).toBe(0);
  const vendorPublicKey = parseEd25519PublicKey(readFileSync(join(vendorDir, 'vendor-ed25519.pub.pem'), 'utf8'));
  rec = await startTestRecorder({ vendorPublicKey });
  await activate(rec);
});
afterAll(async () => {
  await rec?.close();
  rmSync(root, { recursive: true, force: true });
});

/** What support does with the saved file: sign it; answers the response file's path. */
function supportSigns(requestFile: string, caseId: string): string {
  const signed = runVigil(['support', 'sign', requestFile, '--case', caseId, '--agent', 'Ada', '--dir', vendorDir]);
  expect(signed.status, signed.stderr).toBe(0);
  return requestFile.replace(/\.json$/, '.response.json');
}

describe('vendor support in the terminal wizard', () => {
  it('is registered for the terminal wizard', () => {
    expect(TERMINAL_STEPS.vendorSupport).toBe(vendorSupportStep);
  });

  it('saves the request, refuses to overwrite a file, then imports the response and answers the grant', async () => {
    const taken = join(root, 'taken.json');
    writeFileSync(taken, 'keep me');
    const requestPath = join(root, 'request.json');
    const terminal = new ScriptedTerminal([
      0, // make a new request
      taken,
      requestPath,
      join(root, 'missing.response.json'),
      () => supportSigns(requestPath, 'TERM-1'), // support answers while the wizard waits
    ]);
    const grant = await vendorSupportStep.run(terminal, clientFor(rec), 'admin');
    expect(grant).toMatchObject({ username: 'admin', method: 'vendorSupport', mayClearTwoFactor: true });
    expect(readFileSync(taken, 'utf8')).toBe('keep me');
    expect(terminal.said).toContain(`Could not write ${taken}: it exists already. Choose another file.`);
    expect(terminal.said).toContain(`Saved the reset request to ${requestPath}.`);
    expect(terminal.said).toContain(`Cannot read ${join(root, 'missing.response.json')}. Check the path.`);
    expect(JSON.parse(readFileSync(requestPath, 'utf8'))).toMatchObject({ format: 'vigil-reset-request/1', serial: rec.serial, username: 'admin' });
  });

  it('someone who already has a response goes straight to it; a used one is refused with the reason, and empty goes back', async () => {
    const made = await new ApiClient(rec.url).post('/api/v1/recovery/support/request', { username: 'admin' });
    const requestPath = join(root, 'earlier.json');
    writeFileSync(requestPath, JSON.stringify(made.body));
    const responsePath = supportSigns(requestPath, 'TERM-2');
    expect((await vendorSupportStep.run(new ScriptedTerminal([1, responsePath]), clientFor(rec), 'admin'))?.method).toBe('vendorSupport');

    const replay = new ScriptedTerminal([1, responsePath, '']);
    expect(await vendorSupportStep.run(replay, clientFor(rec), 'admin')).toBeNull();
    expect(replay.said.some((line) => line.startsWith('This response from support cannot be used here'))).toBe(true);
  });

  it('a recorder without a vendor key says so and goes back', async () => {
    const bare = await startTestRecorder();
    try {
      await activate(bare);
      const terminal = new ScriptedTerminal([0]);
      expect(await vendorSupportStep.run(terminal, clientFor(bare), 'admin')).toBeNull();
      expect(terminal.said.some((line) => line.includes('no vendor key'))).toBe(true);
    } finally {
      await bare.close();
    }
  });
});

describe('vigil recover with vendor support, in a real terminal (tmux)', () => {
  let terminal: TmuxTerminal | undefined;
  afterAll(() => terminal?.close());

  it('from the first question to logging in with the new password', async () => {
    const newPassword = 'Copper lantern 58 under the pier';
    terminal = TmuxTerminal.start([process.execPath, CLI, 'recover', '--url', rec.url], { cwd: root });
    await terminal.chooseLabel("This recorder's admin password");
    await terminal.waitFor('Admin username [admin]:');
    terminal.typeLine('');
    const methods = await terminal.waitFor('How do you want to prove this recorder is yours?');
    terminal.typeLine(/(\d+)\. Vendor support:/.exec(methods)![1]!);
    await terminal.waitFor('Where are you?');
    terminal.typeLine('1');
    await terminal.waitFor(`Save the reset request to which file? [vigil-reset-request-${rec.serial}.json]:`);
    terminal.typeLine('');
    await terminal.waitFor('Path of the response file from support');
    terminal.typeLine(supportSigns(join(root, `vigil-reset-request-${rec.serial}.json`), 'TMUX-1'));
    await terminal.waitFor('Also turn off two-step login');
    terminal.typeLine('');
    await terminal.waitFor('New password (not shown):');
    terminal.typeLine(newPassword);
    await terminal.waitFor('The same again (not shown):');
    terminal.typeLine(newPassword);
    await terminal.waitFor('Done: the password of admin is changed');
    expect(await terminal.waitForExit()).toBe(0);
    expect(terminal.screen()).not.toContain(newPassword);
    expect((await new ApiClient(rec.url).login('admin', newPassword)).status).toBe(201);
  });
});

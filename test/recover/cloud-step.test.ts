// `vigil recover`'s cloud step against a real recorder: through a scripted terminal (the waiting
// period too), and the whole wizard in a real terminal (tmux), offering the path only when bound.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineResponseCode, parseChallengeText } from '../../src/identity/grants/offline-code.js';
import { createRecorderClient } from '../../src/recover/client.js';
import { cloudStep } from '../../src/recover/steps/cloud.js';
import { TERMINAL_STEPS } from '../../src/recover/steps.js';
import { CLI } from '../helpers/cli.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { ScriptedTerminal } from '../helpers/scripted-terminal.js';
import { TmuxTerminal } from '../helpers/tmux.js';

let rec: TestRecorder;
let secret: Buffer;
beforeEach(async () => {
  rec = await startTestRecorder();
  await activate(rec);
  secret = randomBytes(32);
});
afterEach(() => rec.close());

const bind = () =>
  expect(rec.running.ctx.cloudBinding.bind({ cloudUrl: 'wss://cloud.example.net', cloudPublicKey: 'unused', ownerLabel: 'o***@example.net', boundAt: 0 }, secret)).toBe(true);

/** What the owner's cloud answers for the challenge the terminal showed last. */
function cloudCodeFor(said: readonly string[]): string {
  const line = said.filter((l) => l.startsWith('Challenge: ')).at(-1)!;
  return offlineResponseCode(secret, parseChallengeText(line.slice('Challenge: '.length))!);
}

describe('the cloud step of vigil recover', () => {
  it('is registered for the terminal wizard', () => {
    expect(TERMINAL_STEPS.cloud).toBe(cloudStep);
  });

  it('shows the challenge as a QR code and as text, and a wrong code is said with the tries left before the right one gives the grant', async () => {
    bind();
    const terminal: ScriptedTerminal = new ScriptedTerminal(['00000-00000', () => cloudCodeFor(terminal.said)]);
    const grant = await cloudStep.run(terminal, createRecorderClient(rec.url), 'admin');
    expect(grant).toMatchObject({ username: 'admin', method: 'cloud', mayClearTwoFactor: true });
    // The QR code drawn with block characters, then the line to type.
    expect(terminal.said.some((l) => /[▀▄█]/.test(l))).toBe(true);
    expect(terminal.said.some((l) => l.includes('(4 tries left)'))).toBe(true);
  });

  it('with a waiting period, says when the reset takes effect and claims it once the wait is over', async () => {
    bind();
    expect((await (await loggedInAdmin(rec)).put('/api/v1/settings/cloud-reset', { waitHours: 1 })).status).toBe(200);
    const terminal: ScriptedTerminal = new ScriptedTerminal([
      () => cloudCodeFor(terminal.said),
      0, // Continue, too early: the recorder says when
      () => {
        rec.clock.advance(3600); // the wait is over
        return 0;
      },
    ]);
    const grant = await cloudStep.run(terminal, createRecorderClient(rec.url), 'admin');
    expect(grant).toMatchObject({ username: 'admin', method: 'cloud' });
    expect(terminal.said.some((l) => l.startsWith("The cloud vouched for you, but this recorder's admin set a waiting period"))).toBe(true);
    expect(terminal.said.some((l) => l.startsWith('This reset takes effect at'))).toBe(true);
  });

  it('on a recorder bound to no cloud account, says so and goes back', async () => {
    const terminal = new ScriptedTerminal([]);
    expect(await cloudStep.run(terminal, createRecorderClient(rec.url), 'admin')).toBeNull();
    expect(terminal.said.some((l) => l.includes('not bound to a cloud account'))).toBe(true);
  });
});

describe('vigil recover in a real terminal (tmux)', () => {
  let terminal: TmuxTerminal | undefined;
  afterEach(() => terminal?.close());

  async function methodMenu(): Promise<string> {
    terminal = TmuxTerminal.start([process.execPath, CLI, 'recover', '--url', rec.url]);
    await terminal.chooseLabel("This recorder's admin password");
    await terminal.waitFor('Admin username [admin]:');
    terminal.typeLine('');
    return terminal.waitFor('How do you want to prove this recorder is yours?');
  }
  const titles = (menu: string) => [...menu.matchAll(/^ *\d+\. ([^:\n]+):/gm)].map((m) => m[1]);

  it('offers no cloud path on a recorder that is not bound', async () => {
    expect(titles(await methodMenu())).toEqual(['Reset button and label code']);
  });

  it('offers the cloud path when bound, after the button; from there to logging in with the new password', async () => {
    bind();
    const menu = await methodMenu();
    expect(titles(menu)).toEqual(['Reset button and label code', 'My cloud account']);
    terminal!.typeLine(/(\d+)\. My cloud account:/.exec(menu)![1]!);
    const screen = await terminal!.waitFor('Response code from the cloud');
    const challenge = /Challenge: (\S+ \S+)/.exec(screen)![1]!;
    terminal!.typeLine(offlineResponseCode(secret, parseChallengeText(challenge)!));
    await terminal!.waitFor('Also turn off two-step login');
    terminal!.typeLine('');
    const newPassword = 'Copper lantern 58 under the pier';
    await terminal!.waitFor('New password (not shown):');
    terminal!.typeLine(newPassword);
    await terminal!.waitFor('The same again (not shown):');
    terminal!.typeLine(newPassword);
    await terminal!.waitFor('Done: the password of admin is changed');
    expect(await terminal!.waitForExit()).toBe(0);
    expect((await new ApiClient(rec.url).login('admin', newPassword)).status).toBe(201);
  });
});

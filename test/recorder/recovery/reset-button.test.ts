import { chmodSync, existsSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePressLine } from '../../../src/recorder/device/button-socket.js';
import { BUTTON_WINDOW_SECONDS, buttonWindowOpen } from '../../../src/recorder/recovery/button-window.js';
import { LABEL_CODE_LOCK } from '../../../src/recorder/recovery/reset-button.js';
import { resetButtonStep } from '../../../src/recover/steps/reset-button.js';
import type { ApiAnswer, RecorderClient, Terminal } from '../../../src/recover/types.js';
import { pressButton } from '../../helpers/button.js';
import { activate, ApiClient, loggedInAdmin } from '../../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../../helpers/recorder.js';

const NEW_PASSWORD = 'Marble kettle 61 over the dunes';

describe('reset button decisions (pure)', () => {
  it('a window is open from the press until exactly its closing time', () => {
    expect(buttonWindowOpen(null, 0)).toBe(false);
    expect(buttonWindowOpen(1000, 999)).toBe(true);
    expect(buttonWindowOpen(1000, 1000)).toBe(false);
  });

  it.each([
    ['{"press":"short"}', 'short'],
    ['{"press":"long"}', 'long'],
    ['{"press":"LONG"}', undefined],
    ['{"press":"short","extra":1}', undefined],
    ['{"press":1}', undefined],
    ['["short"]', undefined],
    ['null', undefined],
    ['not json', undefined],
  ])('the socket line %s asks for %s', (line, press) => {
    expect(parsePressLine(line)).toBe(press);
  });
});

describe('the reset button (real daemon, real `vigil recorder button`)', () => {
  let rec: TestRecorder;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
  });
  afterEach(() => rec.close());

  const socketPath = () => join(rec.dataDir, 'button.sock');
  const verify = (labelCode: string, username = 'admin') => new ApiClient(rec.url).post('/api/v1/recovery/button/verify', { username, labelCode });
  async function shortPress(): Promise<string> {
    const pressed = await pressButton(rec.dataDir, 'short');
    expect(pressed.stderr).toBe('');
    expect(pressed.status).toBe(0);
    return pressed.stdout;
  }

  it('the socket is in the data directory, mode 0600, in a 0700 directory, and goes away when the recorder stops', async () => {
    expect(statSync(socketPath()).isSocket()).toBe(true);
    expect(statSync(socketPath()).mode & 0o777).toBe(0o600);
    expect(statSync(rec.dataDir).mode & 0o777).toBe(0o700);
    await rec.running.close();
    expect(existsSync(socketPath())).toBe(false);
    await rec.restart(); // closing twice is harmless; the new recorder listens again
    expect(statSync(socketPath()).mode & 0o777).toBe(0o600);
  });

  it('short press, label code from the sticker, new password: the admin logs in with it; the press is audited', async () => {
    const session = await loggedInAdmin(rec);
    const out = await shortPress();
    const closesAt = new Date(rec.clock.now() + BUTTON_WINDOW_SECONDS * 1000).toISOString();
    expect(out).toContain(`Reset window open until ${closesAt}`);

    // Typed the way people type stickers: lower case, spaces instead of dashes.
    const grant = await verify(rec.labelCode.toLowerCase().replace(/-/g, ' '));
    expect(grant.status).toBe(201);
    expect(grant.body).toMatchObject({ username: 'admin', method: 'resetButton', mayClearTwoFactor: true });

    const reset = await new ApiClient(rec.url).post('/api/v1/recovery/reset', { token: grant.body.token, newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect((await session.get('/api/v1/me')).status).toBe(401);
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(401);
    expect((await new ApiClient(rec.url).login('admin', NEW_PASSWORD)).status).toBe(201);

    const pressed = rec.running.ctx.audit.query({ type: 'device.button_pressed' });
    expect(pressed).toHaveLength(1);
    expect(JSON.parse(pressed[0]!.details)).toEqual({ press: 'short', windowClosesAt: closesAt });
    expect(rec.running.ctx.audit.query({ type: 'recovery.password_reset' })).toHaveLength(1);
    // The label code is never logged.
    expect(rec.logs.join('')).not.toContain(rec.labelCode);
    expect(rec.logs.join('').toLowerCase()).not.toContain(rec.labelCode.replace(/-/g, '').toLowerCase());
  });

  it('without a press the label code is refused, saying to press the button', async () => {
    const refused = await verify(rec.labelCode);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('button_window_closed');
    expect(refused.body.error.message).toMatch(/press the reset button on the recorder briefly/i);
  });

  it('the window closes after 10 minutes, after one use, and when the recorder restarts', async () => {
    await shortPress();
    rec.clock.advance(BUTTON_WINDOW_SECONDS);
    expect((await verify(rec.labelCode)).body.error.code).toBe('button_window_closed');

    await shortPress();
    rec.clock.advance(BUTTON_WINDOW_SECONDS - 1);
    expect((await verify(rec.labelCode)).status).toBe(201);
    const again = await verify(rec.labelCode);
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('button_window_closed');

    await shortPress();
    await rec.restart();
    expect((await verify(rec.labelCode)).body.error.code).toBe('button_window_closed');
  });

  it('two requests racing for one window: exactly one grant', async () => {
    await shortPress();
    const answers = await Promise.all([verify(rec.labelCode), verify(rec.labelCode), verify(rec.labelCode)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 403, 403]);
  });

  it('an unknown or non-admin account gets the answer a wrong label code gets, and counts the same', async () => {
    const admin = await loggedInAdmin(rec);
    expect((await admin.post('/api/v1/users', { username: 'viewer1', role: 'viewer' })).status).toBe(201);
    await shortPress();
    const wrongCode = await verify('ABCD-EFGH-JKMN-PQRS');
    const unknown = await verify(rec.labelCode, 'nobody');
    const viewer = await verify(rec.labelCode, 'viewer1');
    for (const answer of [wrongCode, unknown, viewer]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(wrongCode.body);
    }
    const failures = rec.running.ctx.audit.query({ type: 'recovery.evidence_failed' });
    expect(failures).toHaveLength(3);
    expect(failures.map((f) => JSON.parse(f.details).method)).toEqual(['resetButton', 'resetButton', 'resetButton']);
    expect(rec.running.ctx.methodLocks.state('resetButton', 'device')).toEqual({ blocked: false, failures: 3 });
  });

  it('5 wrong label codes close the window and block the path for 30 minutes, across a restart', async () => {
    await shortPress();
    for (let i = 1; i <= LABEL_CODE_LOCK.maxFailures; i++) {
      const wrong = await verify(`WRNG-WRNG-WRNG-WRN${i}`);
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('invalid_label_code');
    }
    expect((await verify(rec.labelCode)).body.error.code).toBe('button_window_closed');
    expect(rec.running.ctx.audit.query({ type: 'recovery.blocked' })).toHaveLength(1);

    await rec.restart();
    await shortPress();
    const blocked = await verify(rec.labelCode);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('recovery_method_blocked');
    expect(blocked.headers.get('retry-after')).toBe(String(LABEL_CODE_LOCK.blockSeconds));

    rec.clock.advance(LABEL_CODE_LOCK.blockSeconds);
    await shortPress();
    expect((await verify(rec.labelCode)).status).toBe(201);
  });

  it('the terminal step asks for the label code and returns the grant; an empty answer goes back', async () => {
    await shortPress();
    const said: string[] = [];
    const secrets = ['WRNG-WRNG-WRNG-WRNG', rec.labelCode];
    const terminal: Terminal = {
      say: (text) => void said.push(text),
      ask: () => Promise.reject(new Error('not asked')),
      askSecret: () => Promise.resolve(secrets.shift() ?? ''),
      choose: () => Promise.reject(new Error('not asked')),
    };
    const api = new ApiClient(rec.url);
    const answerOf = (res: { status: number; body: Record<string, unknown>; headers: Headers }): ApiAnswer => ({
      status: res.status,
      body: res.body,
      retryAfter: res.headers.get('retry-after') === null ? null : Number(res.headers.get('retry-after')),
    });
    const client: RecorderClient = {
      url: rec.url,
      get: async (path) => answerOf(await api.get(path)),
      post: async (path, body) => answerOf(await api.post(path, body)),
    };
    const grant = await resetButtonStep.run(terminal, client, 'admin');
    expect(grant).toMatchObject({ username: 'admin', method: 'resetButton' });
    expect(said.join('\n')).toContain('--press short');
    expect(said.join('\n')).toMatch(/label code or the account name is not right/);
    expect(await resetButtonStep.run(terminal, client, 'admin')).toBeNull();
  });

  it('a short press on a recorder that is not activated opens nothing and says so', async () => {
    const fresh = await startTestRecorder();
    try {
      const pressed = await pressButton(fresh.dataDir, 'short');
      expect(pressed.status).toBe(1);
      expect(pressed.stderr).toMatch(/not activated/);
      expect(fresh.running.ctx.buttonWindow.isOpen()).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it("someone who is not the recorder's user cannot press, and is told to run it as that user", async () => {
    // Root may open any socket, so the command runs as nobody then; for anyone else, mode 0000 is
    // what 0600 is to another user.
    const otherUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    if (!otherUser) chmodSync(socketPath(), 0);
    const pressed = await pressButton(rec.dataDir, 'short', otherUser);
    expect(pressed.stderr).toContain('Permission denied on the button');
    expect(pressed.stderr).toContain("run this as the user the recorder runs as");
    expect(pressed.status).toBe(2);
    expect(rec.running.ctx.buttonWindow.isOpen()).toBe(false);
  });

  it('the command tells the owner to start the recorder when none runs; junk on the socket gets an error line', async () => {
    const junk = await new Promise<string>((resolve) => {
      const socket = createConnection(socketPath(), () => socket.write('{"press":"sideways"}\n'));
      let answer = '';
      socket.on('data', (c) => (answer += c));
      socket.on('end', () => resolve(answer));
    });
    expect(JSON.parse(junk)).toEqual({ ok: false, error: expect.stringContaining('{"press":"short"}') });
    expect(rec.running.ctx.buttonWindow.isOpen()).toBe(false);

    await rec.running.close();
    const pressed = await pressButton(rec.dataDir, 'short');
    expect(pressed.status).toBe(2);
    expect(pressed.stderr).toContain(`No recorder is running on ${rec.dataDir}. Start it first`);
    await rec.restart();
  });
});

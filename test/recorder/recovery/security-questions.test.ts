import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkQuestionsAndAnswers, PRESET_QUESTIONS } from '../../../src/recorder/recovery/security-questions-policy.js';
import { activate, ApiClient, loggedInAdmin } from '../../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../../helpers/recorder.js';
import { appCode, enrolTotp } from '../../helpers/two-factor.js';

const NEW_PASSWORD = 'Marble kettle 61 over the dunes';
const CUSTOM_QUESTION = 'What did we call the red boat at the lake?';
const QUESTIONS = [
  { question: PRESET_QUESTIONS[0]!, answer: 'Mister Snuggles-Bear' },
  { question: PRESET_QUESTIONS[3]!, answer: 'Škoda Felicia' },
  { question: CUSTOM_QUESTION, answer: 'Tomato Boat' },
];
/** The same answers as an owner might type them years later: other capitals, spaces, decomposed accents. */
const RETYPED = ['  mister   snuggles-bear', 'S\u030ckoda FELICIA ', 'tomato\tboat'];
const WRONG = ['mister snuggles', 'skoda felicia', 'tomato boat'];
/** A code the app does not show now: the same digits with the last one moved on. */
const otherCode = (code: string) => code.slice(0, 5) + String((Number(code[5]) + 1) % 10);

describe('security questions', () => {
  let rec: TestRecorder;
  let admin: ApiClient;
  const anon = () => new ApiClient(rec.url);
  const verify = (body: Record<string, unknown>) => anon().post('/api/v1/recovery/questions/verify', { username: 'admin', ...body });

  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
    admin = await loggedInAdmin(rec);
  });
  afterEach(() => rec.close());

  async function setQuestions(client = admin, password = STRONG_PASSWORD) {
    const res = await client.put('/api/v1/me/recovery/questions', { currentPassword: password, questions: QUESTIONS });
    expect(res.status).toBe(200);
    return res;
  }

  it('an admin sets them with the password; only the questions come back, never the answers', async () => {
    expect((await admin.get('/api/v1/me/recovery/questions')).body).toEqual({ set: false, questions: [] });
    expect((await anon().get('/api/v1/device')).body.recoveryMethods.securityQuestions).toBe(false);

    const wrongPassword = await admin.put('/api/v1/me/recovery/questions', { currentPassword: OTHER_STRONG_PASSWORD, questions: QUESTIONS });
    expect(wrongPassword.status).toBe(403);
    expect(wrongPassword.body.error.code).toBe('invalid_current_password');

    const twice = await admin.put('/api/v1/me/recovery/questions', {
      currentPassword: STRONG_PASSWORD,
      questions: [QUESTIONS[0], QUESTIONS[1], { question: QUESTIONS[0]!.question.toUpperCase(), answer: 'another one' }],
    });
    expect(twice.status).toBe(422);
    expect(twice.body.error.code).toBe('questions_rejected');
    expect(twice.body.error.details.reasons.map((r: { code: string }) => r.code)).toEqual(['questions_not_distinct']);

    const saved = await setQuestions();
    const expected = { set: true, questions: QUESTIONS.map((q) => q.question) };
    expect(saved.body).toEqual(expected);
    expect((await admin.get('/api/v1/me/recovery/questions')).body).toEqual(expected);
    expect((await anon().get('/api/v1/device')).body.recoveryMethods.securityQuestions).toBe(true);
    const changed = rec.running.ctx.audit.query({ type: 'recovery.method_changed' });
    expect(changed).toHaveLength(1);
    expect(JSON.parse(changed[0]!.details)).toEqual({ method: 'securityQuestions', change: 'set' });
  });

  it('right answers, typed differently, recover the account end to end; the answers are never logged', async () => {
    await setQuestions();
    const asked = await anon().post('/api/v1/recovery/questions', { username: 'admin' });
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ questions: QUESTIONS.map((q) => q.question) });

    const granted = await verify({ answers: RETYPED });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ username: 'admin', method: 'securityQuestions', mayClearTwoFactor: false });

    const reset = await anon().post('/api/v1/recovery/reset', { token: granted.body.token, newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect((await anon().login('admin', STRONG_PASSWORD)).status).toBe(401);
    expect((await anon().login('admin', NEW_PASSWORD)).status).toBe(201);

    const logged = rec.logs.join('\n').toLowerCase();
    for (const secret of [...QUESTIONS.map((q) => q.answer), ...RETYPED]) {
      expect(logged).not.toContain(secret.trim().toLowerCase());
    }
    const audit = JSON.stringify(rec.running.ctx.audit.query({ limit: 100 })).toLowerCase();
    expect(audit).not.toContain('snuggles');
    expect(audit).not.toContain('tomato');
  });

  it('all three must match; 5 wrong tries block the path for 30 minutes, even with the right answers, across a restart', async () => {
    await setQuestions();
    const twoRight = await verify({ answers: [RETYPED[0], RETYPED[1], 'wrong boat'] });
    expect(twoRight.status).toBe(401);
    expect(twoRight.body.error.code).toBe('invalid_answers');
    for (let i = 0; i < 3; i++) expect((await verify({ answers: WRONG })).status).toBe(401);
    const fifth = await verify({ answers: WRONG });
    expect(fifth.status).toBe(401);

    const blocked = await verify({ answers: RETYPED });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('recovery_method_blocked');
    expect(Number(blocked.headers.get('retry-after'))).toBe(30 * 60);
    expect(rec.running.ctx.audit.query({ type: 'recovery.blocked' })).toHaveLength(1);
    expect(rec.running.ctx.audit.query({ type: 'recovery.evidence_failed' })).toHaveLength(5);

    await rec.restart();
    rec.clock.advance(29 * 60);
    expect((await verify({ answers: RETYPED })).status).toBe(429);
    rec.clock.advance(60);
    const after = await verify({ answers: RETYPED });
    expect(after.status).toBe(201);
    expect(after.body.method).toBe('securityQuestions');
  });

  it('the block time is the admin\'s setting', async () => {
    await setQuestions();
    const bad = await admin.put('/api/v1/settings/recovery', { weakPathsLanOnly: true, questionBlockMinutes: 0 });
    expect(bad.status).toBe(400);
    const set = await admin.put('/api/v1/settings/recovery', { weakPathsLanOnly: true, questionBlockMinutes: 120 });
    expect(set.body).toEqual({ weakPathsLanOnly: true, questionBlockMinutes: 120 });
    // A setting left out stays as it is; an empty change is refused.
    expect((await admin.put('/api/v1/settings/recovery', { weakPathsLanOnly: false })).body).toEqual({ weakPathsLanOnly: false, questionBlockMinutes: 120 });
    expect((await admin.put('/api/v1/settings/recovery', { questionBlockMinutes: 120 })).body).toEqual({ weakPathsLanOnly: false, questionBlockMinutes: 120 });
    expect((await admin.put('/api/v1/settings/recovery', {})).status).toBe(400);

    for (let i = 0; i < 5; i++) await verify({ answers: WRONG });
    const blocked = await verify({ answers: RETYPED });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBe(120 * 60);
  });

  it('concurrent guesses stop at the limit: no more than 5 are judged', async () => {
    await setQuestions();
    const answers = await Promise.all(Array.from({ length: 12 }, () => verify({ answers: WRONG })));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(7);
    expect(rec.running.ctx.audit.query({ type: 'recovery.evidence_failed' })).toHaveLength(5);
  });

  it('with 2FA on, right answers without the right code get the answer wrong ones get, and count as failures', async () => {
    const { secret, recoveryCodes } = await enrolTotp(rec, admin);
    await setQuestions();

    const wrongCode = otherCode(appCode(rec, secret));
    const refusals = [
      await verify({ answers: RETYPED }),
      await verify({ answers: WRONG }),
      await verify({ answers: RETYPED, totp: wrongCode }),
      await verify({ answers: WRONG, totp: wrongCode }),
    ];
    // Nothing tells someone without the second factor that their answers are right.
    for (const refusal of refusals) expect([refusal.status, refusal.body]).toEqual([401, refusals[1]!.body]);
    expect(refusals[0]!.body.error.code).toBe('invalid_answers');
    expect(rec.running.ctx.recovery.getMethodLock('securityQuestions', 'user:1')?.failures).toBe(4);
    expect(rec.running.ctx.audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(0);
    // The log says what was really wrong, for the admins.
    const reasons = rec.running.ctx.audit.query({ type: 'recovery.evidence_failed' }).map((e) => JSON.parse(e.details).reason);
    expect(reasons.reverse()).toEqual(['second_factor_missing', 'invalid_answers', 'invalid_second_factor', 'invalid_answers']);

    // A recovery code works too, and is spent: the same code does not work twice.
    const byRecoveryCode = await verify({ answers: RETYPED, recoveryCode: recoveryCodes[0] });
    expect(byRecoveryCode.status).toBe(201);
    expect(byRecoveryCode.body.mayClearTwoFactor).toBe(false);
    expect((await verify({ answers: RETYPED, recoveryCode: recoveryCodes[0] })).body.error.code).toBe('invalid_answers');

    // The code of enrolment is spent; the app shows the next one half a minute later.
    rec.clock.advance(30);
    const byTotp = await verify({ answers: RETYPED, totp: appCode(rec, secret) });
    expect(byTotp.status).toBe(201);
    // The weak path never removes the second factor, even when asked.
    const reset = await anon().post('/api/v1/recovery/reset', { token: byTotp.body.token, newPassword: NEW_PASSWORD, clearTwoFactor: true });
    expect(reset.body.twoFactorCleared).toBe(false);
    const login = await anon().login('admin', NEW_PASSWORD);
    expect(login.status).toBe(200);
    expect(login.body.secondFactorRequired).toBe(true);
  });

  it('an unknown, non-admin or unconfigured name gets stable decoy questions and the wrong-answer reply', async () => {
    const created = await admin.post('/api/v1/users', { username: 'viewer1', role: 'viewer' });
    expect(created.status).toBe(201);

    const questionsOf = async (username: string) => (await anon().post('/api/v1/recovery/questions', { username })).body.questions as string[];
    // Not yet set up: the admin gets decoys too.
    const adminDecoys = await questionsOf('admin');
    for (const name of ['nobody', 'viewer1', 'admin']) {
      const first = await questionsOf(name);
      expect(first).toHaveLength(3);
      expect(new Set(first).size).toBe(3);
      // Presets or, now and then, a question in an owner's own words: what a real account shows.
      expect(checkQuestionsAndAnswers(first.map((question) => ({ question, answer: 'an answer' })))).toEqual([]);
      expect(await questionsOf(name)).toEqual(first);
    }
    // Among unknown names, some show a question of their own, as owners' accounts may.
    const decoys = (await Promise.all(Array.from({ length: 30 }, (_, i) => questionsOf(`stranger${i}`)))).flat();
    expect(decoys.filter((q) => !PRESET_QUESTIONS.includes(q)).length).toBeGreaterThan(0);
    // Named like the account it could be: capitals do not change the decoys.
    expect(await questionsOf('NOBODY')).toEqual(await questionsOf('nobody'));

    await setQuestions();
    expect(await questionsOf('admin')).not.toEqual(adminDecoys);

    const replies = await Promise.all(
      ['nobody', 'viewer1'].map((username) => anon().post('/api/v1/recovery/questions/verify', { username, answers: RETYPED })),
    );
    const wrongForAdmin = await verify({ answers: WRONG });
    for (const reply of [...replies, wrongForAdmin]) {
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(wrongForAdmin.body);
    }
  });

  it('answers only the LAN by default; from the internet once the admin allows it', async () => {
    await setQuestions();
    // The socket's address decides (no proxy header is believed): inject a request from outside.
    const fromInternet = (url: string, payload: Record<string, unknown>) =>
      rec.running.app.inject({ method: 'POST', url, payload, remoteAddress: '203.0.113.7' }).then((r) => ({ status: r.statusCode, body: r.json() }));
    for (const [url, body] of [
      ['/api/v1/recovery/questions', { username: 'admin' }],
      ['/api/v1/recovery/questions/verify', { username: 'admin', answers: RETYPED }],
    ] as const) {
      const refused = await fromInternet(url, body);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('recovery_lan_only');
    }
    expect(rec.running.ctx.audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(0);

    expect((await admin.put('/api/v1/settings/recovery', { weakPathsLanOnly: false })).status).toBe(200);
    expect((await fromInternet('/api/v1/recovery/questions', { username: 'admin' })).body.questions).toEqual(QUESTIONS.map((q) => q.question));
    expect((await fromInternet('/api/v1/recovery/questions/verify', { username: 'admin', answers: RETYPED })).status).toBe(201);
  });

  it('needs an admin session to set questions', async () => {
    expect((await anon().put('/api/v1/me/recovery/questions', { currentPassword: STRONG_PASSWORD, questions: QUESTIONS })).status).toBe(401);
  });
});

import { describe, expect, it } from 'vitest';
import { formatRecoveryKeyFile, parseRecoveryKeyFile, recoveryKeyFileName } from '../../../src/recorder/api/recovery-key-file.js';
import {
  checkQuestionsAndAnswers,
  decoyQuestions,
  normaliseAnswer,
  PRESET_QUESTIONS,
  tidyQuestion,
} from '../../../src/recorder/recovery/security-questions-policy.js';

describe('normaliseAnswer', () => {
  it.each([
    ['  Ünïcode   Street ', 'ünïcode street'],
    ['ÜNÏCODE STREET', 'ünïcode street'],
    ['U\u0308nI\u0308code\tStreet', 'ünïcode street'], // decomposed (NFD) accents, a tab
    ['Ｕｎｉｃｏｄｅ\u3000Ｓｔｒｅｅｔ', 'unicode street'], // full-width letters and space
    ['\u00a0elm\u2003street\n', 'elm street'], // no-break and em spaces, a newline
    ['ﬁsh', 'fish'], // a ligature
  ])('%j is compared as %j', (typed, normalised) => {
    expect(normaliseAnswer(typed)).toBe(normalised);
  });

  it('NFC and NFD spellings of one answer compare equal, and different letters do not', () => {
    expect(normaliseAnswer('Crème brûlée'.normalize('NFD'))).toBe(normaliseAnswer('Crème brûlée'.normalize('NFC')));
    expect(normaliseAnswer('Creme brulee')).not.toBe(normaliseAnswer('Crème brûlée'));
  });
});

describe('checkQuestionsAndAnswers', () => {
  const good = [
    { question: PRESET_QUESTIONS[0]!, answer: 'Mr Bear' },
    { question: PRESET_QUESTIONS[1]!, answer: 'Elm Street' },
    { question: 'What did we call the red boat at the lake?', answer: 'Tomato' },
  ];

  it('accepts three distinct questions with answers long enough', () => {
    expect(checkQuestionsAndAnswers(good)).toEqual([]);
  });

  it('needs exactly three', () => {
    expect(checkQuestionsAndAnswers(good.slice(0, 2)).map((p) => p.code)).toEqual(['question_count']);
    expect(checkQuestionsAndAnswers([...good, good[0]!]).map((p) => p.code)).toEqual(['question_count']);
  });

  it('refuses the same question twice, even spelled with other capitals or spaces', () => {
    const twice = [good[0]!, good[1]!, { question: `  ${good[0]!.question.toUpperCase()}  `, answer: 'Other answer' }];
    expect(checkQuestionsAndAnswers(twice).map((p) => p.code)).toEqual(['questions_not_distinct']);
  });

  it('refuses short or long custom questions, control and invisible characters, short answers', () => {
    const codes = (question: string, answer = 'Long enough') => checkQuestionsAndAnswers([good[0]!, good[1]!, { question, answer }]).map((p) => p.code);
    expect(codes('Pet?')).toEqual(['question_too_short']);
    expect(codes('Q'.repeat(201))).toEqual(['question_too_long']);
    expect(codes('What was\u0007 the bell?')).toEqual(['question_hidden_characters']);
    expect(codes('What is \u202eevil reversed text?')).toEqual(['question_hidden_characters']);
    expect(codes(good[2]!.question, '  A\u00a0 ')).toEqual(['answer_too_short']);
    expect(codes(good[2]!.question, 'x'.repeat(201))).toEqual(['answer_too_long']);
  });

  it('tidyQuestion collapses spaces only', () => {
    expect(tidyQuestion('  What   was\tIt? ')).toBe('What was It?');
  });
});

describe('decoyQuestions', () => {
  const seeds = Array.from({ length: 400 }, (_, i) => Uint8Array.from([i & 0xff, i >> 8, 7, 42]));

  it('three different questions an owner could have saved, fixed by the seed', () => {
    for (const seed of seeds.slice(0, 50)) {
      const picked = decoyQuestions(seed);
      expect(new Set(picked).size).toBe(3);
      expect(checkQuestionsAndAnswers(picked.map((question) => ({ question, answer: 'an answer' })))).toEqual([]);
      expect(decoyQuestions(seed)).toEqual(picked);
    }
    expect(decoyQuestions(Uint8Array.from([1, 2, 3]))).not.toEqual(decoyQuestions(Uint8Array.from([200, 7, 99, 1])));
  });

  it('every preset question can come up, and so can questions in an owner\'s own words: a custom question marks no real account', () => {
    const all = seeds.flatMap((seed) => decoyQuestions(seed));
    expect(new Set(all.filter((q) => PRESET_QUESTIONS.includes(q))).size).toBe(PRESET_QUESTIONS.length);
    const ownWords = all.filter((q) => !PRESET_QUESTIONS.includes(q));
    // About one in four, and varied: not a short list an attacker could learn by asking a few names.
    expect(ownWords.length / all.length).toBeGreaterThan(0.15);
    expect(ownWords.length / all.length).toBeLessThan(0.35);
    expect(new Set(ownWords).size).toBeGreaterThan(150);
  });
});

describe('recovery key file', () => {
  const content = { serial: 'VGL-1234', username: 'admin', createdAt: '2026-11-24T22:00:00.000Z', secret: 'A'.repeat(42) + 'w' };

  it('reads back what it wrote, also after an editor changed line ends and spacing', () => {
    const text = formatRecoveryKeyFile(content);
    expect(text).toMatch(/^Vigil recorder recovery key/);
    expect(parseRecoveryKeyFile(text)).toEqual({ serial: 'VGL-1234', username: 'admin', secret: content.secret });
    expect(parseRecoveryKeyFile(text.replace(/\n/g, '\r\n').replace(/key: /, '  key:   '))).toEqual({ serial: 'VGL-1234', username: 'admin', secret: content.secret });
  });

  it.each([
    ['no format line', (t: string) => t.replace(/format: .*\n/, '')],
    ['another format', (t: string) => t.replace('vigil-recovery-key/1', 'vigil-recovery-key/2')],
    ['a truncated key', (t: string) => t.replace(/key: (.*)w/, 'key: $1')],
    ['a key with other characters', (t: string) => t.replace(/key: A/, 'key: +')],
    ['no username', (t: string) => t.replace(/username: .*\n/, '')],
  ])('refuses a file with %s', (_name, edit) => {
    expect(parseRecoveryKeyFile(edit(formatRecoveryKeyFile(content)))).toBeUndefined();
  });

  it('names the file after the serial, safely', () => {
    expect(recoveryKeyFileName('VGL-1234')).toBe('vigil-recovery-key-VGL-1234.txt');
    expect(recoveryKeyFileName('../x y')).toBe('vigil-recovery-key-___x_y.txt');
  });
});

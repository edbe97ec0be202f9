/**
 * The rules for security questions and their answers. Pure (no Node imports): the web UI and the
 * terminal wizard use the same preset list and the same checks.
 */
import { ANSWER_MAX_LENGTH, CUSTOM_QUESTION_MAX_LENGTH, QUESTION_COUNT } from '../api/security-questions.js';

/**
 * Questions whose answers an owner remembers years later, that do not change, and that are not on
 * a social-media profile (no "mother's maiden name", no "city you were born in").
 */
export const PRESET_QUESTIONS: readonly string[] = [
  'What was the name of your first stuffed animal or toy?',
  'What was the street name of the first home you remember?',
  'What was the first concert you went to?',
  'What was the make and model of the first car you drove?',
  'What was the name of your best friend at primary school?',
  'What was the first dish you learned to cook?',
  'In what town did you have your first job?',
  'What was the name of the teacher you liked most?',
  'What is the middle name of your oldest cousin?',
  'What was the name of the street your grandparents lived on?',
  'What was the title of the first book you loved?',
];

export const CUSTOM_QUESTION_MIN_LENGTH = 10;
/** After normalisation: one- or two-letter answers are too easy to guess. */
export const ANSWER_MIN_LENGTH = 3;

/**
 * The form an answer is compared in: Unicode NFKC (full-width letters, ligatures and composed or
 * decomposed accents become one form), lower case, runs of white space as one space, trimmed. The
 * owner typing "Elm  street" on a phone years after "elm Street" on a laptop must still match.
 */
export function normaliseAnswer(answer: string): string {
  return answer.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** How a question is stored and shown: trimmed, spaces collapsed, nothing else changed. */
export function tidyQuestion(question: string): string {
  return question.replace(/\s+/gu, ' ').trim();
}

/** Questions are compared the same way, so "two" questions differing only in spacing are one. */
const normaliseQuestion = (question: string) => normaliseAnswer(question);

// Control and format characters (including bidirectional overrides) could hide what a question says.
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u;

export type QuestionProblem =
  | { code: 'question_count'; message: string }
  | { code: 'question_too_short' | 'question_too_long' | 'question_hidden_characters'; index: number; message: string }
  | { code: 'questions_not_distinct'; message: string }
  | { code: 'answer_too_short' | 'answer_too_long'; index: number; message: string };

export interface QuestionAndAnswer {
  question: string;
  answer: string;
}

/** What is wrong with a set of questions and answers; an empty list means it may be saved. */
export function checkQuestionsAndAnswers(entries: readonly QuestionAndAnswer[]): QuestionProblem[] {
  if (entries.length !== QUESTION_COUNT) return [{ code: 'question_count', message: `Choose exactly ${QUESTION_COUNT} questions` }];
  const problems: QuestionProblem[] = [];
  entries.forEach(({ question, answer }, index) => {
    const n = index + 1;
    const text = tidyQuestion(question);
    if (HIDDEN_CHARACTERS.test(question)) {
      problems.push({ code: 'question_hidden_characters', index, message: `Question ${n} contains invisible or control characters` });
    } else if (text.length < CUSTOM_QUESTION_MIN_LENGTH) {
      problems.push({ code: 'question_too_short', index, message: `Question ${n} is too short (at least ${CUSTOM_QUESTION_MIN_LENGTH} characters)` });
    } else if (text.length > CUSTOM_QUESTION_MAX_LENGTH) {
      problems.push({ code: 'question_too_long', index, message: `Question ${n} is too long (at most ${CUSTOM_QUESTION_MAX_LENGTH} characters)` });
    }
    const normalised = normaliseAnswer(answer);
    if (normalised.length < ANSWER_MIN_LENGTH) {
      problems.push({ code: 'answer_too_short', index, message: `Answer ${n} is too short (at least ${ANSWER_MIN_LENGTH} characters)` });
    } else if (normalised.length > ANSWER_MAX_LENGTH) {
      problems.push({ code: 'answer_too_long', index, message: `Answer ${n} is too long (at most ${ANSWER_MAX_LENGTH} characters)` });
    }
  });
  if (new Set(entries.map((e) => normaliseQuestion(e.question))).size !== entries.length) {
    problems.push({ code: 'questions_not_distinct', message: 'Choose three different questions' });
  }
  return problems;
}

// Questions written the way owners write their own: decoys drawn from presets only would tell that a
// name showing a question of its own has a real account behind it.
const PEOPLE = [
  'my aunt', 'my uncle', 'my grandmother', 'my grandfather', 'our neighbour', 'my godmother',
  'my first boss', 'my best friend', 'my sister', 'my brother', 'my cousin', 'my piano teacher',
];
const THINGS = [
  'first dog', 'first cat', 'first car', 'boat', 'horse', 'shop',
  'favourite café', 'village', 'street', 'garden', 'band', 'football club',
];
const EVENTS = ['grow up', 'go to school', 'learn to drive', 'get married', 'work before retiring', 'live when I was born', 'go on holiday every summer', 'take me fishing'];
const PLACES = ['at primary school', 'in the football team', 'at summer camp', 'at university', 'in the choir', 'at my first job', 'in the scouts', 'on the school bus'];

/** One decoy question in four is written like an owner's own. */
const OWN_STYLE_SHARE = 0.25;

/** A question in an owner's own words, of the several hundred these pieces make. */
function ownStyleQuestion(random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const form = random();
  if (form < 0.45) return `What was the name of ${pick(PEOPLE)}'s ${pick(THINGS)}?`;
  if (form < 0.9) return `Where did ${pick(PEOPLE)} ${pick(EVENTS)}?`;
  return `What was my nickname ${pick(PLACES)}?`;
}

/** Numbers in [0, 1) fixed by `seed` (mulberry32 over the seed's FNV-1a hash): the same seed, the same numbers. */
function seededRandom(seed: Uint8Array): () => number {
  let state = 0x811c9dc5;
  for (const byte of seed) state = Math.imul(state ^ byte, 0x01000193) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Three different questions picked by `seed` (a keyed hash of the name asked about): presets, and
 * now and then one in an owner's own words. The same name always gets the same three, and without
 * the key nobody can predict which, so decoy questions for accounts that do not exist look like an
 * owner's choice, custom questions included.
 */
export function decoyQuestions(seed: Uint8Array): string[] {
  const random = seededRandom(seed);
  const presets = [...PRESET_QUESTIONS];
  const chosen: string[] = [];
  while (chosen.length < QUESTION_COUNT) {
    const question = random() < OWN_STYLE_SHARE ? ownStyleQuestion(random) : presets.splice(Math.floor(random() * presets.length), 1)[0]!;
    if (!chosen.includes(question)) chosen.push(question);
  }
  return chosen;
}

// Password policy shared by the server and the browser UI: keep it free of Node APIs.
// The zxcvbn-ts packages (~1.5 MB of dictionaries) are loaded with dynamic import() on
// first use, so Vite puts them in a separate chunk that only the password forms load.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { PLAIN_ADVICE } from './advice.js';

export const PRODUCT_NAME = 'Vigil';
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type StrengthLevel = 'risky' | 'weak' | 'medium' | 'strong';

export interface PasswordContext {
  username?: string;
  serial?: string;
  model?: string;
}

export interface PasswordReason {
  code:
    | 'too_short'
    | 'too_long'
    | 'common_password'
    | 'contains_username'
    | 'contains_serial'
    | 'contains_model'
    | 'contains_product_name'
    | 'too_guessable'
    /** Not the policy's own: a reset refuses the password the account has now. */
    | 'same_as_current';
  message: string;
}

export interface PasswordVerdict {
  level: StrengthLevel;
  accepted: boolean;
  reasons: PasswordReason[];
  score: 0 | 1 | 2 | 3 | 4;
}

const COMMON_LIST_SIZE = 10_000;
const MIN_SCORE = 3;
// Shorter context values (a username "al") would match far too many passwords.
const MIN_CONTEXT_LENGTH = 3;
// zxcvbn's default (100 de-l33ted variants, each matched against every substring) takes up
// to ~2 s on a random 128-character password, blocking the server's event loop or the UI.
// 20 caps that at ~0.3 s and changed the verdict for 3 of 600 l33ted dictionary words.
const L33T_MAX_VARIANTS = 20;

const FALLBACK_GUESSABLE = PLAIN_ADVICE.suggestions.anotherWord.replace(/\.$/, '');

// Messages never interpolate the password: they end up in logs, API responses and the DOM.
const CONTEXT_RULES = [
  { key: 'username', code: 'contains_username', message: "Don't include your username (also reversed)" },
  { key: 'serial', code: 'contains_serial', message: "Don't include the device's serial number (also reversed)" },
  { key: 'model', code: 'contains_model', message: "Don't include the device's model name (also reversed)" },
  { key: 'product', code: 'contains_product_name', message: "Don't include the product name (also reversed)" },
] as const;

interface Engine {
  zxcvbn: ZxcvbnFactory;
  common: ReadonlySet<string>;
}

let engine: Promise<Engine> | undefined;

function loadEngine(): Promise<Engine> {
  engine ??= buildEngine().catch((err: unknown) => {
    engine = undefined; // let a later call retry, e.g. after a failed chunk download
    throw err;
  });
  return engine;
}

async function buildEngine(): Promise<Engine> {
  const [core, common, en] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]);
  const zxcvbn = new core.ZxcvbnFactory({
    translations: PLAIN_ADVICE,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
    l33tMaxSubstitutions: L33T_MAX_VARIANTS,
  });
  // The "most common or breached passwords" list is zxcvbn's own ranked password
  // dictionary (language-common v4 exports it as dictionary['passwords-common'],
  // most frequent first, already lower-case); its head is the top 10,000.
  const ranked = common.dictionary['passwords-common'].slice(0, COMMON_LIST_SIZE);
  return { zxcvbn, common: new Set(ranked) };
}

export function normalizePassword(password: string): string {
  return password.normalize('NFC');
}

function reverse(s: string): string {
  return [...s].reverse().join('');
}

function levelFor(hardFailure: boolean, score: PasswordVerdict['score']): StrengthLevel {
  if (hardFailure || score <= 1) return 'risky';
  if (score === 2) return 'weak';
  return score === 3 ? 'medium' : 'strong';
}

export async function evaluatePassword(password: string, context: PasswordContext = {}): Promise<PasswordVerdict> {
  const { zxcvbn, common } = await loadEngine();
  const normalized = normalizePassword(password);
  const lower = normalized.toLowerCase();
  const codePoints = [...normalized];
  const reasons: PasswordReason[] = [];

  if (codePoints.length < PASSWORD_MIN_LENGTH) {
    reasons.push({ code: 'too_short', message: `Use at least ${PASSWORD_MIN_LENGTH} characters` });
  } else if (codePoints.length > PASSWORD_MAX_LENGTH) {
    reasons.push({ code: 'too_long', message: `Use at most ${PASSWORD_MAX_LENGTH} characters` });
  }

  if (common.has(lower)) {
    reasons.push({ code: 'common_password', message: 'This is one of the most common passwords' });
  }

  const values: Record<(typeof CONTEXT_RULES)[number]['key'], string | undefined> = {
    username: context.username,
    serial: context.serial,
    model: context.model,
    product: PRODUCT_NAME,
  };
  const userInputs: string[] = [];
  for (const rule of CONTEXT_RULES) {
    const word = normalizePassword(values[rule.key] ?? '').toLowerCase();
    if ([...word].length < MIN_CONTEXT_LENGTH) continue;
    userInputs.push(word);
    if (lower.includes(word) || lower.includes(reverse(word))) {
      reasons.push({ code: rule.code, message: rule.message });
    }
  }

  const hardFailure = reasons.length > 0;
  // zxcvbn's cost grows with length; anything past the maximum is rejected above anyway.
  const scored = codePoints.slice(0, PASSWORD_MAX_LENGTH).join('');
  const result = zxcvbn.check(scored, userInputs);
  const { score } = result;

  if (score < MIN_SCORE) {
    const { warning, suggestions } = result.feedback;
    const advice = [warning, suggestions[0]].filter(Boolean).join(' ').replace(/\.$/, '');
    reasons.push({ code: 'too_guessable', message: advice || FALLBACK_GUESSABLE });
  }

  return { level: levelFor(hardFailure, score), accepted: reasons.length === 0, reasons, score };
}

// What the strength checker says about a guessable password, in the words of someone helping at
// the keyboard. zxcvbn's own English sentences read like a linter ("There should not be any
// personal or page related data"); these replace them key for key, so its judgement stays the
// same and only the wording changes. Nothing here may name a composition rule (digits, symbols,
// capitals are never required).
import type { TranslationKeys } from '@zxcvbn-ts/core';

export const PLAIN_ADVICE: TranslationKeys = {
  warnings: {
    straightRow: 'A row of keys from the keyboard is easy to guess.',
    keyPattern: 'A short keyboard pattern is easy to guess.',
    simpleRepeat: 'A character repeated, like "aaa", is easy to guess.',
    extendedRepeat: 'A repeated pattern, like "abcabcabc", is easy to guess.',
    sequences: 'A run like "abc" or "1234" is easy to guess.',
    recentYears: 'A recent year is easy to guess.',
    dates: 'A date is easy to guess.',
    topTen: 'This is one of the most used passwords there are.',
    topHundred: 'This is one of the passwords people use most.',
    common: 'Many people use this password.',
    similarToCommon: 'This is very close to a password many people use.',
    wordByItself: 'A single word on its own is easy to guess.',
    namesByThemselves: 'A name on its own is easy to guess.',
    commonNames: 'Common first names and surnames are easy to guess.',
    userInputs: 'It is close to your username, the product name or this recorder\'s name, which others can see.',
    pwned: 'This password has been leaked in a data breach.',
  },
  suggestions: {
    l33t: 'Swapping letters for look-alikes, like "@" for "a", fools nobody.',
    reverseWords: 'A word spelled backwards is still easy to guess.',
    allUppercase: 'Capitals all the way through do not make it harder to guess.',
    capitalization: 'A capital first letter does not make it harder to guess.',
    dates: 'Leave out dates and years that mean something to you.',
    recentYears: 'Leave out recent years.',
    associatedYears: 'Leave out years that mean something to you.',
    sequences: 'Leave out runs like "abc" or "1234".',
    repeated: 'Leave out repeated words and characters.',
    longerKeyboardPattern: 'Leave out keyboard patterns.',
    anotherWord: 'Add another word or two; uncommon words are better.',
    useWords: 'Use a few words that do not usually go together.',
    noNeed: 'A few unrelated words make a strong password on their own.',
    pwned: 'If you use it anywhere else, change it there too.',
  },
  timeEstimation: {
    ltSecond: 'less than a second',
    second: '{base} second',
    seconds: '{base} seconds',
    minute: '{base} minute',
    minutes: '{base} minutes',
    hour: '{base} hour',
    hours: '{base} hours',
    day: '{base} day',
    days: '{base} days',
    month: '{base} month',
    months: '{base} months',
    year: '{base} year',
    years: '{base} years',
    centuries: 'centuries',
  },
};

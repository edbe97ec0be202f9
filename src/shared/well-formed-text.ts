/**
 * Text that is not well-formed Unicode: a lone UTF-16 surrogate, such as JSON's "\ud800" makes.
 * UTF-8 (SQLite's text, the wire, files) cannot carry one, so wherever such text is written it
 * silently becomes U+FFFD. In unicode mode a regular expression reads a surrogate pair as one code
 * point, so `\p{Surrogate}` finds only lone ones.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;
const LONE_SURROGATES = /\p{Surrogate}/gu;

export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** The text as UTF-8 storage keeps it: each lone surrogate replaced by U+FFFD. */
export function toWellFormedText(text: string): string {
  return text.replace(LONE_SURROGATES, '\ufffd');
}

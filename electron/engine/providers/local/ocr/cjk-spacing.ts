/**
 * Characters written without spaces between them: Han, kana and CJK/fullwidth punctuation.
 * Hangul is left out on purpose (Korean separates words with spaces).
 */
const UNSPACED = String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef\u30fc]`;
const SPACES_BETWEEN_UNSPACED = new RegExp(`(?<=${UNSPACED})[ \\t\\u3000]+(?=${UNSPACED})`, 'gu');
const UNSPACED_CHAR = new RegExp(`^${UNSPACED}$`, 'u');

/** Tesseract puts a space between Chinese (and Japanese) characters; search and chunking want none. */
export function removeCjkSpaces(text: string): string {
  return text.replace(SPACES_BETWEEN_UNSPACED, '');
}

/** True for a character that is written without spaces around it (see UNSPACED). */
export function isUnspacedChar(char: string): boolean {
  return UNSPACED_CHAR.test(char);
}

/** Joins two lines of running text: nothing between CJK characters, one space otherwise. */
export function joinLines(left: string, right: string): string {
  if (!left) return right;
  if (!right) return left;
  const last = [...left].at(-1) ?? '';
  const first = [...right][0] ?? '';
  return isUnspacedChar(last) && isUnspacedChar(first) ? left + right : `${left} ${right}`;
}

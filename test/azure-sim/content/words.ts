import type { Box, ReadWord } from './types';

export interface WordToken {
  text: string;
  /** UTF-16 offsets within the line text. */
  start: number;
  end: number;
}

/** Han, Hiragana, Katakana and Hangul: the service reports each such character as its own word. */
const ideograph = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export const isIdeograph = (character: string): boolean => ideograph.test(character);

/** Splits a line into words: whitespace-separated runs, with each ideograph a word by itself. */
export function splitWords(text: string): WordToken[] {
  const tokens: WordToken[] = [];
  let current: WordToken | undefined;
  let offset = 0;
  for (const character of text) {
    const start = offset;
    offset += character.length;
    if (/\s/u.test(character)) {
      current = undefined;
    } else if (isIdeograph(character)) {
      current = undefined;
      tokens.push({ text: character, start, end: offset });
    } else if (current) {
      current.text += character;
      current.end = offset;
    } else {
      current = { text: character, start, end: offset };
      tokens.push(current);
    }
  }
  return tokens;
}

/** Ideographs are about twice as wide as Latin letters; the weight spreads a line's box over its words. */
const characterWeight = (character: string): number => (isIdeograph(character) ? 2 : 1);

function weightUpTo(text: string, end: number): number {
  let weight = 0;
  let offset = 0;
  for (const character of text) {
    if (offset >= end) break;
    weight += characterWeight(character);
    offset += character.length;
  }
  return weight;
}

/** Words of a line with boxes cut from the line's box in proportion to their character weights. */
export function wordsInBox(text: string, box: Box | undefined, confidence: number): ReadWord[] {
  const tokens = splitWords(text);
  if (!box) return tokens.map((token) => ({ text: token.text, confidence }));
  const total = Math.max(1, weightUpTo(text, text.length));
  return tokens.map((token) => {
    const left = box.x + (box.width * weightUpTo(text, token.start)) / total;
    const right = box.x + (box.width * weightUpTo(text, token.end)) / total;
    return {
      text: token.text,
      box: { x: left, y: box.y, width: right - left, height: box.height },
      confidence,
    };
  });
}

/** Joins recognised words back into a line: a space between words unless both sides are ideographs. */
export function joinWords(words: readonly string[]): string {
  let line = '';
  for (const word of words) {
    const previous = line.at(-1);
    const needsSpace = line.length > 0 && !(previous && isIdeograph(previous) && isIdeograph(word[0] ?? ''));
    line += (needsSpace ? ' ' : '') + word;
  }
  return line;
}

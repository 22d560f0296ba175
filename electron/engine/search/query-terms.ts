/**
 * Turns what a person typed into search terms: folded (see text-fold.ts), punctuation dropped,
 * and Chinese/Japanese split into words with Intl.Segmenter (ICU's dictionary), since those
 * languages put no spaces between words. Used by snippets (to highlight) and by the local index.
 */
import { foldText } from './text-fold';

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
/**
 * Scripts written without spaces between words: a term in them is matched as a substring. Script
 * (not Script_Extensions) on purpose: CJK punctuation such as `。` has Script=Common.
 */
const UNSPACED_SCRIPT_CHAR =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** True for a letter, digit or combining mark: the characters words are made of. */
export function isWordChar(char: string): boolean {
  return WORD_CHAR.test(char);
}

/** True when a term is written in a script without spaces (CJK, Thai...), so word boundaries mean nothing. */
export function isUnspacedTerm(term: string): boolean {
  return UNSPACED_SCRIPT_CHAR.test(term);
}

const words = new Intl.Segmenter(undefined, { granularity: 'word' });

/**
 * Every term of a query in the order typed, duplicates kept (a phrase needs them), folded:
 * `"Café au LAIT!"` -> `["cafe", "au", "lait"]`, `"机器学习方法"` -> `["机器", "学习", "方法"]` (as ICU segments it).
 */
export function queryTermSequence(query: string): string[] {
  const terms: string[] = [];
  for (const { segment, isWordLike } of words.segment(foldText(query))) {
    if (isWordLike) terms.push(segment);
  }
  return terms;
}

/** Distinct terms of a query, in the order typed. */
export function queryTerms(query: string): string[] {
  return [...new Set(queryTermSequence(query))];
}

/**
 * The tokens the local full-text index stores and searches, kept in an extra column (`ftsText`)
 * as a space-separated string indexed with LanceDB's whitespace tokenizer.
 *
 * Why pre-tokenise instead of LanceDB's own tokenizers: its `simple` tokenizer keeps a whole run of
 * Chinese text as one token (no spaces to split on), and its `ngram` tokenizer would also cut
 * English words into n-grams, which ranks English badly ("cat" matching "category"). So:
 * - Latin, Cyrillic, Greek, Korean... words stay words (folded: case, accents, full-width), so BM25
 *   and phrase queries behave as for any English search engine;
 * - runs of Chinese/Japanese characters become overlapping character bigrams ("机器学习" ->
 *   "机器 器学 学习"), the classic CJK indexing scheme (as Lucene's CJKBigramFilter): it needs no
 *   dictionary, so a query is tokenised exactly as the same text inside a document, and a phrase
 *   query over the bigrams is an exact substring match. Word segmentation (Intl.Segmenter) would
 *   rank similarly but can cut the same characters differently in a short query than in a long
 *   sentence, and then the query would not match at all;
 * - scripts written without spaces that are not CJK (Thai, Lao, Khmer, Myanmar) are segmented
 *   with Intl.Segmenter's dictionary.
 */
import { foldText } from '../../search/text-fold';

/** Bump when the tokenisation changes: tables written with another version need their column rebuilt. */
export const FTS_TOKENIZER_VERSION = '1';

const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc`;
const DICTIONARY_SCRIPTS = String.raw`\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}`;
/** A word character of a script that separates words with spaces. */
const SPACED_WORD_CHAR = String.raw`(?:(?![${CJK}${DICTIONARY_SCRIPTS}])[\p{L}\p{N}\p{M}])`;
const TOKEN_RUNS = new RegExp(
  `(?<cjk>[${CJK}]+)|(?<dictionary>[${DICTIONARY_SCRIPTS}]+)|(?<word>${SPACED_WORD_CHAR}+(?:['\u2019]${SPACED_WORD_CHAR}+)*)`,
  'gu',
);

const dictionaryWords = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Tokens of a text in order (duplicates kept, as phrase queries need positions). */
export function ftsTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of foldText(text).matchAll(TOKEN_RUNS)) {
    const { cjk, dictionary } = match.groups ?? {};
    if (cjk !== undefined) pushBigrams(Array.from(cjk), tokens);
    else if (dictionary !== undefined) {
      for (const { segment, isWordLike } of dictionaryWords.segment(dictionary)) {
        if (isWordLike) tokens.push(segment);
      }
    } else tokens.push(match[0]);
  }
  return tokens;
}

/**
 * The column value: tokens joined by single spaces, with a space before and after, so "holds the
 * token t" is the SQL `LIKE '% t %'` (used to search rows the index does not cover yet).
 */
export function ftsText(text: string): string {
  return ` ${ftsTokens(text).join(' ')} `;
}

/** The tokens of a column value. */
export function splitFtsText(value: string): string[] {
  return value.split(' ').filter((token) => token.length > 0);
}

function pushBigrams(chars: string[], tokens: string[]): void {
  if (chars.length === 1) {
    tokens.push(chars[0]!);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
}

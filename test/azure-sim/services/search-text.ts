/**
 * Text analysis for the simulated index: a standard-analyzer-like tokenizer (lower case,
 * letters and digits, CJK characters as single tokens as Lucene's StandardTokenizer does) and a
 * light English stemmer for `en.*` analyzers, so "hotels" finds "hotel".
 */

const TOKEN = /[\p{L}\p{N}]+/gu;
const UNSEGMENTED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

export interface Token {
  /** The normalised term. */
  readonly term: string;
  /** Offsets of the source text the token came from (for highlighting). */
  readonly start: number;
  readonly end: number;
}

function stemEnglish(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ches|shes|sses|xes|zes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us'))
    return word.slice(0, -1);
  return word;
}

export function usesEnglishStemming(analyzer: string | null | undefined): boolean {
  return typeof analyzer === 'string' && analyzer.startsWith('en.');
}

/** Tokens of `text`, with offsets. */
export function tokenize(text: string, stem = false): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    const start = match.index ?? 0;
    if (UNSEGMENTED.test(raw)) {
      let offset = start;
      for (const char of raw) {
        tokens.push({ term: char.toLowerCase(), start: offset, end: offset + char.length });
        offset += char.length;
      }
      continue;
    }
    const lower = raw.toLowerCase();
    tokens.push({ term: stem ? stemEnglish(lower) : lower, start, end: start + raw.length });
  }
  return tokens;
}

/** A parsed simple-syntax query: required/optional/excluded terms and phrases. */
export interface TextQuery {
  /** Each clause is a sequence of terms (one term, or a phrase). */
  readonly should: readonly (readonly string[])[];
  readonly must: readonly (readonly string[])[];
  readonly mustNot: readonly (readonly string[])[];
  /** Prefix terms (`lux*`). */
  readonly prefixes: readonly string[];
}

/** Simple query syntax: words, "phrases", +required, -excluded, prefix*; `*` alone = everything. */
export function parseSimpleQuery(
  search: string,
  searchMode: 'any' | 'all',
  stem: boolean,
): TextQuery | undefined {
  const trimmed = search.trim();
  if (trimmed === '' || trimmed === '*') return undefined;
  const should: string[][] = [];
  const must: string[][] = [];
  const mustNot: string[][] = [];
  const prefixes: string[] = [];
  for (const match of trimmed.matchAll(/([+-]?)(?:"([^"]*)"|(\S+))/g)) {
    const operator = match[1];
    const body = match[2] ?? match[3] ?? '';
    if (match[3]?.endsWith('*') && match[3].length > 1) {
      const prefix = tokenize(match[3].slice(0, -1))[0]?.term;
      if (prefix) prefixes.push(prefix);
      continue;
    }
    const terms = tokenize(body, stem).map((t) => t.term);
    if (terms.length === 0) continue;
    // CJK runs become one phrase of characters, like a Lucene phrase query.
    const clauses = match[2] !== undefined || terms.length > 1 ? [terms] : terms.map((t) => [t]);
    for (const clause of clauses) {
      if (operator === '-') mustNot.push(clause);
      else if (operator === '+' || searchMode === 'all') must.push(clause);
      else should.push(clause);
    }
  }
  return { should, must, mustNot, prefixes };
}

/** Every term of the query (for scoring and highlighting). */
export function queryTerms(query: TextQuery): string[] {
  return [...new Set([...query.should, ...query.must].flat())];
}

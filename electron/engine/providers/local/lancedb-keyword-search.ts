/**
 * Keyword search over the local table's full-text index, ranked in tiers: chunks holding the exact
 * phrase first, then chunks holding every term, then chunks holding some; BM25 (`_score`) orders
 * each tier. Plain BM25 alone lets a chunk that repeats one word outrank the one with the phrase.
 *
 * Tiers are checked here, on each hit's tokens, rather than trusted to the engine: in LanceDB 0.31
 * a MatchQuery with operator AND stops filtering once the index has been updated incrementally,
 * and phrase queries skip rows added since the last index update (BooleanQuery MUST and plain
 * matches do search them). So candidates come from a phrase query, a MUST-all-terms query and an
 * any-term query, and each hit's tier is computed from its `ftsText`.
 */
import {
  BooleanQuery,
  type FullTextQuery,
  MatchQuery,
  Occur,
  PhraseQuery,
  type Table,
} from '@lancedb/lancedb';
import { foldText } from '../../search/text-fold';
import { ftsTokens } from './fts-tokens';
import { asRecord, type ChunkHit, numberField, readHit } from './lancedb-hits';
import { FTS_COLUMN, RESULT_COLUMNS } from './lancedb-schema';
import { sqlAnd, sqlColumn, sqlString } from './lancedb-sql';

export interface KeywordSearchInput {
  text: string;
  top: number;
  /** SQL predicate (filters), applied before ranking. */
  where?: string;
}

const Tier = { SomeTerms: 1, AllTerms: 2, Phrase: 3 } as const;
type Tier = (typeof Tier)[keyof typeof Tier];

interface RankedHit {
  hit: ChunkHit;
  tier: Tier;
}

/** Rows scanned when a query is a lone CJK character, which bigram tokens cannot match. */
const SUBSTRING_SCAN_LIMIT = 1000;

export async function keywordSearch(table: Table, input: KeywordSearchInput): Promise<ChunkHit[]> {
  const sequence = ftsTokens(input.text);
  const terms = [...new Set(sequence)];
  if (terms.length === 0 || input.top <= 0) return [];
  if (terms.every(isLoneCjkCharacter)) return substringSearch(table, terms, input);

  const found = new Map<string, RankedHit>();
  const collect = async (query: FullTextQuery, limit: number) => {
    let request = table
      .query()
      .fullTextSearch(query, { columns: FTS_COLUMN })
      .select([...RESULT_COLUMNS, '_score'])
      .limit(limit);
    if (input.where) request = request.where(input.where);
    for (const row of await request.toArray()) {
      const hit = readHit(row, numberField(asRecord(row), '_score'));
      if (!found.has(hit.id)) found.set(hit.id, { hit, tier: tierOf(hit.ftsText, sequence, terms) });
    }
  };
  const enough = (tier: Tier) =>
    [...found.values()].filter((ranked) => ranked.tier >= tier).length >= input.top;

  if (sequence.length > 1) {
    await collect(new PhraseQuery(sequence.join(' '), FTS_COLUMN), input.top);
    if (enough(Tier.Phrase)) return ranked(found, input.top);
  }
  if (terms.length > 1) {
    // SHOULD on the whole query gives the BM25 of all terms; the MUSTs keep only chunks holding each.
    const allTerms = new BooleanQuery([
      [Occur.Should, new MatchQuery(terms.join(' '), FTS_COLUMN)],
      ...terms.map((term): [Occur, FullTextQuery] => [Occur.Must, new MatchQuery(term, FTS_COLUMN)]),
    ]);
    await collect(allTerms, input.top + found.size);
    if (enough(Tier.AllTerms)) return ranked(found, input.top);
  }
  await collect(new MatchQuery(terms.join(' '), FTS_COLUMN), input.top + found.size);
  return ranked(found, input.top);
}

function tierOf(ftsText: string, sequence: string[], terms: string[]): Tier {
  const tokens = ftsText.split(' ');
  const present = new Set(tokens);
  if (!terms.every((term) => present.has(term))) return Tier.SomeTerms;
  return sequence.length > 1 && containsSequence(tokens, sequence) ? Tier.Phrase : Tier.AllTerms;
}

function containsSequence(tokens: string[], sequence: string[]): boolean {
  outer: for (let start = 0; start + sequence.length <= tokens.length; start++) {
    for (let offset = 0; offset < sequence.length; offset++) {
      if (tokens[start + offset] !== sequence[offset]) continue outer;
    }
    return true;
  }
  return false;
}

function ranked(found: Map<string, RankedHit>, top: number): ChunkHit[] {
  return [...found.values()]
    .sort((a, b) => b.tier - a.tier || b.hit.score - a.hit.score)
    .slice(0, top)
    .map((entry) => entry.hit);
}

const LONE_CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]$/u;

function isLoneCjkCharacter(token: string): boolean {
  return LONE_CJK.test(token);
}

/**
 * A query of single Chinese/Japanese characters ("猫") matches no bigram token, so it is answered by
 * a substring scan of the full-text column, ranked by how many of the characters a chunk holds, then
 * how often (score in [0, characters]). Slower than the index, but such queries are rare.
 */
async function substringSearch(
  table: Table,
  characters: string[],
  input: KeywordSearchInput,
): Promise<ChunkHit[]> {
  const contains = characters.map(
    (character) => `${sqlColumn(FTS_COLUMN)} LIKE ${sqlString(`%${character}%`)}`,
  );
  const rows = await table
    .query()
    .where(sqlAnd([input.where, contains.join(' OR ')])!)
    .select([...RESULT_COLUMNS])
    .limit(SUBSTRING_SCAN_LIMIT)
    .toArray();
  return rows
    .map((row) => {
      const hit = readHit(row, 0);
      const text = foldText(hit.content);
      const occurrences = characters.reduce((sum, character) => sum + text.split(character).length - 1, 0);
      const distinct = characters.filter((character) => text.includes(character)).length;
      return { ...hit, score: distinct - 1 / (1 + occurrences) };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, input.top);
}

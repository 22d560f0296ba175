/**
 * Keyword search over the local table, ranked in tiers: chunks holding the exact phrase first, then
 * chunks holding every term, then chunks holding some; BM25 orders each tier. Plain BM25 alone lets
 * a chunk that repeats one word outrank the one with the phrase.
 *
 * One any-term (OR) query reads a deep pool of candidates by BM25, and tiers are computed here from
 * each candidate's tokens. LanceDB's own tools for this do not serve: the index is built without
 * positions (0.31 fails to update an index with positions incrementally: "Max offset ... exceeds
 * length of values"), so it has no phrase queries; a MatchQuery with operator AND stops filtering
 * once the index has been updated incrementally; a BooleanQuery of MUST clauses works but takes
 * 15x longer than the OR query. Chunks holding every term score highest under OR, so the pool
 * holds them. The index is searched with `fastSearch()` (indexed rows only); rows not yet in the
 * index come from lancedb-fresh-rows.ts.
 */
import { MatchQuery, type Table } from '@lancedb/lancedb';
import { foldText } from '../../search/text-fold';
import { ftsTokens, splitFtsText } from './fts-tokens';
import { searchFreshRows } from './lancedb-fresh-rows';
import { asRecord, type ChunkHit, numberField, readHit } from './lancedb-hits';
import { FTS_COLUMN, RESULT_COLUMNS } from './lancedb-schema';
import { sqlAnd, sqlColumn, sqlString } from './lancedb-sql';

export interface KeywordSearchInput {
  text: string;
  top: number;
  /** SQL predicate (filters), applied before ranking. */
  where?: string;
  /** Whether a full-text index exists (searched with fastSearch: indexed rows only). */
  indexed: boolean;
  /** Rows not in the full-text index yet. */
  fresh: { paths: string[] | 'all'; rowCount: number; totalRowCount: number };
}

const Tier = { SomeTerms: 1, AllTerms: 2, Phrase: 3 } as const;
type Tier = (typeof Tier)[keyof typeof Tier];

interface RankedHit {
  hit: ChunkHit;
  tier: Tier;
}

/** Candidates read per query: `top` times this, within the bounds below. */
const POOL_FACTOR = 10;
const POOL_MIN = 100;
const POOL_MAX = 500;
/** Rows scanned when a query is a lone CJK character, which bigram tokens cannot match. */
const SUBSTRING_SCAN_LIMIT = 1000;

export async function keywordSearch(table: Table, input: KeywordSearchInput): Promise<ChunkHit[]> {
  const sequence = ftsTokens(input.text);
  const terms = [...new Set(sequence)];
  if (terms.length === 0 || input.top <= 0) return [];
  if (terms.every(isLoneCjkCharacter)) return substringSearch(table, terms, input);

  const pool = Math.min(Math.max(input.top * POOL_FACTOR, POOL_MIN), Math.max(POOL_MAX, input.top));
  const [fresh, indexed] = await Promise.all([
    searchFreshRows(table, {
      terms,
      paths: input.fresh.paths,
      freshRowCount: input.fresh.rowCount,
      totalRowCount: input.fresh.totalRowCount,
      limit: pool,
      where: input.where,
    }),
    input.indexed ? indexedHits(table, terms, pool, input.where) : Promise.resolve([]),
  ]);
  const found = new Map<string, RankedHit>();
  for (const hit of [...fresh, ...indexed]) {
    // A row can be in both lists while an index update lands: keep one.
    if (!found.has(hit.id)) found.set(hit.id, { hit, tier: tierOf(hit.ftsText, sequence, terms) });
  }
  return [...found.values()]
    .sort((a, b) => b.tier - a.tier || b.hit.score - a.hit.score)
    .slice(0, input.top)
    .map((entry) => entry.hit);
}

/** Any-term BM25 query over indexed rows only (LanceDB's own scan of the others loses rows). */
async function indexedHits(
  table: Table,
  terms: string[],
  limit: number,
  where: string | undefined,
): Promise<ChunkHit[]> {
  let request = table
    .query()
    .fullTextSearch(new MatchQuery(terms.join(' '), FTS_COLUMN), { columns: FTS_COLUMN })
    .fastSearch()
    .select([...RESULT_COLUMNS, '_score'])
    .limit(limit);
  if (where) request = request.where(where);
  const rows = await request.toArray();
  return rows.map((row) => readHit(row, numberField(asRecord(row), '_score')));
}

function tierOf(ftsText: string, sequence: string[], terms: string[]): Tier {
  const tokens = splitFtsText(ftsText);
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

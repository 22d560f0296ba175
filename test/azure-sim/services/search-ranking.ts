/** Scoring: BM25 for text, similarity for vectors (Azure's score formulas), RRF for hybrid. */
import type { FieldInfo, VectorMetric } from './search-index-schema';
import type { StoredDocument } from './search-index-store';
import type { TextQuery } from './search-text';

const K1 = 1.2;
const B = 0.75;
/** Reciprocal Rank Fusion constant as Azure documents it. */
export const RRF_K = 60;

export interface Scored {
  readonly doc: StoredDocument;
  readonly score: number;
}

function containsSequence(terms: readonly string[], sequence: readonly string[]): boolean {
  if (sequence.length === 1) return terms.includes(sequence[0] as string);
  outer: for (let i = 0; i + sequence.length <= terms.length; i++) {
    for (let j = 0; j < sequence.length; j++) if (terms[i + j] !== sequence[j]) continue outer;
    return true;
  }
  return false;
}

/** Whether a document (its fields' terms) satisfies the query's boolean structure. */
function matches(fieldTerms: readonly (readonly string[])[], query: TextQuery): boolean {
  const has = (clause: readonly string[]) => fieldTerms.some((terms) => containsSequence(terms, clause));
  const hasPrefix = (prefix: string) => fieldTerms.some((terms) => terms.some((t) => t.startsWith(prefix)));
  if (query.mustNot.some(has)) return false;
  if (!query.must.every(has)) return false;
  if (query.must.length > 0) return true;
  return query.should.some(has) || query.prefixes.some(hasPrefix);
}

/**
 * BM25 (k1 1.2, b 0.75, Lucene's idf) summed over the searchable fields; only documents that
 * match the query's clauses are returned, best first.
 */
export function bm25(
  docs: readonly StoredDocument[],
  fields: readonly FieldInfo[],
  query: TextQuery,
): Scored[] {
  const scoringTerms = [...new Set([...query.should, ...query.must].flat())];
  const perDoc = docs.map((doc) => fields.map((field) => doc.tokens(field).map((t) => t.term)));
  const n = docs.length;
  const avgLength = fields.map(
    (_, f) => perDoc.reduce((sum, d) => sum + (d[f]?.length ?? 0), 0) / Math.max(1, n),
  );
  const docFreq = new Map<string, number>();
  for (const term of [...scoringTerms, ...query.prefixes]) {
    const isPrefix = query.prefixes.includes(term) && !scoringTerms.includes(term);
    docFreq.set(
      term,
      perDoc.filter((d) => d.some((terms) => terms.some((t) => (isPrefix ? t.startsWith(term) : t === term))))
        .length,
    );
  }
  const results: Scored[] = [];
  perDoc.forEach((fieldTerms, i) => {
    if (!matches(fieldTerms, query)) return;
    let score = 0;
    fieldTerms.forEach((terms, f) => {
      const lengthNorm = 1 - B + (B * terms.length) / Math.max(1, avgLength[f] ?? 1);
      for (const term of [...scoringTerms, ...query.prefixes]) {
        const isPrefix = query.prefixes.includes(term);
        const tf = terms.filter((t) => (isPrefix ? t.startsWith(term) : t === term)).length;
        if (tf === 0) continue;
        const df = docFreq.get(term) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * tf * (K1 + 1)) / (tf + K1 * lengthNorm);
      }
    });
    // Every matching document gets a positive score, even when its terms are in every document.
    results.push({ doc: docs[i] as StoredDocument, score: Math.max(score, 1e-6) });
  });
  return results.sort((a, b) => b.score - a.score);
}

function toNumbers(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : undefined;
}

/** Azure's @search.score for a vector match, per metric (higher is closer). */
export function vectorScore(
  metric: VectorMetric,
  query: readonly number[],
  candidate: readonly number[],
): number {
  let dot = 0;
  let qq = 0;
  let cc = 0;
  let squared = 0;
  for (let i = 0; i < query.length; i++) {
    const q = query[i] ?? 0;
    const c = candidate[i] ?? 0;
    dot += q * c;
    qq += q * q;
    cc += c * c;
    squared += (q - c) ** 2;
  }
  switch (metric) {
    case 'euclidean':
      return 1 / (1 + Math.sqrt(squared));
    case 'dotProduct':
      return dot;
    default: {
      const cosine = qq === 0 || cc === 0 ? 0 : dot / Math.sqrt(qq * cc);
      // score = 1 / (1 + cosine distance), as the service reports it.
      return 1 / (1 + (1 - cosine));
    }
  }
}

/** Exhaustive kNN over one vector field: the k closest documents, best first. */
export function knn(
  docs: readonly StoredDocument[],
  field: FieldInfo,
  vector: readonly number[],
  k: number,
): Scored[] {
  const metric = field.vector?.metric ?? 'cosine';
  const scored: Scored[] = [];
  for (const doc of docs) {
    const candidate = toNumbers(doc.values[field.name]);
    if (!candidate) continue;
    scored.push({ doc, score: vectorScore(metric, vector, candidate) });
  }
  return scored.sort((a, b) => b.score - a.score).slice(0, k);
}

/** Reciprocal Rank Fusion of several ranked lists (each with a weight). */
export function reciprocalRankFusion(
  lists: readonly { results: readonly Scored[]; weight: number }[],
): Scored[] {
  const fused = new Map<string, { doc: StoredDocument; score: number }>();
  for (const { results, weight } of lists) {
    results.forEach((result, rank) => {
      const entry = fused.get(result.doc.key) ?? { doc: result.doc, score: 0 };
      entry.score += weight / (RRF_K + rank + 1);
      fused.set(result.doc.key, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}

/**
 * Reciprocal-rank fusion (Cormack et al. 2009): merges ranked lists whose scores are not comparable
 * (BM25 and cosine similarity) by rank alone: score(d) = sum over lists of weight / (k + rank(d)),
 * ranks 1-based. Pure, so the local and the Azure paths fuse the same way.
 */

export const DEFAULT_RRF_K = 60;

export interface FusionOptions<T> {
  /** Identity of an item across lists (the chunk id). */
  key: (item: T) => string;
  /** Dampens the weight of top ranks; 60 is the value from the paper and what Azure AI Search uses. */
  k?: number;
  /** One weight per list (default 1 each). */
  weights?: readonly number[];
}

export interface FusedItem<T> {
  key: string;
  /** The item as it appeared in the first list that holds it. */
  item: T;
  score: number;
  /** 1-based rank in each input list, or null where the list does not hold the item. */
  ranks: (number | null)[];
}

/** Fused items, best first; ties go to the item with the better best rank, then to earlier lists. */
export function reciprocalRankFusion<T>(
  lists: readonly (readonly T[])[],
  options: FusionOptions<T>,
): FusedItem<T>[] {
  const k = options.k ?? DEFAULT_RRF_K;
  if (!(k >= 0)) throw new RangeError(`RRF k must be >= 0, got ${k}`);
  const fused = new Map<string, FusedItem<T> & { order: number }>();
  lists.forEach((list, listIndex) => {
    const weight = options.weights?.[listIndex] ?? 1;
    list.forEach((item, position) => {
      const key = options.key(item);
      let entry = fused.get(key);
      if (!entry) {
        entry = { key, item, score: 0, ranks: lists.map(() => null), order: fused.size };
        fused.set(key, entry);
      }
      // A list that repeats an item counts only its best rank.
      if (entry.ranks[listIndex] !== null) return;
      const rank = position + 1;
      entry.ranks[listIndex] = rank;
      entry.score += weight / (k + rank);
    });
  });
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || bestRank(a) - bestRank(b) || a.order - b.order)
    .map(({ key, item, score, ranks }) => ({ key, item, score, ranks }));
}

function bestRank(item: FusedItem<unknown>): number {
  return Math.min(...item.ranks.map((rank) => rank ?? Number.POSITIVE_INFINITY));
}

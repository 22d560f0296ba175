import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from '../../electron/engine/search/fusion';

interface Hit {
  id: string;
  source: string;
}

const hits = (source: string, ...ids: string[]): Hit[] => ids.map((id) => ({ id, source }));
const key = (hit: Hit) => hit.id;

describe('reciprocalRankFusion', () => {
  it('scores each item as the sum of 1 / (k + rank) over the lists that hold it', () => {
    const fused = reciprocalRankFusion([hits('keyword', 'a', 'b', 'c'), hits('vector', 'c', 'a', 'd')], {
      key,
    });
    const byKey = Object.fromEntries(fused.map((item) => [item.key, item]));
    expect(byKey.a?.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(byKey.c?.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(byKey.b?.score).toBeCloseTo(1 / 62, 12);
    expect(byKey.d?.score).toBeCloseTo(1 / 63, 12);
    expect(byKey.a?.ranks).toEqual([1, 2]);
    expect(byKey.d?.ranks).toEqual([null, 3]);
    expect(fused.map((item) => item.key)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('lets an item found by both lists beat one ranked first by a single list', () => {
    const fused = reciprocalRankFusion(
      [hits('keyword', 'only-keyword', 'both'), hits('vector', 'only-vector', 'both')],
      {
        key,
      },
    );
    expect(fused[0]?.key).toBe('both');
  });

  it('keeps the item from the first list that holds it', () => {
    const fused = reciprocalRankFusion([hits('keyword', 'x'), hits('vector', 'x', 'y')], { key });
    expect(fused.find((item) => item.key === 'x')?.item.source).toBe('keyword');
    expect(fused.find((item) => item.key === 'y')?.item.source).toBe('vector');
  });

  it('applies k and per-list weights', () => {
    const fused = reciprocalRankFusion([hits('keyword', 'a'), hits('vector', 'b')], {
      key,
      k: 0,
      weights: [1, 3],
    });
    expect(fused.map((item) => [item.key, item.score])).toEqual([
      ['b', 3],
      ['a', 1],
    ]);
  });

  it('breaks score ties by best rank, then by first appearance', () => {
    // c and d hold the same ranks (1 and 2) in swapped lists: equal scores, equal best ranks.
    const fused = reciprocalRankFusion([hits('l1', 'c', 'd'), hits('l2', 'd', 'c')], { key });
    expect(fused[0]?.score).toBe(fused[1]?.score);
    expect(fused.map((item) => item.key)).toEqual(['c', 'd']);
  });

  it('counts an item repeated within one list once, at its best rank', () => {
    const fused = reciprocalRankFusion([hits('keyword', 'a', 'a', 'b')], { key });
    expect(fused.map((item) => item.key)).toEqual(['a', 'b']);
    expect(fused[0]?.score).toBeCloseTo(1 / 61, 12);
    expect(fused[1]?.score).toBeCloseTo(1 / 63, 12);
  });

  it('handles empty input and rejects a negative k', () => {
    expect(reciprocalRankFusion<Hit>([], { key })).toEqual([]);
    expect(reciprocalRankFusion<Hit>([[], []], { key })).toEqual([]);
    expect(() => reciprocalRankFusion([hits('keyword', 'a')], { key, k: -1 })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { boundedMap } from '../../electron/engine/providers/local/ocr/bounded-map';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('boundedMap', () => {
  it('returns results in order with at most `limit` calls in flight', async () => {
    let running = 0;
    let peak = 0;
    const results = await boundedMap(10, 3, async (index) => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      running--;
      return index * 2;
    });
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(peak).toBe(3);
  });

  it('starts nothing new after a failure and throws it', async () => {
    const started: number[] = [];
    const failure = boundedMap(10, 2, async (index) => {
      started.push(index);
      await tick();
      if (index === 1) throw new Error('page 2 failed');
      return index;
    });
    await expect(failure).rejects.toThrow('page 2 failed');
    expect(started.length).toBeLessThanOrEqual(3);
  });

  it('handles zero items', async () => {
    expect(await boundedMap(0, 4, async () => 1)).toEqual([]);
  });
});

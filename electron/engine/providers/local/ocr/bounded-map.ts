/**
 * Runs `work(0..count-1)` with at most `limit` calls in flight and returns the results in order.
 * After the first failure no new call starts, and that failure is thrown.
 */
export async function boundedMap<T>(
  count: number,
  limit: number,
  work: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  let failed = false;
  const runner = async () => {
    while (!failed && next < count) {
      const index = next++;
      try {
        results[index] = await work(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, runner));
  return results;
}

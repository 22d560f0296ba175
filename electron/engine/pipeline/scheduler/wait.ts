/**
 * Waits `ms` unless woken earlier (`wakeOn`) or aborted. The timer keeps the process alive
 * because someone is waiting on it, and it is always cleared when the wait ends.
 */
export function waitMs(
  ms: number,
  options: { abortSignal?: AbortSignal; wakeOn?: (wake: () => void) => () => void } = {},
): Promise<void> {
  const { abortSignal, wakeOn } = options;
  return new Promise<void>((resolve, reject) => {
    if (abortSignal?.aborted) {
      reject(abortSignal.reason);
      return;
    }
    let unsubscribe: (() => void) | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      abortSignal?.removeEventListener('abort', onAbort);
      unsubscribe?.();
    };
    const onAbort = (): void => {
      finish();
      reject(abortSignal?.reason);
    };
    const timer = setTimeout(
      () => {
        finish();
        resolve();
      },
      Math.max(0, ms),
    );
    abortSignal?.addEventListener('abort', onAbort, { once: true });
    unsubscribe = wakeOn?.(() => {
      finish();
      resolve();
    });
  });
}

/** Exponential backoff with jitter: base * 2^(attempt-1), capped, scaled into [50%, 100%]. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random() * 0.5));
}

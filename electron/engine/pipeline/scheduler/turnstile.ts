/**
 * Lets one waiter through at a time, in arrival order; an aborted waiter leaves the line at once.
 * The limiter's admission step runs inside it so pacing is FIFO and a big request is not starved.
 */
export class Turnstile {
  private busy = false;
  private readonly line: Array<{ admit: () => void }> = [];

  get waiting(): number {
    return this.line.length;
  }

  enter(abortSignal?: AbortSignal): Promise<void> {
    if (abortSignal?.aborted) return Promise.reject(abortSignal.reason);
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        admit: (): void => {
          abortSignal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const index = this.line.indexOf(entry);
        if (index >= 0) this.line.splice(index, 1);
        reject(abortSignal?.reason);
      };
      abortSignal?.addEventListener('abort', onAbort, { once: true });
      this.line.push(entry);
    });
  }

  leave(): void {
    const next = this.line.shift();
    if (next) next.admit();
    else this.busy = false;
  }
}

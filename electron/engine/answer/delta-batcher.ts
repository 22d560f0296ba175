/**
 * Answer text goes out in small batches: tokens arriving within `intervalInMs` share one event,
 * so the UI sees the answer grow smoothly without an event per token (and never waits on the
 * file-progress coalescer's longer window).
 */
export class DeltaBatcher {
  private pending = '';
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (text: string) => void,
    private readonly intervalInMs: number,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.pending += text;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.intervalInMs);
    this.timer.unref?.();
  }

  /** Sends what is pending now (before the answer's final event). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.send(text);
  }
}

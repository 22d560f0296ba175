/**
 * "Nobody starts before T": one per service group, so a 429 seen by any request holds back
 * every request of that service (and of services sharing its quota window, e.g. DI analyze and poll).
 */
export class SharedPause {
  private untilMs = 0;
  private readonly listeners = new Set<() => void>();

  /** Epoch ms the pause ends (0 when never paused). */
  get resumeAt(): number {
    return this.untilMs;
  }

  remainingMs(nowMs: number): number {
    return Math.max(0, this.untilMs - nowMs);
  }

  /** Moves the end later (never earlier); listeners hear about every change. */
  extendTo(untilMs: number): boolean {
    if (untilMs <= this.untilMs) return false;
    this.untilMs = untilMs;
    for (const listener of [...this.listeners]) listener();
    return true;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Additive-increase / multiplicative-decrease of the concurrency limit: halve on a throttle,
 * +1 after a run of successes (one full window at the current limit unless configured).
 */
export class AimdConcurrency {
  private current: number;
  private successesSinceChange = 0;

  constructor(
    readonly max: number,
    private readonly options: { min?: number; successesPerIncrease?: number } = {},
  ) {
    if (!(max >= 1)) throw new RangeError(`maxConcurrency must be at least 1 (got ${max})`);
    this.current = Math.floor(max);
  }

  get limit(): number {
    return this.current;
  }

  private get min(): number {
    return Math.max(1, Math.min(this.options.min ?? 1, this.max));
  }

  /** Returns true when the limit changed. */
  decrease(): boolean {
    this.successesSinceChange = 0;
    const next = Math.max(this.min, Math.floor(this.current / 2));
    const changed = next !== this.current;
    this.current = next;
    return changed;
  }

  /** Returns true when the limit changed. */
  recordSuccess(): boolean {
    if (this.current >= this.max) return false;
    this.successesSinceChange += 1;
    const needed = this.options.successesPerIncrease ?? this.current;
    if (this.successesSinceChange < needed) return false;
    this.successesSinceChange = 0;
    this.current += 1;
    return true;
  }
}

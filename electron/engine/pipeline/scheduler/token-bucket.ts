/**
 * A token bucket: `ratePerSecond` units flow back continuously up to `capacity`. A request
 * larger than the whole bucket may go once the bucket is full and leaves it in debt, so huge
 * requests are paced rather than refused.
 */
export class TokenBucket {
  private level: number;
  private updatedAtMs: number;

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    private readonly now: () => number,
  ) {
    if (!(ratePerSecond > 0) || !(capacity > 0)) {
      throw new RangeError(
        `TokenBucket needs a positive rate and capacity (got ${ratePerSecond}, ${capacity})`,
      );
    }
    this.level = capacity;
    this.updatedAtMs = now();
  }

  /** Units available now (negative while in debt). */
  available(): number {
    this.refill();
    return this.level;
  }

  /** Ms until `amount` may be taken (0 = now). */
  waitMs(amount: number): number {
    this.refill();
    const needed = Math.min(amount, this.capacity);
    if (this.level >= needed) return 0;
    return Math.ceil(((needed - this.level) / this.ratePerSecond) * 1000);
  }

  take(amount: number): void {
    this.refill();
    this.level -= amount;
  }

  /** The service reported fewer units left than we believe: trust it (never raises the level). */
  clampTo(remaining: number): void {
    this.refill();
    if (remaining < this.level) this.level = remaining;
  }

  private refill(): void {
    const now = this.now();
    const elapsedMs = now - this.updatedAtMs;
    if (elapsedMs > 0) {
      this.level = Math.min(this.capacity, this.level + (elapsedMs / 1000) * this.ratePerSecond);
    }
    this.updatedAtMs = now;
  }
}

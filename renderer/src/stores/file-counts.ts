import type { FileStatus } from '../../../electron/contract/model';

export interface StatusCounts {
  total: number;
  queued: number;
  running: number;
  done: number;
  skipped: number;
  failed: number;
}

export const emptyCounts = (): StatusCounts => ({
  total: 0,
  queued: 0,
  running: 0,
  done: 0,
  skipped: 0,
  failed: 0,
});

/** Files still to finish: waiting or in progress. */
export const activeCount = (counts: StatusCounts): number => counts.queued + counts.running;

/** Files that reached an end state. */
export const finishedCount = (counts: StatusCounts): number => counts.done + counts.skipped + counts.failed;

/** Moves one file between statuses (`from` null: a new file). Mutates `counts`, which the caller owns. */
export function countTransition(counts: StatusCounts, from: FileStatus | null, to: FileStatus): void {
  if (from === to) return;
  if (from === null) counts.total += 1;
  else counts[from] -= 1;
  counts[to] += 1;
}

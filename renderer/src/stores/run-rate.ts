import { activeCount, finishedCount, type StatusCounts } from './file-counts';

/**
 * One "run": the span during which some files are waiting or in progress. Throughput is measured
 * over the run with the renderer's clock, so it works the same after a reload mid-job.
 */
export interface RunProgress {
  startedAtMs: number;
  /** Files already finished when the run started (earlier runs' files). */
  finishedAtStart: number;
  /** Set when no file is active any more. */
  endedAtMs: number | null;
}

export function nextRun(run: RunProgress | null, counts: StatusCounts, nowMs: number): RunProgress | null {
  const active = activeCount(counts);
  if (active > 0 && (run === null || run.endedAtMs !== null)) {
    return { startedAtMs: nowMs, finishedAtStart: finishedCount(counts), endedAtMs: null };
  }
  if (active === 0 && run !== null && run.endedAtMs === null) return { ...run, endedAtMs: nowMs };
  return run;
}

export interface RunRate {
  filesPerSecond: number | null;
  /** Remaining time at the current rate; null when unknown or nothing is left. */
  etaInMs: number | null;
}

export function runRate(run: RunProgress | null, counts: StatusCounts, nowMs: number): RunRate {
  if (!run) return { filesPerSecond: null, etaInMs: null };
  const elapsedInMs = (run.endedAtMs ?? nowMs) - run.startedAtMs;
  const finishedInRun = finishedCount(counts) - run.finishedAtStart;
  if (elapsedInMs <= 0 || finishedInRun <= 0) return { filesPerSecond: null, etaInMs: null };
  const filesPerSecond = (finishedInRun * 1000) / elapsedInMs;
  const remaining = activeCount(counts);
  return { filesPerSecond, etaInMs: remaining > 0 ? (remaining / filesPerSecond) * 1000 : null };
}

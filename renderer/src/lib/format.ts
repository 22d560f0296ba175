import type { FileStage, FileStatus } from '../../../electron/contract/model';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export interface DurationUnits {
  hours: string;
  minutes: string;
  seconds: string;
}

const ENGLISH_UNITS: DurationUnits = { hours: 'h', minutes: 'min', seconds: 's' };

/** "45 s", "3 min 20 s", "2 h 5 min" (units from the UI language). */
export function formatDuration(durationInMs: number, units: DurationUnits = ENGLISH_UNITS): string {
  const totalSeconds = Math.max(0, Math.round(durationInMs / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours} ${units.hours} ${minutes} ${units.minutes}`;
  if (minutes > 0) return `${minutes} ${units.minutes} ${seconds} ${units.seconds}`;
  return `${seconds} ${units.seconds}`;
}

/** "7.2", "15": one decimal below 10 files per second. */
export function formatRate(filesPerSecond: number): string {
  return filesPerSecond.toFixed(filesPerSecond >= 10 ? 0 : 1);
}

/**
 * Which stage label a row shows (a key of `ingest.stage` in the UI text): a file's stage is the
 * last one it completed, so while it runs it is working on the next one.
 */
export type StageLabelKey = 'waiting' | 'unchanged' | `working.${FileStage}` | `completed.${FileStage}`;

export function stageLabelKey(stage: FileStage, status: FileStatus): StageLabelKey {
  if (status === 'queued') return 'waiting';
  if (status === 'running') return `working.${stage}`;
  if (status === 'skipped') return 'unchanged';
  return `completed.${stage}`;
}

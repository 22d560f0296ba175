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

/** "45 s", "3 min 20 s", "2 h 5 min". */
export function formatDuration(durationInMs: number): string {
  const totalSeconds = Math.max(0, Math.round(durationInMs / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${seconds} s`;
  return `${seconds} s`;
}

export function formatRate(filesPerSecond: number): string {
  const digits = filesPerSecond >= 10 ? 0 : 1;
  return `${filesPerSecond.toFixed(digits)} files/s`;
}

/** A file's stage is the last one it completed; while it runs, it is working on the next one. */
const WORKING_ON: Record<FileStage, string> = {
  discovered: 'Hashing',
  hashed: 'Reading',
  extracted: 'Chunking',
  chunked: 'Embedding',
  embedded: 'Indexing',
  indexed: 'Indexed',
};

const COMPLETED: Record<FileStage, string> = {
  discovered: 'Discovered',
  hashed: 'Hashed',
  extracted: 'Read',
  chunked: 'Chunked',
  embedded: 'Embedded',
  indexed: 'Indexed',
};

export function stageLabel(stage: FileStage, status: FileStatus): string {
  if (status === 'queued') return 'Waiting';
  if (status === 'running') return WORKING_ON[stage];
  if (status === 'skipped') return 'Unchanged';
  return COMPLETED[stage];
}

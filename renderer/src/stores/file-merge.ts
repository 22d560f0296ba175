import type { FileUpdate } from '../../../electron/contract/api';
import type { FileSnapshot, FileStage, FileStatus, JobSnapshot } from '../../../electron/contract/model';

const STATUS_RANK: Record<FileStatus, number> = { queued: 0, running: 1, done: 2, skipped: 2, failed: 2 };
const STAGE_RANK: Record<FileStage, number> = {
  discovered: 0,
  hashed: 1,
  extracted: 2,
  chunked: 3,
  embedded: 4,
  indexed: 5,
};

/**
 * Whether `update` describes an earlier moment of the file than `current`. Used only while
 * replaying events that arrived before the snapshot: those may already be reflected in it, and
 * applying them again must not move a file backwards.
 */
export function isOlderFileState(update: FileUpdate | FileSnapshot, current: FileSnapshot): boolean {
  const statusDelta = STATUS_RANK[update.status] - STATUS_RANK[current.status];
  if (statusDelta !== 0) return statusDelta < 0;
  return STAGE_RANK[update.stage] < STAGE_RANK[current.stage];
}

const finishedFiles = (job: JobSnapshot): number =>
  job.counts.indexed + job.counts.skipped + job.counts.failed;

/** The job counterpart of `isOlderFileState`. */
export function isOlderJobState(job: JobSnapshot, current: JobSnapshot): boolean {
  const isFinished = job.status !== 'running';
  const currentIsFinished = current.status !== 'running';
  if (isFinished !== currentIsFinished) return currentIsFinished;
  return finishedFiles(job) < finishedFiles(current);
}

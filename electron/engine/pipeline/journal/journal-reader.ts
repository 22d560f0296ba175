import { readFile } from 'node:fs/promises';
import type { FileStage, JobStatus, JobSummary, QuarryErrorInfo } from '../../../contract';
import { JournalRecord } from './journal-records';

export interface RecoveredFile {
  n: number;
  sourcePath: string;
  diskPath: string;
  size: number;
  mtimeMs: number;
  mimeType: string | null;
  /** Last completed stage. */
  stage: FileStage;
  status: 'queued' | 'done' | 'skipped' | 'failed';
  contentHash: string | null;
  chunks: number;
  error: QuarryErrorInfo | null;
  /** Set when discovery itself failed for this entry (missing root, upload error). */
  discoveryError: QuarryErrorInfo | null;
  /** Set when a retry puts a failed file back in the queue (the job journals it as queued). */
  requeued?: boolean;
}

export interface RecoveredJob {
  jobId: string;
  roots: string[];
  startedAt: number;
  discoveryComplete: boolean;
  status: JobStatus;
  finishedAt: number | null;
  summary: JobSummary | null;
  files: RecoveredFile[];
  /** Lines that could not be read (a torn last write after a crash). */
  skippedLines: number;
}

/** Replays a journal. A torn or corrupt line is skipped, never fatal: everything before it counts. */
export async function readJournal(file: string): Promise<RecoveredJob | null> {
  const text = await readFile(file, 'utf8');
  let job: RecoveredJob | null = null;
  const files = new Map<number, RecoveredFile>();
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: JournalRecord;
    try {
      const parsed = JournalRecord.safeParse(JSON.parse(line));
      if (!parsed.success) throw parsed.error;
      record = parsed.data;
    } catch {
      skippedLines += 1;
      continue;
    }
    switch (record.t) {
      case 'job':
        job = {
          jobId: record.jobId,
          roots: record.roots,
          startedAt: record.startedAt,
          discoveryComplete: false,
          status: 'running',
          finishedAt: null,
          summary: null,
          files: [],
          skippedLines: 0,
        };
        break;
      case 'file':
        files.set(record.n, {
          n: record.n,
          sourcePath: record.sourcePath,
          diskPath: record.diskPath,
          size: record.size,
          mtimeMs: record.mtimeMs,
          mimeType: record.mimeType,
          stage: 'discovered',
          status: record.error ? 'failed' : 'queued',
          contentHash: null,
          chunks: 0,
          error: record.error ?? null,
          discoveryError: record.error ?? null,
        });
        break;
      case 'discovered':
        if (job) job.discoveryComplete = true;
        break;
      case 'stage': {
        const file = files.get(record.n);
        if (!file) break;
        file.stage = record.stage;
        if (record.contentHash) file.contentHash = record.contentHash;
        if (record.chunks !== undefined) file.chunks = record.chunks;
        break;
      }
      case 'status': {
        const file = files.get(record.n);
        if (!file) break;
        file.status = record.status;
        file.error = record.error ?? null;
        break;
      }
      case 'job-status':
        if (!job) break;
        job.status = record.status;
        if (record.status === 'done' || record.status === 'cancelled' || record.status === 'failed') {
          job.finishedAt = record.at;
          job.summary = record.summary ?? null;
        } else {
          job.finishedAt = null;
          job.summary = null;
        }
        break;
    }
  }
  if (!job) return null;
  job.files = [...files.values()].sort((a, b) => a.n - b.n);
  job.skippedLines = skippedLines;
  return job;
}

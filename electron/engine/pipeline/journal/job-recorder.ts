import type { FileStage, JobSummary, QuarryErrorInfo } from '../../../contract';
import type { FoundFile } from '../job-sources';
import type { JournalRecord } from './journal-records';
import type { JournalWriter } from './journal-writer';

/**
 * What a job tells its journal. Stage completions and terminal statuses are durable (fsynced
 * before the job moves on), so after a crash nothing finished is lost and nothing is redone.
 */
export class JobRecorder {
  private failure: unknown = null;

  constructor(private readonly writer: JournalWriter | null) {}

  private write(record: JournalRecord, durable: boolean): Promise<void> {
    if (!this.writer) return Promise.resolve();
    return this.writer.append(record, { durable }).catch((error: unknown) => {
      // A journal that cannot be written must not fail ingestion; resume just redoes more.
      this.failure ??= error;
    });
  }

  /** The first journal write error, if any (reported once by the job). */
  get writeError(): unknown {
    return this.failure;
  }

  job(jobId: string, roots: string[], startedAt: number): Promise<void> {
    return this.write({ t: 'job', jobId, roots, startedAt }, true);
  }

  file(n: number, found: FoundFile): Promise<void> {
    return this.write(
      {
        t: 'file',
        n,
        sourcePath: found.sourcePath,
        diskPath: found.diskPath,
        size: found.size,
        mtimeMs: found.mtimeMs,
        mimeType: found.mimeType,
        ...(found.error ? { error: found.error.toInfo() } : {}),
      },
      false,
    );
  }

  discovered(): Promise<void> {
    return this.write({ t: 'discovered' }, true);
  }

  stage(n: number, stage: FileStage, detail: { contentHash?: string; chunks?: number } = {}): Promise<void> {
    return this.write({ t: 'stage', n, stage, ...detail }, true);
  }

  status(
    n: number,
    status: 'queued' | 'done' | 'skipped' | 'failed',
    error?: QuarryErrorInfo,
  ): Promise<void> {
    return this.write({ t: 'status', n, status, ...(error ? { error } : {}) }, status !== 'queued');
  }

  jobStatus(
    status: 'running' | 'paused' | 'done' | 'cancelled' | 'failed',
    summary?: JobSummary,
  ): Promise<void> {
    return this.write({ t: 'job-status', status, at: Date.now(), ...(summary ? { summary } : {}) }, true);
  }

  /** Flushes and frees the file handle between runs of a job (a retry reopens it). */
  async release(): Promise<void> {
    await this.writer?.release();
  }
}

import { z } from 'zod';
import { FileStage, JobSummary, QuarryErrorInfo } from '../../../contract';

/** One line of a job journal (NDJSON). `t` is the record type; short keys keep big journals small. */
export const JournalRecord = z.discriminatedUnion('t', [
  /** First record: what the job was asked to ingest (paths only; upload bytes live in the uploads dir). */
  z.object({ t: z.literal('job'), jobId: z.string(), roots: z.array(z.string()), startedAt: z.number() }),
  /** A file discovery found (or an upload stored); `n` is its number within the job. */
  z.object({
    t: z.literal('file'),
    n: z.number().int().nonnegative(),
    sourcePath: z.string(),
    diskPath: z.string(),
    size: z.number(),
    mtimeMs: z.number(),
    mimeType: z.string().nullable(),
    error: QuarryErrorInfo.optional(),
  }),
  /** Discovery finished: every file of the job has a `file` record. */
  z.object({ t: z.literal('discovered') }),
  /** A stage completed for file `n`; its result is in the extraction/embedding caches or the index. */
  z.object({
    t: z.literal('stage'),
    n: z.number().int().nonnegative(),
    stage: FileStage,
    contentHash: z.string().optional(),
    chunks: z.number().int().optional(),
  }),
  /** File `n` reached a terminal status (or went back to queued for a retry). */
  z.object({
    t: z.literal('status'),
    n: z.number().int().nonnegative(),
    status: z.enum(['queued', 'done', 'skipped', 'failed']),
    error: QuarryErrorInfo.optional(),
  }),
  /** The job's own status changes; the final one carries the summary. */
  z.object({
    t: z.literal('job-status'),
    status: z.enum(['running', 'paused', 'done', 'cancelled', 'failed']),
    at: z.number(),
    summary: JobSummary.optional(),
  }),
]);
export type JournalRecord = z.infer<typeof JournalRecord>;

import { z } from 'zod';
import { QuarryErrorInfo } from './errors';

/** Pipeline stages a file moves through, in order. */
export const FileStage = z.enum(['discovered', 'hashed', 'extracted', 'chunked', 'embedded', 'indexed']);
export type FileStage = z.infer<typeof FileStage>;

/** Coarse status the UI shows (and tests read from `data-status`). */
export const FileStatus = z.enum(['queued', 'running', 'done', 'skipped', 'failed']);
export type FileStatus = z.infer<typeof FileStatus>;

export const JobStatus = z.enum(['running', 'paused', 'done', 'cancelled', 'failed']);
export type JobStatus = z.infer<typeof JobStatus>;

export const FileId = z.string().min(1);

export const FileSnapshot = z.object({
  fileId: FileId,
  jobId: z.string(),
  /** Absolute path, or the file name for browser uploads. */
  path: z.string(),
  name: z.string(),
  folder: z.string(),
  size: z.number().int().nonnegative(),
  mimeType: z.string().nullable(),
  stage: FileStage,
  status: FileStatus,
  /** 0..1 within the current stage, when known. */
  progress: z.number().min(0).max(1).nullable(),
  chunks: z.number().int().nonnegative(),
  error: QuarryErrorInfo.nullable(),
});
export type FileSnapshot = z.infer<typeof FileSnapshot>;

export const JobCounts = z.object({
  files: z.number().int().nonnegative(),
  queued: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  indexed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
});
export type JobCounts = z.infer<typeof JobCounts>;

export const JobSnapshot = z.object({
  jobId: z.string(),
  status: JobStatus,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  counts: JobCounts,
});
export type JobSnapshot = z.infer<typeof JobSnapshot>;

export const FailureSummary = z.object({ path: z.string(), code: z.string(), message: z.string() });

export const JobSummary = z.object({
  type: z.literal('summary'),
  files: z.number().int(),
  indexed: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  chunks: z.number().int(),
  elapsedMs: z.number(),
  failures: z.array(FailureSummary),
});
export type JobSummary = z.infer<typeof JobSummary>;

export const SearchMode = z.enum(['hybrid', 'vector', 'keyword', 'semantic']);
export type SearchMode = z.infer<typeof SearchMode>;

export const SearchResult = z.object({
  id: z.string(),
  sourcePath: z.string(),
  sourceName: z.string(),
  page: z.number().int().positive().nullable(),
  chunkIndex: z.number().int().nonnegative(),
  score: z.number(),
  /** Plain text around the hit; `highlights` marks the matching ranges within it. */
  snippet: z.string(),
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
  mimeType: z.string(),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const BackendKind = z.enum(['local', 'azure']);
export type BackendKind = z.infer<typeof BackendKind>;

/** Settings the UI may see: secrets are reported only as set / not set. */
export const PublicSettings = z.object({
  backend: BackendKind,
  dataDir: z.string(),
  concurrency: z.number().int().positive(),
  ocrLanguages: z.array(z.string()),
  azure: z.object({
    openaiEndpoint: z.string(),
    embeddingDeployment: z.string(),
    documentIntelligenceEndpoint: z.string(),
    visionEndpoint: z.string(),
    searchEndpoint: z.string(),
    searchIndex: z.string(),
    keysSet: z.object({
      openai: z.boolean(),
      documentIntelligence: z.boolean(),
      vision: z.boolean(),
      search: z.boolean(),
    }),
  }),
});
export type PublicSettings = z.infer<typeof PublicSettings>;

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

/** The four Azure services a person configures (and tests) one by one in Settings. */
export const AzureServiceKey = z.enum(['openai', 'documentIntelligence', 'vision', 'search']);
export type AzureServiceKey = z.infer<typeof AzureServiceKey>;

/** Per-service api-versions; '' means the service's default. */
export const AzureApiVersions = z.object({
  openai: z.string(),
  documentIntelligence: z.string(),
  vision: z.string(),
  search: z.string(),
});
export type AzureApiVersions = z.infer<typeof AzureApiVersions>;

/** What a person may cap for one service; null means "the service's default quota". */
export const ServiceLimits = z.object({
  requestsPerSecond: z.number().positive().max(10_000).nullable(),
  /** Azure OpenAI only. */
  tokensPerMinute: z.number().int().positive().max(100_000_000).nullable(),
  maxConcurrency: z.number().int().min(1).max(256).nullable(),
});
export type ServiceLimits = z.infer<typeof ServiceLimits>;

export const AzureServiceLimits = z.object({
  openai: ServiceLimits,
  documentIntelligence: ServiceLimits,
  vision: ServiceLimits,
  search: ServiceLimits,
});
export type AzureServiceLimits = z.infer<typeof AzureServiceLimits>;

/** Where keys set in Settings are kept, so the UI can say whether they survive a restart. */
export const SecretStorageInfo = z.object({
  kind: z.enum(['safe-storage', 'os-keychain', 'memory']),
  /** False when keys live in memory only and are forgotten when Quarry stops. */
  persistent: z.boolean(),
  /** A sentence for the settings form, e.g. why there is no keychain. */
  detail: z.string(),
});
export type SecretStorageInfo = z.infer<typeof SecretStorageInfo>;

/**
 * How the local backend embeds text: its built-in model (or another by id), an OpenAI-compatible
 * endpoint (Ollama, LM Studio), or off. Environment variables (QUARRY_EMBEDDINGS, ...) win.
 */
export const EmbeddingSettings = z.object({
  provider: z.enum(['local', 'openai-compatible', 'off']),
  /** Model id (local), or the endpoint's model name. */
  model: z.string(),
  /** Base URL of the OpenAI-compatible endpoint; '' otherwise. */
  endpoint: z.string(),
});
export type EmbeddingSettings = z.infer<typeof EmbeddingSettings>;

/** Settings the UI may see: secrets are reported only as set / not set. */
export const PublicSettings = z.object({
  backend: BackendKind,
  dataDir: z.string(),
  concurrency: z.number().int().positive(),
  ocrLanguages: z.array(z.string()),
  /** Local backend embeddings; takes effect when the backend next opens (a restart). */
  embeddings: EmbeddingSettings.optional(),
  secretStorage: SecretStorageInfo,
  azure: z.object({
    openaiEndpoint: z.string(),
    embeddingDeployment: z.string(),
    chatDeployment: z.string(),
    documentIntelligenceEndpoint: z.string(),
    visionEndpoint: z.string(),
    searchEndpoint: z.string(),
    searchIndex: z.string(),
    apiVersions: AzureApiVersions,
    limits: AzureServiceLimits,
    keysSet: z.object({
      openai: z.boolean(),
      documentIntelligence: z.boolean(),
      vision: z.boolean(),
      search: z.boolean(),
    }),
  }),
});
export type PublicSettings = z.infer<typeof PublicSettings>;

/** A rectangle on a preview image, as fractions (0..1) of its width and height from the top left. */
export const HighlightRect = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
});
export type HighlightRect = z.infer<typeof HighlightRect>;

/** One stored chunk of the previewed file, with the query's matches as [start, end) ranges. */
export const PreviewPassage = z.object({
  chunkIndex: z.number().int().nonnegative(),
  page: z.number().int().positive().nullable(),
  text: z.string(),
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
  /** True for the chunk the search hit; its neighbours give the context. */
  isHit: z.boolean(),
});
export type PreviewPassage = z.infer<typeof PreviewPassage>;

/**
 * A search hit in context: for PDFs and images the page as a PNG/JPEG data URL with highlight
 * rectangles, for every format the hit's chunk with its neighbours.
 */
export const Preview = z.object({
  sourcePath: z.string(),
  sourceName: z.string(),
  mimeType: z.string(),
  page: z.number().int().positive().nullable(),
  pageCount: z.number().int().positive().nullable(),
  image: z
    .object({ dataUrl: z.string(), width: z.number().int().positive(), height: z.number().int().positive() })
    .nullable(),
  rects: z.array(HighlightRect),
  passages: z.array(PreviewPassage),
  /** Why part of the preview is missing (e.g. the file changed or moved since it was indexed). */
  notice: z.string().nullable(),
});
export type Preview = z.infer<typeof Preview>;

/** The outcome of one "Test connection" request. */
export const ConnectionTestResult = z.object({
  service: AzureServiceKey,
  ok: z.boolean(),
  /** How long the request took, when one was made. */
  latencyInMs: z.number().nonnegative().nullable(),
  /** What was checked, e.g. "Embedded \"ping\" with deployment text-embedding-3-small". */
  message: z.string(),
  error: QuarryErrorInfo.nullable(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;

/** A source an answer cites as [n]: always one of the passages retrieved for the question. */
export const Citation = z.object({
  /** The number the answer uses for it: `[1]` is 1. */
  ref: z.number().int().positive(),
  /** The cited chunk's index id. */
  chunkId: z.string(),
  sourcePath: z.string(),
  sourceName: z.string(),
  page: z.number().int().positive().nullable(),
  /** Opens the preview at this chunk (with `sourcePath`). */
  chunkIndex: z.number().int().nonnegative(),
  snippet: z.string(),
  mimeType: z.string(),
});
export type Citation = z.infer<typeof Citation>;

/** Tokens an answer used; `estimated` when the service did not report them and Quarry counted. */
export const AnswerUsage = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
  estimated: z.boolean(),
});
export type AnswerUsage = z.infer<typeof AnswerUsage>;

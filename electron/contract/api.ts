import { z } from 'zod';
import type { CallName } from './call-names';
import { QuarryErrorInfo } from './errors';
import {
  AnswerUsage,
  AzureApiVersions,
  AzureServiceKey,
  BackendKind,
  Citation,
  ConnectionTestResult,
  EmbeddingSettings,
  FileSnapshot,
  FileStage,
  FileStatus,
  JobSnapshot,
  JobSummary,
  Preview,
  PublicSettings,
  SearchMode,
  SearchResult,
  ServiceLimits,
} from './model';

// ---- calls ----------------------------------------------------------------------------------

export const IngestSource = z.discriminatedUnion('kind', [
  /** A file or folder on the engine's machine (Electron, CLI). */
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  /** Bytes from a browser drop (browser host); `name` may include a relative folder. */
  z.object({
    kind: z.literal('upload'),
    name: z.string().min(1).max(1024),
    dataBase64: z.string(),
    lastModified: z.number().optional(),
  }),
]);
export type IngestSource = z.infer<typeof IngestSource>;

export const StartIngestInput = z.object({ sources: z.array(IngestSource).min(1) });
export const StartIngestOutput = z.object({ jobId: z.string() });

/** What an ingest would cost, worked out locally: no paid call is made to estimate. */
export const EstimateIngestOutput = z.object({
  type: z.literal('estimate'),
  backend: BackendKind,
  files: z.number().int().nonnegative(),
  /** Already indexed with the same bytes: skipped by an ingest, free. */
  unchanged: z.number().int().nonnegative(),
  /** Found but not readable (unsupported type, unreadable file): an ingest would fail them. */
  unreadable: z.number().int().nonnegative(),
  byRoute: z.object({
    documentIntelligence: z.object({ files: z.number().int(), pages: z.number().int() }),
    vision: z.object({ files: z.number().int() }),
    local: z.object({ files: z.number().int(), pages: z.number().int() }),
  }),
  /** Tokens to embed (approximate where text has to be read by a service first). */
  tokens: z.number().int().nonnegative(),
  cost: z.object({
    currency: z.literal('USD'),
    documentIntelligence: z.number(),
    vision: z.number(),
    embeddings: z.number(),
    total: z.number(),
  }),
  prices: z.object({
    currency: z.literal('USD'),
    documentIntelligencePer1000Pages: z.number(),
    visionPer1000Images: z.number(),
    embeddingsPer1MTokens: z.number(),
  }),
  notes: z.array(z.string()),
});
export type EstimateIngestOutput = z.infer<typeof EstimateIngestOutput>;

export const JobIdInput = z.object({ jobId: z.string().min(1) });
export const CancelJobOutput = z.object({ cancelled: z.boolean() });
/** `changed` is false when the job was not in a state the control applies to (e.g. pausing a finished job). */
export const JobControlOutput = z.object({ changed: z.boolean() });
export const RetryFailedOutput = z.object({ retried: z.number().int().nonnegative() });

export const SemanticStatus = z.object({ available: z.boolean(), reason: z.string().nullable() });

export const Snapshot = z.object({
  backend: BackendKind,
  semantic: SemanticStatus,
  jobs: z.array(JobSnapshot),
  files: z.array(FileSnapshot),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const SearchFilters = z.object({
  mimeTypes: z.array(z.string()).optional(),
  folder: z.string().optional(),
  /** Epoch ms: only files last modified at or after this moment. */
  modifiedAfter: z.number().optional(),
  /** Epoch ms: only files last modified before this moment. */
  modifiedBefore: z.number().optional(),
});
export type SearchFilters = z.infer<typeof SearchFilters>;

export const SearchInput = z.object({
  query: z.string().trim().min(1).max(2000),
  mode: SearchMode.default('hybrid'),
  top: z.number().int().min(1).max(200).default(10),
  filters: SearchFilters.optional(),
});
export type SearchInput = z.input<typeof SearchInput>;

export const SearchOutput = z.object({
  /** The mode actually used (e.g. hybrid falls back to keyword without an embedder). */
  mode: SearchMode,
  results: z.array(SearchResult),
  notice: z.string().nullable(),
});
export type SearchOutput = z.infer<typeof SearchOutput>;

export const Empty = z.object({}).strict();

const ServiceLimitsPatch = ServiceLimits.partial();

export const SettingsPatch = z.object({
  backend: BackendKind.optional(),
  concurrency: z.number().int().min(1).max(64).optional(),
  ocrLanguages: z.array(z.string().min(1)).optional(),
  /** Local backend embeddings; '' as model resets it to the built-in one. */
  embeddings: EmbeddingSettings.partial().optional(),
  azure: z
    .object({
      openaiEndpoint: z.string().optional(),
      embeddingDeployment: z.string().optional(),
      chatDeployment: z.string().optional(),
      /** '' resets a service to its default api-version. */
      apiVersions: AzureApiVersions.partial().optional(),
      /** null resets a limit to the service's default. */
      limits: z
        .object({
          openai: ServiceLimitsPatch.optional(),
          documentIntelligence: ServiceLimitsPatch.optional(),
          vision: ServiceLimitsPatch.optional(),
          search: ServiceLimitsPatch.optional(),
        })
        .optional(),
      documentIntelligenceEndpoint: z.string().optional(),
      visionEndpoint: z.string().optional(),
      searchEndpoint: z.string().optional(),
      searchIndex: z.string().optional(),
      /** Write-only: a key is accepted here and never returned. Empty string clears it. */
      keys: z
        .object({
          openai: z.string().optional(),
          documentIntelligence: z.string().optional(),
          vision: z.string().optional(),
          search: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const PreviewInput = z.object({
  /** The hit's `sourcePath` and `chunkIndex` (a file the index holds; nothing else can be previewed). */
  sourcePath: z.string().min(1),
  chunkIndex: z.number().int().nonnegative(),
  /** The query whose terms are highlighted; empty highlights the hit's chunk itself. */
  query: z.string().max(2000).default(''),
  /** Widest page image wanted, in pixels; images are never larger than 1600 px. */
  maxWidth: z.number().int().min(200).max(1600).default(1200),
});
export type PreviewInput = z.input<typeof PreviewInput>;

export const LocateIndexedFileInput = z.object({ sourcePath: z.string().min(1) });
/** Where an indexed file's bytes are on this machine (an upload's stored copy for browser drops). */
export const LocateIndexedFileOutput = z.object({ path: z.string() });

export const TestConnectionInput = z.object({ service: AzureServiceKey });

export const AskInput = z.object({
  question: z.string().trim().min(1).max(2000),
  /** How passages are retrieved (the search view's current mode); falls back like `search`. */
  mode: SearchMode.default('hybrid'),
  /** Passages retrieved; fewer may reach the model when they do not fit its context window. */
  top: z.number().int().min(1).max(50).default(8),
});
export type AskInput = z.input<typeof AskInput>;
/** Returned at once; the answer streams as `answer.delta` events and ends with `answer.done`. */
export const AskOutput = z.object({ askId: z.string() });
export const StopAnswerInput = z.object({ askId: z.string().min(1) });
/** `stopped` is false when the answer had already finished (or never existed). */
export const StopAnswerOutput = z.object({ stopped: z.boolean() });

/** Every call: name -> input and output schemas. A name missing here or in CALL_NAMES fails to compile. */
export const calls = {
  startIngest: { input: StartIngestInput, output: StartIngestOutput },
  estimateIngest: { input: StartIngestInput, output: EstimateIngestOutput },
  cancelJob: { input: JobIdInput, output: CancelJobOutput },
  pauseJob: { input: JobIdInput, output: JobControlOutput },
  resumeJob: { input: JobIdInput, output: JobControlOutput },
  retryFailed: { input: JobIdInput, output: RetryFailedOutput },
  getSnapshot: { input: Empty, output: Snapshot },
  search: { input: SearchInput, output: SearchOutput },
  getSettings: { input: Empty, output: PublicSettings },
  updateSettings: { input: SettingsPatch, output: PublicSettings },
  getPreview: { input: PreviewInput, output: Preview },
  locateIndexedFile: { input: LocateIndexedFileInput, output: LocateIndexedFileOutput },
  testConnection: { input: TestConnectionInput, output: ConnectionTestResult },
  ask: { input: AskInput, output: AskOutput },
  stopAnswer: { input: StopAnswerInput, output: StopAnswerOutput },
} as const satisfies Record<CallName, { input: z.ZodType; output: z.ZodType }>;

type _AllNamesHaveSchemas = CallName extends keyof typeof calls ? true : never;
const _namesCheck: _AllNamesHaveSchemas = true;
void _namesCheck;

export type CallInput<K extends CallName> = z.input<(typeof calls)[K]['input']>;
export type ParsedCallInput<K extends CallName> = z.output<(typeof calls)[K]['input']>;
export type CallOutput<K extends CallName> = z.output<(typeof calls)[K]['output']>;

// ---- events ---------------------------------------------------------------------------------

export const FileUpdate = z.object({
  fileId: z.string(),
  stage: FileStage,
  status: FileStatus,
  progress: z.number().nullable(),
  chunks: z.number().int(),
  error: QuarryErrorInfo.nullable(),
});
export type FileUpdate = z.infer<typeof FileUpdate>;

export const ServiceState = z.object({
  service: z.string(),
  state: z.enum(['ok', 'throttled', 'unavailable']),
  resumeAt: z.number().nullable(),
  message: z.string().nullable(),
});
export type ServiceState = z.infer<typeof ServiceState>;

/**
 * How an answer ended. `answer` is the whole text (what the deltas added up to); `partial` marks
 * an answer cut short (stopped, truncated stream, content filter, length limit), kept as far as
 * it got; `error` says why it ended early or failed. Citations are only sources that were
 * retrieved for the question and that the answer refers to.
 */
export const AnswerDone = z.object({
  askId: z.string(),
  answer: z.string(),
  citations: z.array(Citation),
  usage: AnswerUsage.nullable(),
  partial: z.boolean(),
  error: QuarryErrorInfo.optional(),
  /** Why retrieval used another mode than asked (as `search`'s notice); null otherwise. */
  notice: z.string().nullable(),
});
export type AnswerDone = z.infer<typeof AnswerDone>;

export const EngineEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job.started'), job: JobSnapshot }),
  z.object({ type: z.literal('files.added'), jobId: z.string(), files: z.array(FileSnapshot) }),
  /** Coalesced: only the latest state of each file changed since the previous event. */
  z.object({ type: z.literal('files.updated'), jobId: z.string(), files: z.array(FileUpdate) }),
  z.object({ type: z.literal('job.progress'), job: JobSnapshot }),
  z.object({ type: z.literal('job.finished'), job: JobSnapshot, summary: JobSummary }),
  z.object({ type: z.literal('service.state'), state: ServiceState }),
  /** Answer text as it streams (a few events per second at most; `text` continues the previous one). */
  z.object({ type: z.literal('answer.delta'), askId: z.string(), text: z.string() }),
  z.object({ type: z.literal('answer.done'), ...AnswerDone.shape }),
]);
export type EngineEvent = z.infer<typeof EngineEvent>;

// ---- transport envelope ---------------------------------------------------------------------

/** What every transport (IPC, WebSocket) returns for a call: errors arrive serialised, never thrown raw. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: QuarryErrorInfo };

/** The API as the renderer sees it, whatever the transport. */
export type QuarryApi = { [K in CallName]: (input: CallInput<K>) => Promise<CallOutput<K>> } & {
  onEvent(listener: (event: EngineEvent) => void): () => void;
};

/** What the Electron preload exposes as `window.quarry`: raw envelopes, unwrapped by the renderer client. */
export type QuarryBridge = {
  [K in CallName]: (input: CallInput<K>) => Promise<CallResult<CallOutput<K>>>;
} & {
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Absolute path of a dropped File (Electron's webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: File): string;
  /** Electron only: opens an indexed file in the system's default app (`shell.openPath`). */
  openPath(input: OpenPathInput): Promise<CallResult<OpenPathOutput>>;
};

/** The Electron-only `openPath` capability (not an engine call: the main process runs it). */
export type OpenPathInput = { sourcePath: string };
export type OpenPathOutput = { opened: true };

/** Handlers the engine side implements: one per call; missing one is a compile error. */
export type CallHandlers = {
  [K in CallName]: (input: ParsedCallInput<K>) => Promise<CallOutput<K>>;
};

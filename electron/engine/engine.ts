import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CallHandlers, EngineEvent, EstimateIngestOutput, JobSummary, ServiceState } from '../contract';
import { createAnswerService } from './answer/answer-service';
import type { Backend } from './backend';
import { openEngineLog } from './logging/engine-log';
import type { EngineLog } from './logging/types';
import { clearCacheFolder } from './pipeline/cache-folder';
import { estimateIngestCost } from './pipeline/estimate/engine-estimate';
import { EventCoalescer } from './pipeline/event-coalescer';
import { ExtractionCache } from './pipeline/extraction-cache';
import { JobManager } from './pipeline/job-manager';
import { openAzureBackend } from './providers/azure/azure-backend';
import { testAzureConnection } from './providers/azure/connection-test';
import { openLocalBackend } from './providers/local/local-backend';
import { createPreviewService } from './search/preview';
import { runSearch } from './search/search-service';
import { MemorySecretStore, type SecretStore } from './settings/secret-store';
import { SettingsStore } from './settings/settings-store';

export interface EngineOptions {
  /** Where the index, settings, caches and uploads live. */
  dataDir: string;
  secretStore?: SecretStore;
  /** Environment for configuration (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /** Event coalescing window; tests and the CLI may want it shorter. */
  eventFlushIntervalInMs?: number;
  /**
   * Resume every job a crash or close interrupted as soon as the engine opens (the app does).
   * The CLI leaves this off and resumes only the job its rerun command matches.
   */
  resumeInterruptedJobs?: boolean;
  /**
   * Local backend: download a missing embedding model in the background and switch semantic search
   * on when it arrives (the app and `quarry serve` do; the CLI leaves it to `quarry models download`).
   */
  downloadEmbeddingModel?: boolean;
}

/** The engine as every host (Electron main, CLI, browser host) sees it. */
export interface Engine {
  /** One handler per contract call; inputs are already validated by the transport. */
  readonly handlers: CallHandlers;
  /** Coalesced engine events (a few per second at most per job). Returns an unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /**
   * Starts an ingest and resolves with its summary when it ends (the CLI waits on this). When an
   * interrupted job covered exactly these paths, it continues that job instead (`resumed: true`).
   */
  ingest(sources: Parameters<CallHandlers['startIngest']>[0]['sources']): Promise<{
    jobId: string;
    done: Promise<JobSummary>;
    resumed: boolean;
  }>;
  /** What ingesting these sources would cost, worked out without any paid call. */
  estimate(sources: Parameters<CallHandlers['estimateIngest']>[0]['sources']): Promise<EstimateIngestOutput>;
  /** Every job the data folder remembers (finished, interrupted, this session's), newest first. */
  jobHistory(): ReturnType<JobManager['history']>;
  /** Deletes cached extractions and embeddings (paid results are bought again when next needed). */
  clearCaches(): Promise<{ freedBytes: number }>;
  /** Retries a job's failed files and resolves with the summary when that retry ends. */
  retryFailed(jobId: string): Promise<{ retried: number; done: Promise<JobSummary> }>;
  close(): Promise<void>;
}

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const log = openEngineLog(dataDir, options.env ?? process.env);
  const settings = await SettingsStore.open(
    dataDir,
    options.secretStore ?? new MemorySecretStore(),
    options.env,
  );
  const listeners = new Set<(event: EngineEvent) => void>();
  const events = new EventCoalescer(
    (event) => {
      for (const listener of listeners) listener(event);
    },
    { flushIntervalInMs: options.eventFlushIntervalInMs ?? 200 },
  );

  let backendPromise: Promise<Backend> | null = null;
  const backend = (): Promise<Backend> => {
    backendPromise ??= openBackend(
      dataDir,
      settings,
      options.env ?? process.env,
      (state) => events.immediate({ type: 'service.state', state }),
      options.downloadEmbeddingModel ?? false,
      log,
    ).catch((error: unknown) => {
      backendPromise = null;
      throw error;
    });
    return backendPromise;
  };

  const jobs = new JobManager({
    backend,
    events,
    uploadsDir: path.join(dataDir, 'uploads'),
    extractionCache: new ExtractionCache(
      path.join(dataDir, 'cache', 'extractions'),
      cacheMaxBytes(options.env ?? process.env),
    ),
    jobsDir: path.join(dataDir, 'jobs'),
    concurrency: () => settingsConcurrency,
    log,
  });
  let settingsConcurrency = (await settings.publicSettings()).concurrency;
  await jobs.load();
  if (options.resumeInterruptedJobs) {
    for (const job of jobs.interruptedJobs()) await jobs.resumeInterrupted(job.jobId);
  }
  const previews = createPreviewService({ backend, uploadsDir: path.join(dataDir, 'uploads') });
  // Answer text streams straight to listeners: the file-progress coalescer's window is too long.
  const answers = createAnswerService({
    backend,
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
  });

  const estimate = (sources: Parameters<CallHandlers['estimateIngest']>[0]['sources']) =>
    estimateIngestCost(sources, {
      settings,
      env: options.env ?? process.env,
      backend,
      backendIfOpen: () => backendPromise,
    });

  const handlers: CallHandlers = {
    startIngest: async ({ sources }) => ({ jobId: (await jobs.start(sources)).jobId }),
    estimateIngest: ({ sources }) => estimate(sources),
    cancelJob: async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    pauseJob: async ({ jobId }) => ({ changed: jobs.pause(jobId) }),
    resumeJob: async ({ jobId }) => ({ changed: jobs.resume(jobId) }),
    retryFailed: async ({ jobId }) => ({ retried: (await jobs.retryFailed(jobId)).retried }),
    getSnapshot: async () => {
      const active = await backend();
      return {
        backend: active.kind,
        semantic: { available: active.embedder !== null, reason: active.semanticUnavailableReason },
        ...jobs.snapshot(),
      };
    },
    search: async (input) => runSearch(await backend(), input),
    getSettings: () => settings.publicSettings(),
    updateSettings: async (patch) => {
      const updated = await settings.update(patch);
      settingsConcurrency = updated.concurrency;
      return updated;
    },
    getPreview: (input) => previews.getPreview(input),
    locateIndexedFile: ({ sourcePath }) => previews.locate(sourcePath),
    testConnection: ({ service }) => testAzureConnection(service, settings),
    ask: (input) => answers.ask(input),
    stopAnswer: async ({ askId }) => answers.stop(askId),
  };

  let closing: Promise<void> | null = null;
  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async ingest(sources) {
      const interrupted = jobs.findInterrupted(sources);
      if (interrupted) return { ...(await jobs.resumeInterrupted(interrupted.jobId)), resumed: true };
      return { ...(await jobs.start(sources)), resumed: false };
    },
    retryFailed: (jobId) => jobs.retryFailed(jobId),
    estimate,
    jobHistory: () => jobs.history(),
    clearCaches: () => clearCacheFolder(path.join(dataDir, 'cache')),
    close() {
      // Idempotent: a quit and a signal handler may both close the engine.
      closing ??= (async () => {
        await answers.close();
        await jobs.close();
        events.close();
        if (backendPromise) await (await backendPromise.catch(() => null))?.close();
        listeners.clear();
        await log.close();
      })();
      return closing;
    },
  };
}

/** QUARRY_CACHE_MAX_MB caps the extraction cache (default 2 GB). */
function cacheMaxBytes(env: NodeJS.ProcessEnv): number | undefined {
  const megabytes = Number(env.QUARRY_CACHE_MAX_MB);
  return Number.isFinite(megabytes) && megabytes > 0 ? megabytes * 1024 * 1024 : undefined;
}

async function openBackend(
  dataDir: string,
  settings: SettingsStore,
  env: NodeJS.ProcessEnv,
  onServiceState: (state: ServiceState) => void,
  downloadEmbeddingModel: boolean,
  log: EngineLog,
): Promise<Backend> {
  const current = await settings.publicSettings();
  if (current.backend === 'azure') return openAzureBackend({ dataDir, settings, env, onServiceState, log });
  return openLocalBackend({
    dataDir,
    env,
    embeddingSettings: settings.storedEmbeddings(),
    downloadEmbeddingModel,
    onServiceState,
  });
}

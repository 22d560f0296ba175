/** Builders and a fake engine API shared by the renderer unit tests. */
import type {
  EngineEvent,
  EstimateIngestOutput,
  FileUpdate,
  QuarryApi,
  Snapshot,
} from '../../electron/contract/api';
import type { FileSnapshot, JobSnapshot, Preview, PublicSettings } from '../../electron/contract/model';
import { publicSettingsFixture } from '../helpers/public-settings';

/** An estimate of nothing: what a fake engine answers `estimateIngest` with. */
export const emptyEstimate: EstimateIngestOutput = {
  type: 'estimate',
  backend: 'local',
  files: 0,
  unchanged: 0,
  unreadable: 0,
  byRoute: {
    documentIntelligence: { files: 0, pages: 0 },
    vision: { files: 0 },
    local: { files: 0, pages: 0 },
  },
  tokens: 0,
  cost: { currency: 'USD', documentIntelligence: 0, vision: 0, embeddings: 0, total: 0 },
  prices: {
    currency: 'USD',
    documentIntelligencePer1000Pages: 10,
    visionPer1000Images: 1,
    embeddingsPer1MTokens: 0.02,
  },
  notes: [],
};

export function fileSnapshot(fileId: string, overrides: Partial<FileSnapshot> = {}): FileSnapshot {
  return {
    fileId,
    jobId: 'job-1',
    path: `/data/${fileId}.txt`,
    name: `${fileId}.txt`,
    folder: '/data',
    size: 100,
    mimeType: 'text/plain',
    stage: 'discovered',
    status: 'queued',
    progress: null,
    chunks: 0,
    error: null,
    ...overrides,
  };
}

export function fileUpdate(fileId: string, overrides: Partial<FileUpdate> = {}): FileUpdate {
  return { fileId, stage: 'hashed', status: 'running', progress: null, chunks: 0, error: null, ...overrides };
}

export function jobSnapshot(jobId: string, overrides: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    jobId,
    status: 'running',
    startedAt: 1_000,
    finishedAt: null,
    counts: { files: 0, queued: 0, running: 0, indexed: 0, skipped: 0, failed: 0, chunks: 0 },
    ...overrides,
  };
}

export function snapshotOf(files: FileSnapshot[], jobs: JobSnapshot[] = [jobSnapshot('job-1')]): Snapshot {
  return { backend: 'local', semantic: { available: false, reason: 'no model' }, jobs, files };
}

export const publicSettings: PublicSettings = publicSettingsFixture('/home/someone/.quarry');

export function previewOf(sourcePath: string, chunkIndex: number): Preview {
  return {
    sourcePath,
    sourceName: sourcePath.split('/').pop() ?? sourcePath,
    mimeType: 'text/plain',
    page: null,
    pageCount: null,
    image: null,
    rects: [],
    passages: [{ chunkIndex, page: null, text: 'the passage', highlights: [[4, 11]], isHit: true }],
    notice: null,
  };
}

/** Resolve or reject a promise from outside. */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A QuarryApi whose calls are recorded and answered by overridable handlers; events are pushed by the test. */
export class FakeApi implements QuarryApi {
  readonly calls: Array<{ name: string; input: unknown }> = [];
  readonly listeners = new Set<(event: EngineEvent) => void>();
  snapshot: () => Promise<Snapshot> = async () => snapshotOf([]);

  private record<T>(name: string, input: unknown, answer: () => Promise<T>): Promise<T> {
    this.calls.push({ name, input });
    return answer();
  }

  startIngest: QuarryApi['startIngest'] = (input) =>
    this.record('startIngest', input, async () => ({ jobId: 'job-new' }));
  cancelJob: QuarryApi['cancelJob'] = (input) =>
    this.record('cancelJob', input, async () => ({ cancelled: true }));
  pauseJob: QuarryApi['pauseJob'] = (input) =>
    this.record('pauseJob', input, async () => ({ changed: true }));
  resumeJob: QuarryApi['resumeJob'] = (input) =>
    this.record('resumeJob', input, async () => ({ changed: true }));
  retryFailed: QuarryApi['retryFailed'] = (input) =>
    this.record('retryFailed', input, async () => ({ retried: 0 }));
  getSnapshot: QuarryApi['getSnapshot'] = (input) => this.record('getSnapshot', input, () => this.snapshot());
  search: QuarryApi['search'] = (input) =>
    this.record('search', input, async () => ({ mode: 'keyword' as const, results: [], notice: null }));
  getSettings: QuarryApi['getSettings'] = (input) =>
    this.record('getSettings', input, async () => publicSettings);
  updateSettings: QuarryApi['updateSettings'] = (input) =>
    this.record('updateSettings', input, async () => publicSettings);
  getPreview: QuarryApi['getPreview'] = (input) =>
    this.record('getPreview', input, async () => previewOf(input.sourcePath, input.chunkIndex));
  estimateIngest: QuarryApi['estimateIngest'] = (input) =>
    this.record('estimateIngest', input, async () => ({ ...emptyEstimate, files: input.sources.length }));
  locateIndexedFile: QuarryApi['locateIndexedFile'] = (input) =>
    this.record('locateIndexedFile', input, async () => ({ path: `/indexed/${input.sourcePath}` }));
  testConnection: QuarryApi['testConnection'] = (input) =>
    this.record('testConnection', input, async () => ({
      service: input.service,
      ok: true,
      latencyInMs: 12,
      message: 'ok',
      error: null,
    }));
  /** Answers get ids `ask-1`, `ask-2`, ...; tests stream them with `emit`. */
  ask: QuarryApi['ask'] = (input) =>
    this.record('ask', input, async () => ({ askId: `ask-${this.callsNamed('ask').length}` }));
  stopAnswer: QuarryApi['stopAnswer'] = (input) =>
    this.record('stopAnswer', input, async () => ({ stopped: true }));

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.calls.push({ name: 'onEvent', input: null });
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  callsNamed(name: string): unknown[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.input);
  }
}

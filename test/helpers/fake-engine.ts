import type { CallHandlers, EngineEvent, PublicSettings } from '../../electron/contract';
import type { Engine } from '../../electron/engine/engine';
import { publicSettingsFixture } from './public-settings';

/** What a fake handler received, in call order. */
export interface RecordedCall {
  name: keyof CallHandlers;
  input: unknown;
}

/** The part of the Engine that transports use, plus test controls. */
export interface FakeEngine extends Pick<Engine, 'handlers' | 'onEvent' | 'close'> {
  readonly calls: RecordedCall[];
  emit(event: EngineEvent): void;
  readonly closed: boolean;
}

const settings: PublicSettings = publicSettingsFixture();

/** An in-memory Engine for transport tests: records parsed inputs, answers deterministically. */
export function createFakeEngine(overrides: Partial<CallHandlers> = {}): FakeEngine {
  const calls: RecordedCall[] = [];
  const listeners = new Set<(event: EngineEvent) => void>();
  let closed = false;
  const handlers: CallHandlers = {
    startIngest: async (input) => {
      calls.push({ name: 'startIngest', input });
      return { jobId: `job-${input.sources.length}` };
    },
    cancelJob: async (input) => {
      calls.push({ name: 'cancelJob', input });
      return { cancelled: input.jobId.startsWith('job-') };
    },
    pauseJob: async (input) => {
      calls.push({ name: 'pauseJob', input });
      return { changed: true };
    },
    resumeJob: async (input) => {
      calls.push({ name: 'resumeJob', input });
      return { changed: true };
    },
    retryFailed: async (input) => {
      calls.push({ name: 'retryFailed', input });
      return { retried: 0 };
    },
    getSnapshot: async (input) => {
      calls.push({ name: 'getSnapshot', input });
      return { backend: 'local', semantic: { available: false, reason: 'no model' }, jobs: [], files: [] };
    },
    search: async (input) => {
      calls.push({ name: 'search', input });
      return { mode: 'keyword', results: [], notice: `searched "${input.query}" top ${input.top}` };
    },
    getSettings: async (input) => {
      calls.push({ name: 'getSettings', input });
      return settings;
    },
    updateSettings: async (input) => {
      calls.push({ name: 'updateSettings', input });
      return { ...settings, concurrency: input.concurrency ?? settings.concurrency };
    },
    getPreview: async (input) => {
      calls.push({ name: 'getPreview', input });
      return {
        sourcePath: input.sourcePath,
        sourceName: input.sourcePath,
        mimeType: 'text/plain',
        page: null,
        pageCount: null,
        image: null,
        rects: [],
        passages: [
          { chunkIndex: input.chunkIndex, page: null, text: input.query, highlights: [], isHit: true },
        ],
        notice: null,
      };
    },
    estimateIngest: async (input) => {
      calls.push({ name: 'estimateIngest', input });
      return {
        type: 'estimate',
        backend: 'local',
        files: input.sources.length,
        unchanged: 0,
        unreadable: 0,
        byRoute: {
          documentIntelligence: { files: 0, pages: 0 },
          vision: { files: 0 },
          local: { files: input.sources.length, pages: 0 },
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
    },
    locateIndexedFile: async (input) => {
      calls.push({ name: 'locateIndexedFile', input });
      return { path: `/indexed/${input.sourcePath}` };
    },
    testConnection: async (input) => {
      calls.push({ name: 'testConnection', input });
      return { service: input.service, ok: true, latencyInMs: 1, message: 'fake', error: null };
    },
    ask: async (input) => {
      calls.push({ name: 'ask', input });
      return { askId: `ask-${calls.filter((call) => call.name === 'ask').length}` };
    },
    stopAnswer: async (input) => {
      calls.push({ name: 'stopAnswer', input });
      return { stopped: input.askId.startsWith('ask-') };
    },
    ...overrides,
  };
  return {
    handlers,
    calls,
    get closed() {
      return closed;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    async close() {
      closed = true;
    },
  };
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchResult } from '../../electron/contract/model';
import { QuarryCallError } from '../../renderer/src/api/call-error';
import { FILE_TYPES, toSearchFilters } from '../../renderer/src/lib/search-filters';
import { draftFromSettings, patchFromDraft } from '../../renderer/src/lib/settings-form';
import { activeJobs, failuresByJob } from '../../renderer/src/stores/jobs-selectors';
import { createJobsStore } from '../../renderer/src/stores/jobs-store';
import { createPreviewStore } from '../../renderer/src/stores/preview-store';
import { createSearchStore } from '../../renderer/src/stores/search-store';
import { createSettingsStore } from '../../renderer/src/stores/settings-store';
import {
  deferred,
  FakeApi,
  fileSnapshot,
  jobSnapshot,
  previewOf,
  publicSettings,
  snapshotOf,
} from './renderer-fakes';

const hit = (id: string, chunkIndex = 0): SearchResult => ({
  id,
  sourcePath: `/docs/${id}.pdf`,
  sourceName: `${id}.pdf`,
  page: 2,
  chunkIndex,
  score: 1,
  snippet: 's',
  highlights: [],
  mimeType: 'application/pdf',
});

describe('jobs store: job controls and failures', () => {
  it('sends pause, resume, cancel and retry for one job, and reports a refused control', async () => {
    const api = new FakeApi();
    const store = createJobsStore(api);
    await store.getState().controlJob('job-1', 'pause');
    await store.getState().controlJob('job-1', 'resume');
    await store.getState().controlJob('job-1', 'retry');
    await store.getState().controlJob('job-1', 'cancel');
    expect(api.calls.map((call) => call.name)).toEqual(['pauseJob', 'resumeJob', 'retryFailed', 'cancelJob']);
    expect(api.callsNamed('retryFailed')).toEqual([{ jobId: 'job-1' }]);

    api.pauseJob = async () => {
      throw new QuarryCallError({ code: 'invalid_input', message: 'No job with id x', retryable: false });
    };
    await store.getState().controlJob('x', 'pause');
    expect(store.getState().commandError?.code).toBe('invalid_input');
    expect(store.getState().pendingJobs).toEqual({});
  });

  it('marks a job pending while its control is in flight', async () => {
    const api = new FakeApi();
    const answer = deferred<{ changed: boolean }>();
    api.pauseJob = () => answer.promise;
    const store = createJobsStore(api);
    const pending = store.getState().controlJob('job-1', 'pause');
    expect(store.getState().pendingJobs).toEqual({ 'job-1': 'pause' });
    answer.resolve({ changed: true });
    await pending;
    expect(store.getState().pendingJobs).toEqual({});
  });

  it('groups failed files by job in arrival order and lists running and paused jobs', () => {
    const store = createJobsStore(new FakeApi());
    const failed = (id: string, jobId: string) =>
      fileSnapshot(id, {
        jobId,
        status: 'failed',
        error: { code: 'invalid_input', message: `bad ${id}`, retryable: false },
      });
    store
      .getState()
      .applySnapshot(
        snapshotOf(
          [failed('a', 'job-1'), fileSnapshot('b'), failed('c', 'job-2'), failed('d', 'job-1')],
          [
            jobSnapshot('job-1', { status: 'paused', startedAt: 2 }),
            jobSnapshot('job-2', { status: 'done', startedAt: 1 }),
            jobSnapshot('job-3', { status: 'running', startedAt: 3 }),
          ],
        ),
      );
    const groups = failuresByJob(store.getState());
    expect(groups.map((group) => [group.jobId, group.files.map((file) => file.fileId)])).toEqual([
      ['job-1', ['a', 'd']],
      ['job-2', ['c']],
    ]);
    expect(activeJobs(store.getState().jobs).map((job) => job.jobId)).toEqual(['job-1', 'job-3']);
  });
});

describe('search filters', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turn the form into contract filters: types to MIME types, dates to local-day bounds', () => {
    expect(toSearchFilters({ types: [], folder: ' ', modifiedFrom: '', modifiedTo: '' })).toBeUndefined();
    const filters = toSearchFilters({
      types: ['pdf', 'text'],
      folder: ' /home/me/reports ',
      modifiedFrom: '2024-03-01',
      modifiedTo: '2024-03-31',
    });
    expect(filters?.mimeTypes).toEqual([...FILE_TYPES.pdf.mimeTypes, ...FILE_TYPES.text.mimeTypes]);
    expect(filters?.folder).toBe('/home/me/reports');
    expect(filters?.modifiedAfter).toBe(new Date(2024, 2, 1).getTime());
    // "To" includes its whole day.
    expect(filters?.modifiedBefore).toBe(new Date(2024, 3, 1).getTime());
  });

  it('search again with the filters after the typing pause', async () => {
    const api = new FakeApi();
    const store = createSearchStore(api, { debounceInMs: 50 });
    store.getState().setQuery('budget');
    await vi.advanceTimersByTimeAsync(60);
    store.getState().setFilters({ types: ['pdf'] });
    store.getState().setFilters({ folder: '/r' });
    await vi.advanceTimersByTimeAsync(60);
    const searches = api.callsNamed('search');
    expect(searches).toHaveLength(2);
    expect(searches[1]).toMatchObject({
      query: 'budget',
      filters: { mimeTypes: ['application/pdf'], folder: '/r' },
    });
  });
});

describe('preview store', () => {
  it('opens the hit with the query, shows only the latest answer, and closes', async () => {
    const api = new FakeApi();
    const first = deferred<ReturnType<typeof previewOf>>();
    api.getPreview = (input) =>
      input.chunkIndex === 1 ? first.promise : Promise.resolve(previewOf(input.sourcePath, 2));
    const store = createPreviewStore(api, null, { maxWidth: 900 });
    expect(store.getState().canOpenFiles).toBe(false);
    const slow = store.getState().open(hit('a', 1), 'glossary');
    await store.getState().open(hit('b', 2), 'glossary');
    first.resolve(previewOf('/docs/a.pdf', 1));
    await slow;
    expect(store.getState().target?.resultId).toBe('b');
    expect(store.getState().preview?.sourcePath).toBe('/docs/b.pdf');
    store.getState().close();
    expect(store.getState()).toMatchObject({ target: null, preview: null, loading: false });
  });

  it('asks the engine for the hit by path and chunk, with the query and width', async () => {
    const api = new FakeApi();
    const store = createPreviewStore(api, null, { maxWidth: 900 });
    await store.getState().open(hit('a', 3), 'term');
    expect(api.callsNamed('getPreview')).toEqual([
      { sourcePath: '/docs/a.pdf', chunkIndex: 3, query: 'term', maxWidth: 900 },
    ]);
  });

  it('opens the file through the transport when it can, and reports a failure', async () => {
    const opened: string[] = [];
    const store = createPreviewStore(new FakeApi(), async (path) => {
      opened.push(path);
      if (path.includes('locked')) {
        throw new QuarryCallError({ code: 'unsupported', message: 'cannot open', retryable: false });
      }
    });
    expect(store.getState().canOpenFiles).toBe(true);
    await store.getState().open(hit('a'), '');
    await store.getState().openFile();
    await store.getState().open(hit('locked'), '');
    await store.getState().openFile();
    expect(opened).toEqual(['/docs/a.pdf', '/docs/locked.pdf']);
    expect(store.getState().openError?.code).toBe('unsupported');
  });
});

describe('settings form and store', () => {
  it('round-trips the settings through the form model and validates what was typed', () => {
    const draft = draftFromSettings(publicSettings);
    const clean = patchFromDraft(draft, {});
    expect(clean.errors).toEqual({});
    expect(clean.patch.azure?.keys).toBeUndefined();
    const broken = patchFromDraft(
      {
        ...draft,
        concurrency: '0',
        services: {
          ...draft.services,
          openai: {
            ...draft.services.openai,
            endpoint: 'http://example.com',
            limits: { requestsPerSecond: '', tokensPerMinute: '1.5', maxConcurrency: '8' },
          },
        },
      },
      { search: '  secret  ' },
    );
    expect(Object.keys(broken.errors).sort()).toEqual([
      'concurrency',
      'services.openai.endpoint',
      'services.openai.limits.tokensPerMinute',
    ]);
    expect(broken.patch.azure?.keys).toEqual({ search: 'secret' });
    expect(broken.patch.azure?.limits?.openai).toEqual({ requestsPerSecond: null, maxConcurrency: 8 });
  });

  it('sends a typed key once, forgets it after saving and recreates the key inputs', async () => {
    const api = new FakeApi();
    const store = createSettingsStore(api);
    await store.getState().load();
    const generation = store.getState().formGeneration;
    store.getState().setKeyDraft('openai', 'sk-123');
    store.getState().updateDraft((draft) => ({ ...draft, embeddingDeployment: 'emb' }));
    expect(store.getState().dirty).toBe(true);
    expect(await store.getState().save()).toBe(true);
    const patch = api.callsNamed('updateSettings')[0] as {
      azure: { keys: unknown; embeddingDeployment: string };
    };
    expect(patch.azure.keys).toEqual({ openai: 'sk-123' });
    expect(store.getState().keyDrafts).toEqual({});
    expect(store.getState().dirty).toBe(false);
    expect(store.getState().formGeneration).toBeGreaterThan(generation);
    expect(JSON.stringify(store.getState())).not.toContain('sk-123');
  });

  it('does not save an invalid form, and saves pending changes before a connection test', async () => {
    const api = new FakeApi();
    const store = createSettingsStore(api);
    await store.getState().load();
    store.getState().updateDraft((draft) => ({ ...draft, concurrency: 'many' }));
    await store.getState().testConnection('openai');
    expect(api.callsNamed('updateSettings')).toHaveLength(0);
    expect(api.callsNamed('testConnection')).toHaveLength(0);
    expect(store.getState().fieldErrors.concurrency).toBeDefined();

    store.getState().updateDraft((draft) => ({ ...draft, concurrency: '3' }));
    await store.getState().testConnection('search');
    expect(api.callsNamed('updateSettings')).toHaveLength(1);
    expect(api.callsNamed('testConnection')).toEqual([{ service: 'search' }]);
    expect(store.getState().tests.search).toMatchObject({ status: 'done', result: { ok: true } });
  });

  it('clears a key with an explicit empty value', async () => {
    const api = new FakeApi();
    const store = createSettingsStore(api);
    await store.getState().load();
    await store.getState().clearKey('vision');
    expect(api.callsNamed('updateSettings')).toEqual([{ azure: { keys: { vision: '' } } }]);
  });

  it('keeps the running backend (from the snapshot) apart from the saved choice', async () => {
    const api = new FakeApi();
    api.updateSettings = async (input) => ({ ...publicSettings, backend: input.backend ?? 'local' });
    const store = createSettingsStore(api);
    store.getState().applySnapshot(snapshotOf([]));
    await store.getState().load();
    store.getState().updateDraft((draft) => ({ ...draft, backend: 'azure' }));
    await store.getState().save();
    expect(store.getState().settings?.backend).toBe('azure');
    expect(store.getState().backend).toBe('local');
  });
});

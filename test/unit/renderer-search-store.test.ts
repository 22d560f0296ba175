import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchOutput } from '../../electron/contract/api';
import type { SearchResult } from '../../electron/contract/model';
import { QuarryCallError } from '../../renderer/src/api/call-error';
import { createSearchStore } from '../../renderer/src/stores/search-store';
import { createSettingsStore } from '../../renderer/src/stores/settings-store';
import { deferred, FakeApi, publicSettings, snapshotOf } from './renderer-fakes';

function result(id: string): SearchResult {
  return {
    id,
    sourcePath: `/docs/${id}.pdf`,
    sourceName: `${id}.pdf`,
    page: 2,
    chunkIndex: 0,
    score: 0.5,
    snippet: 'a quarry of words',
    highlights: [[2, 8]],
    mimeType: 'application/pdf',
  };
}

const output = (ids: string[], notice: string | null = null): SearchOutput => ({
  mode: 'keyword',
  results: ids.map(result),
  notice,
});

describe('search store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('searches once the typing pauses, with the latest text', async () => {
    const api = new FakeApi();
    api.search = vi.fn(async () => output(['r1'], 'Semantic search unavailable; used keyword search.'));
    const store = createSearchStore(api, { debounceInMs: 150, top: 7 });

    store.getState().setQuery('q');
    await vi.advanceTimersByTimeAsync(100);
    store.getState().setQuery('qu');
    await vi.advanceTimersByTimeAsync(100);
    store.getState().setQuery('quarry ');
    expect(api.search).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(150);

    expect(api.search).toHaveBeenCalledTimes(1);
    expect(api.search).toHaveBeenCalledWith({ query: 'quarry', mode: 'hybrid', top: 7 });
    const state = store.getState();
    expect(state.results.map((r) => r.id)).toEqual(['r1']);
    expect(state.resultsQuery).toBe('quarry');
    expect(state.usedMode).toBe('keyword');
    expect(state.notice).toMatch(/unavailable/);
    expect(state.loading).toBe(false);
  });

  it('discards an answer that arrives after a newer search was made', async () => {
    const api = new FakeApi();
    const slow = deferred<SearchOutput>();
    const fast = deferred<SearchOutput>();
    api.search = vi.fn().mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise);
    const store = createSearchStore(api);

    store.getState().setQuery('first');
    await vi.advanceTimersByTimeAsync(150);
    store.getState().setQuery('second');
    await vi.advanceTimersByTimeAsync(150);
    fast.resolve(output(['new']));
    await vi.advanceTimersByTimeAsync(0);
    slow.resolve(output(['old']));
    await vi.advanceTimersByTimeAsync(0);

    expect(store.getState().results.map((r) => r.id)).toEqual(['new']);
    expect(store.getState().resultsQuery).toBe('second');
  });

  it('does not show an answer to text the box no longer holds', async () => {
    const api = new FakeApi();
    const pending = deferred<SearchOutput>();
    api.search = vi.fn().mockReturnValueOnce(pending.promise);
    const store = createSearchStore(api);

    store.getState().setQuery('old');
    await vi.advanceTimersByTimeAsync(150);
    store.getState().setQuery('newer'); // still inside the pause: no request yet
    pending.resolve(output(['old']));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().results).toEqual([]);
  });

  it('clears results for an empty query without calling the engine', async () => {
    const api = new FakeApi();
    api.search = vi.fn(async () => output(['r1']));
    const store = createSearchStore(api);
    store.getState().setQuery('x');
    await vi.advanceTimersByTimeAsync(150);
    expect(store.getState().results).toHaveLength(1);

    store.getState().setQuery('   ');
    await vi.advanceTimersByTimeAsync(150);
    expect(api.search).toHaveBeenCalledTimes(1);
    expect(store.getState().results).toEqual([]);
    expect(store.getState().resultsQuery).toBe('');
  });

  it('searches again at once when the mode changes, and on Enter', async () => {
    const api = new FakeApi();
    api.search = vi.fn(async () => output([]));
    const store = createSearchStore(api);
    store.getState().setMode('vector'); // nothing typed: nothing to search
    expect(api.search).not.toHaveBeenCalled();

    store.getState().setQuery('words');
    await store.getState().searchNow();
    expect(api.search).toHaveBeenLastCalledWith({ query: 'words', mode: 'vector', top: 20 });
    store.getState().setMode('keyword');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.search).toHaveBeenLastCalledWith({ query: 'words', mode: 'keyword', top: 20 });
    expect(api.search).toHaveBeenCalledTimes(2);
  });

  it('keeps the error info of a failed search and drops the old results', async () => {
    const api = new FakeApi();
    api.search = vi
      .fn()
      .mockResolvedValueOnce(output(['r1']))
      .mockRejectedValueOnce(new QuarryCallError({ code: 'auth', message: 'Bad key', retryable: false }));
    const store = createSearchStore(api);
    store.getState().setQuery('a');
    await vi.advanceTimersByTimeAsync(150);
    store.getState().setQuery('b');
    await vi.advanceTimersByTimeAsync(150);
    expect(store.getState().error).toEqual({ code: 'auth', message: 'Bad key', retryable: false });
    expect(store.getState().results).toEqual([]);
    expect(store.getState().loading).toBe(false);
  });
});

describe('settings store', () => {
  it('takes backend and semantic status from the snapshot and loads the public settings', async () => {
    const api = new FakeApi();
    const store = createSettingsStore(api);
    store.getState().applySnapshot(snapshotOf([]));
    expect(store.getState().backend).toBe('local');
    expect(store.getState().semantic).toEqual({ available: false, reason: 'no model' });

    await store.getState().load();
    expect(store.getState().settings).toEqual(publicSettings);
    expect(store.getState().loading).toBe(false);
  });

  it('keeps the error code when settings cannot be loaded', async () => {
    const api = new FakeApi();
    api.getSettings = async () => {
      throw new QuarryCallError({ code: 'service', message: 'Settings file unreadable', retryable: false });
    };
    const store = createSettingsStore(api);
    await store.getState().load();
    expect(store.getState().error?.code).toBe('service');
    expect(store.getState().settings).toBeNull();
  });
});

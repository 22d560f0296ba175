import { createStore, type StoreApi } from 'zustand/vanilla';
import type { QuarryApi } from '../../../electron/contract/api';
import type { QuarryErrorInfo } from '../../../electron/contract/errors';
import type { Preview, SearchResult } from '../../../electron/contract/model';
import { errorInfoOf } from '../api/call-error';

export interface PreviewTarget {
  resultId: string;
  sourcePath: string;
  sourceName: string;
  chunkIndex: number;
  page: number | null;
  query: string;
}

export interface PreviewState {
  target: PreviewTarget | null;
  preview: Preview | null;
  loading: boolean;
  error: QuarryErrorInfo | null;
  /** "Open file" failed (Electron only). */
  openError: QuarryErrorInfo | null;
  /** Whether this transport can open files in the system's apps (Electron yes, browser no). */
  canOpenFiles: boolean;

  open(result: SearchResult, query: string): Promise<void>;
  close(): void;
  openFile(): Promise<void>;
}

export type PreviewStore = StoreApi<PreviewState>;

export interface PreviewStoreOptions {
  /** Widest page image asked of the engine (it never sends more than 1600 px). */
  maxWidth?: number;
}

export function createPreviewStore(
  api: Pick<QuarryApi, 'getPreview'>,
  openPath: ((sourcePath: string) => Promise<void>) | null,
  options: PreviewStoreOptions = {},
): PreviewStore {
  const maxWidth = options.maxWidth ?? 1200;
  // Only the answer to the latest request is shown (people click through results quickly).
  let latestRequest = 0;

  return createStore<PreviewState>()((set, get) => ({
    target: null,
    preview: null,
    loading: false,
    error: null,
    openError: null,
    canOpenFiles: openPath !== null,

    async open(result, query) {
      const request = ++latestRequest;
      const target: PreviewTarget = {
        resultId: result.id,
        sourcePath: result.sourcePath,
        sourceName: result.sourceName,
        chunkIndex: result.chunkIndex,
        page: result.page,
        query,
      };
      set({ target, preview: null, loading: true, error: null, openError: null });
      try {
        const preview = await api.getPreview({
          sourcePath: result.sourcePath,
          chunkIndex: result.chunkIndex,
          query,
          maxWidth,
        });
        if (request === latestRequest) set({ preview, loading: false });
      } catch (error) {
        if (request === latestRequest) set({ error: errorInfoOf(error), loading: false });
      }
    },

    close() {
      latestRequest += 1;
      set({ target: null, preview: null, loading: false, error: null, openError: null });
    },

    async openFile() {
      const target = get().target;
      if (!target || !openPath) return;
      set({ openError: null });
      try {
        await openPath(target.sourcePath);
      } catch (error) {
        set({ openError: errorInfoOf(error) });
      }
    },
  }));
}

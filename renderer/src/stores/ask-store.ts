import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AnswerDone, EngineEvent, QuarryApi } from '../../../electron/contract/api';
import type { QuarryErrorInfo } from '../../../electron/contract/errors';
import type { AnswerUsage, Citation, SearchMode } from '../../../electron/contract/model';
import { errorInfoOf } from '../api/call-error';

/** What the answer view shows (and tests read from `data-state`). */
export type AnswerState = 'streaming' | 'done' | 'partial' | 'error';

/** One question of this session and its answer, as far as it got. */
export interface AskEntry {
  /** Local id: the engine's askId arrives only after the call returns. */
  key: number;
  askId: string | null;
  question: string;
  mode: SearchMode;
  answer: string;
  state: AnswerState;
  citations: readonly Citation[];
  usage: AnswerUsage | null;
  error: QuarryErrorInfo | null;
  notice: string | null;
}

export interface AskState {
  /** The text in the question box. */
  draft: string;
  /** Newest first; the session keeps the last `historySize`. */
  entries: readonly AskEntry[];
  /** The entry shown; null before the first question. */
  selectedKey: number | null;

  setDraft(draft: string): void;
  /** Asks the draft with the search view's mode; the answer then streams into a new entry. */
  ask(mode: SearchMode): Promise<void>;
  /** Stops the answer that is streaming (the text so far is kept, marked partial). */
  stop(): Promise<void>;
  select(key: number): void;
  applyEvents(events: readonly EngineEvent[]): void;
}

export type AskStore = StoreApi<AskState>;

export interface AskStoreOptions {
  historySize?: number;
  top?: number;
}

export const MAX_QUESTION_LENGTH = 2000;

type AnswerEvent = Extract<EngineEvent, { type: 'answer.delta' | 'answer.done' }>;

/** Events for an answer whose id this store does not know yet are kept this long (in events). */
const MAX_EARLY_EVENTS = 500;

function stateOf(done: AnswerDone): AnswerState {
  if (done.partial) return 'partial';
  if (done.error) return 'error';
  return 'done';
}

export function createAskStore(
  api: Pick<QuarryApi, 'ask' | 'stopAnswer'>,
  options: AskStoreOptions = {},
): AskStore {
  const historySize = options.historySize ?? 10;
  let nextKey = 1;
  // Answer events can overtake the reply to `ask` on some transports: they wait here for their id.
  let early: AnswerEvent[] = [];

  return createStore<AskState>()((set, get) => {
    const update = (key: number, change: (entry: AskEntry) => Partial<AskEntry>): void => {
      set((state) => ({
        entries: state.entries.map((entry) => (entry.key === key ? { ...entry, ...change(entry) } : entry)),
      }));
    };

    const apply = (event: AnswerEvent): boolean => {
      const entry = get().entries.find((candidate) => candidate.askId === event.askId);
      if (!entry) return false;
      if (event.type === 'answer.delta') {
        // A late delta after a stop or the final event changes nothing.
        if (entry.state === 'streaming')
          update(entry.key, (current) => ({ answer: current.answer + event.text }));
        return true;
      }
      update(entry.key, () => ({
        answer: event.answer,
        state: stateOf(event),
        citations: event.citations,
        usage: event.usage,
        error: event.error ?? null,
        notice: event.notice,
      }));
      return true;
    };

    return {
      draft: '',
      entries: [],
      selectedKey: null,

      setDraft(draft) {
        set({ draft: draft.slice(0, MAX_QUESTION_LENGTH) });
      },

      async ask(mode) {
        const question = get().draft.trim();
        if (!question) return;
        const key = nextKey++;
        const entry: AskEntry = {
          key,
          askId: null,
          question,
          mode,
          answer: '',
          state: 'streaming',
          citations: [],
          usage: null,
          error: null,
          notice: null,
        };
        set((state) => ({ entries: [entry, ...state.entries].slice(0, historySize), selectedKey: key }));
        try {
          const { askId } = await api.ask({ question, mode, ...(options.top ? { top: options.top } : {}) });
          update(key, () => ({ askId }));
          const waiting = early;
          early = [];
          for (const event of waiting) if (!apply(event)) early.push(event);
        } catch (error) {
          update(key, () => ({ state: 'error', error: errorInfoOf(error) }));
        }
      },

      async stop() {
        const entry = get().entries.find((candidate) => candidate.key === get().selectedKey);
        if (!entry?.askId || entry.state !== 'streaming') return;
        try {
          await api.stopAnswer({ askId: entry.askId });
        } catch (error) {
          update(entry.key, () => ({ error: errorInfoOf(error) }));
        }
      },

      select(key) {
        if (get().entries.some((entry) => entry.key === key)) set({ selectedKey: key });
      },

      applyEvents(events) {
        for (const event of events) {
          if (event.type !== 'answer.delta' && event.type !== 'answer.done') continue;
          if (!apply(event)) early = [...early, event].slice(-MAX_EARLY_EVENTS);
        }
      },
    };
  });
}

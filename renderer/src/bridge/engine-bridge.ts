import type { EngineEvent, QuarryApi, Snapshot } from '../../../electron/contract/api';
import type { ConnectionState } from '../api/quarry-client';

/** What the bridge needs from the client. */
export type BridgeApi = Pick<QuarryApi, 'getSnapshot' | 'onEvent'> & {
  onConnectionChange?(listener: (state: ConnectionState) => void): () => void;
};

/** Where the bridge puts what it learns (the app's stores). */
export interface BridgeTarget {
  applySnapshot(snapshot: Snapshot): void;
  applyEvents(events: readonly EngineEvent[], options?: { replay?: boolean }): void;
}

export interface EngineBridgeOptions {
  /** Runs `flush` soon; live events arriving until then are applied as one batch. */
  scheduleFlush?: (flush: () => void) => void;
  /** Called after each snapshot (the first one makes the app ready). */
  onSynced?: () => void;
  /** Reports a snapshot that failed; the bridge retries it after `retryDelayInMs`. */
  onSyncError?: (error: unknown) => void;
  retryDelayInMs?: number;
}

const defaultScheduleFlush = (flush: () => void): void => {
  setTimeout(flush, 16);
};

/**
 * Keeps the stores in step with the engine: subscribe to events first, then take a snapshot,
 * apply it, then replay the events that arrived meanwhile (they may already be in the snapshot,
 * so the target merges them without moving anything backwards), then apply live events in batches.
 * After the transport reconnects, events may have been lost, so it syncs again the same way.
 * No polling. Returns a function that stops it.
 */
export function startEngineBridge(
  api: BridgeApi,
  target: BridgeTarget,
  options: EngineBridgeOptions = {},
): () => void {
  const scheduleFlush = options.scheduleFlush ?? defaultScheduleFlush;
  const retryDelayInMs = options.retryDelayInMs ?? 1_000;

  let stopped = false;
  /** Events received before the current sync's snapshot arrived; null once synced. */
  let beforeSnapshot: EngineEvent[] | null = [];
  let live: EngineEvent[] = [];
  let flushScheduled = false;
  let syncGeneration = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const flush = (): void => {
    flushScheduled = false;
    if (stopped || live.length === 0) return;
    const batch = live;
    live = [];
    target.applyEvents(batch);
  };

  const unsubscribeEvents = api.onEvent((event) => {
    if (stopped) return;
    if (beforeSnapshot) {
      beforeSnapshot.push(event);
      return;
    }
    live.push(event);
    if (!flushScheduled) {
      flushScheduled = true;
      scheduleFlush(flush);
    }
  });

  async function sync(): Promise<void> {
    const generation = ++syncGeneration;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    // Live events not yet applied are older than the coming snapshot: treat them as replay too.
    beforeSnapshot = [...(beforeSnapshot ?? []), ...live];
    live = [];
    let snapshot: Snapshot;
    try {
      snapshot = await api.getSnapshot({});
    } catch (error) {
      if (stopped || generation !== syncGeneration) return;
      options.onSyncError?.(error);
      retryTimer = setTimeout(() => void sync(), retryDelayInMs);
      return;
    }
    if (stopped || generation !== syncGeneration) return;
    const replay = beforeSnapshot;
    beforeSnapshot = null;
    target.applySnapshot(snapshot);
    if (replay.length > 0) target.applyEvents(replay, { replay: true });
    options.onSynced?.();
  }

  let disconnected = false;
  const unsubscribeConnection = api.onConnectionChange?.((state) => {
    if (state === 'closed') disconnected = true;
    if (state === 'open' && disconnected) {
      disconnected = false;
      void sync();
    }
  });

  void sync();

  return () => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    unsubscribeEvents();
    unsubscribeConnection?.();
  };
}

import { useEffect } from 'react';
import type { BridgeApi } from '../bridge/engine-bridge';
import { startEngineBridge } from '../bridge/engine-bridge';
import type { AppStores } from '../stores/app-stores';

/**
 * Feeds the stores from the engine for the app's lifetime: snapshot first, then events (see
 * startEngineBridge). Mount it once, at the root. Marks `<body data-app-state="ready">` when the
 * first snapshot is in.
 */
export function useEngineBridge(api: BridgeApi, stores: AppStores): void {
  useEffect(() => {
    const stop = startEngineBridge(api, stores, {
      onSynced: () => {
        document.body.dataset.appState = 'ready';
      },
      onSyncError: (error) => console.error('Quarry: could not load the engine snapshot; retrying', error),
    });
    return stop;
  }, [api, stores]);
}

import { useCallback, useRef } from 'react';
import { flushSync } from 'react-dom';
import { useQuarryClient } from '../api/client-context';
import { useEngineBridge } from '../hooks/useEngineBridge';
import { useFocusShortcut } from '../hooks/useFocusShortcut';
import { usePreventStrayDrops } from '../hooks/usePreventStrayDrops';
import { useAppStores, useUi } from '../stores/use-stores';
import { Header } from './Header';
import { IngestView } from './IngestView';
import { SearchView } from './SearchView';
import { SettingsView } from './SettingsView';

/** The shell: three views behind tabs; they stay mounted so each keeps its state and scroll. */
export function App() {
  const client = useQuarryClient();
  const stores = useAppStores();
  const searchInputRef = useRef<HTMLInputElement>(null);
  const view = useUi((state) => state.view);

  useEngineBridge(client, stores);
  // The search view must be shown (rendered now, not on the next frame) before its input can take focus.
  const showSearch = useCallback(
    () =>
      flushSync(() => {
        stores.ui.getState().setSearchPanel('search');
        stores.ui.getState().setView('search');
      }),
    [stores],
  );
  useFocusShortcut('k', searchInputRef, showSearch);
  usePreventStrayDrops();

  return (
    <div className="app">
      <Header />
      <main className="workspace">
        <IngestView hidden={view !== 'ingest'} />
        <SearchView inputRef={searchInputRef} hidden={view !== 'search'} />
        <SettingsView hidden={view !== 'settings'} />
      </main>
    </div>
  );
}

import { useRef, useState } from 'react';
import { useQuarryClient } from '../api/client-context';
import { useEngineBridge } from '../hooks/useEngineBridge';
import { useFocusShortcut } from '../hooks/useFocusShortcut';
import { usePreventStrayDrops } from '../hooks/usePreventStrayDrops';
import { useAppStores } from '../stores/use-stores';
import { Header } from './Header';
import { IngestView } from './IngestView';
import { SearchView } from './SearchView';
import { SettingsDialog } from './SettingsDialog';

/** The shell: ingest and search side by side (stacked on narrow windows), settings in a dialog. */
export function App() {
  const client = useQuarryClient();
  const stores = useAppStores();
  const searchInputRef = useRef<HTMLInputElement>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);

  useEngineBridge(client, stores);
  useFocusShortcut('k', searchInputRef);
  usePreventStrayDrops();

  return (
    <div className="app">
      <Header onOpenSettings={() => setSettingsOpen(true)} />
      <main className="workspace">
        <IngestView />
        <SearchView inputRef={searchInputRef} />
      </main>
      <SettingsDialog open={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </div>
  );
}

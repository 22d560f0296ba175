import { useConnectionState } from '../api/client-context';
import { useSettings } from '../stores/use-stores';

const CONNECTION_TEXT = { connecting: 'Connecting to Quarry…', closed: 'Disconnected — reconnecting…' };

export function Header({ onOpenSettings }: { onOpenSettings: () => void }) {
  const backend = useSettings((state) => state.backend);
  const connection = useConnectionState();

  return (
    <header className="app-header">
      <h1 className="app-title">Quarry</h1>
      {backend && (
        <span className="badge" title="Where files are read and indexed">
          {backend === 'azure' ? 'Azure AI' : 'Local'}
        </span>
      )}
      {connection !== 'open' && (
        <span className="connection-warning" role="status">
          {CONNECTION_TEXT[connection]}
        </span>
      )}
      <span className="header-spacer" />
      <button type="button" className="button" data-testid="settings-button" onClick={onOpenSettings}>
        Settings
      </button>
    </header>
  );
}

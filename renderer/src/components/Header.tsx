import { type KeyboardEvent, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useConnectionState } from '../api/client-context';
import type { View } from '../stores/ui-store';
import { useSettings, useUi } from '../stores/use-stores';

const TABS: ReadonlyArray<{ view: View; testId: string }> = [
  { view: 'ingest', testId: 'ingest-tab' },
  { view: 'search', testId: 'search-tab' },
  { view: 'settings', testId: 'settings-button' },
];

/** Title, backend, connection state and the view tabs (arrow keys move between tabs). */
export function Header() {
  const { t } = useTranslation();
  const backend = useSettings((state) => state.backend);
  const connection = useConnectionState();
  const view = useUi((state) => state.view);
  const setView = useUi((state) => state.setView);
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = (index + step + TABS.length) % TABS.length;
    setView(TABS[next]!.view);
    tabs.current[next]?.focus();
  };

  return (
    <header className="app-header">
      <h1 className="app-title">Quarry</h1>
      {backend && (
        <span className="badge" title={t('app.backend.title')}>
          {t(`app.backend.${backend}`)}
        </span>
      )}
      <div className="tabs" role="tablist" aria-label={t('app.views')}>
        {TABS.map((tab, index) => (
          <button
            key={tab.view}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.view}`}
            className={view === tab.view ? 'tab tab-selected' : 'tab'}
            aria-selected={view === tab.view}
            aria-controls={`view-${tab.view}`}
            tabIndex={view === tab.view ? 0 : -1}
            data-testid={tab.testId}
            onClick={() => setView(tab.view)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {t(`app.tabs.${tab.view}`)}
          </button>
        ))}
      </div>
      <span className="header-spacer" />
      {connection !== 'open' && (
        <span className="connection-warning" role="status">
          {t(`app.connection.${connection}`)}
        </span>
      )}
    </header>
  );
}

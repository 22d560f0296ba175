import { useEffect, useRef } from 'react';
import type { PublicSettings } from '../../../electron/contract/model';
import { useAppStores, useSettings } from '../stores/use-stores';
import { ErrorNotice } from './ErrorNotice';

interface SettingsDialogProps {
  open: boolean;
  onClose: () => void;
}

const AZURE_SERVICES = [
  { key: 'openai', label: 'Azure OpenAI', endpoint: 'openaiEndpoint' },
  { key: 'documentIntelligence', label: 'Document Intelligence', endpoint: 'documentIntelligenceEndpoint' },
  { key: 'vision', label: 'Vision', endpoint: 'visionEndpoint' },
  { key: 'search', label: 'AI Search', endpoint: 'searchEndpoint' },
] as const;

function SettingsSummary({ settings }: { settings: PublicSettings }) {
  return (
    <dl className="settings-list">
      <dt>Backend</dt>
      <dd data-testid="settings-backend">
        {settings.backend === 'azure' ? 'Azure AI' : 'Local (on this machine)'}
      </dd>
      <dt>Data folder</dt>
      <dd data-testid="settings-data-dir">
        <code>{settings.dataDir}</code>
      </dd>
      <dt>Files at once</dt>
      <dd>{settings.concurrency}</dd>
      <dt>OCR languages</dt>
      <dd>{settings.ocrLanguages.join(', ') || 'none'}</dd>
      {AZURE_SERVICES.map((service) => (
        <div key={service.key} className="settings-service">
          <dt>{service.label}</dt>
          <dd>
            {settings.azure[service.endpoint] || 'no endpoint'} ·{' '}
            {settings.azure.keysSet[service.key] ? 'key set' : 'no key'}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Read-only view of the settings for now; editing arrives with the settings form. */
export function SettingsDialog({ open, onClose }: SettingsDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const { settings: settingsStore } = useAppStores();
  const settings = useSettings((state) => state.settings);
  const loading = useSettings((state) => state.loading);
  const error = useSettings((state) => state.error);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      void settingsStore.getState().load();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open, settingsStore]);

  return (
    <dialog ref={dialogRef} className="settings-dialog" aria-labelledby="settings-title" onClose={onClose}>
      <header className="dialog-header">
        <h2 id="settings-title">Settings</h2>
        <button type="button" className="button-quiet" onClick={onClose} aria-label="Close settings">
          ✕
        </button>
      </header>
      {error && <ErrorNotice error={error} />}
      {loading && !settings && <p className="muted">Loading…</p>}
      {settings && <SettingsSummary settings={settings} />}
    </dialog>
  );
}

import type { BackendKind } from '../../../electron/contract/model';
import { useAppStores, useSettings } from '../stores/use-stores';
import { TextField } from './TextField';

const BACKENDS: ReadonlyArray<{ value: BackendKind; label: string; hint: string }> = [
  { value: 'local', label: 'Local', hint: 'Everything stays on this computer; no account needed.' },
  { value: 'azure', label: 'Azure AI', hint: 'Document Intelligence, Vision, OpenAI and AI Search.' },
];

/** Backend, how many files at once, OCR languages, the data folder and where keys are kept. */
export function GeneralSettings() {
  const { settings: store } = useAppStores();
  const draft = useSettings((state) => state.draft);
  const settings = useSettings((state) => state.settings);
  const errors = useSettings((state) => state.fieldErrors);
  if (!draft || !settings) return null;
  const update = store.getState().updateDraft;

  return (
    <fieldset className="settings-section" data-testid="settings-general">
      <legend>General</legend>
      <div className="field" role="radiogroup" aria-label="Backend">
        <span className="field-label">Backend</span>
        {BACKENDS.map((backend) => (
          <label key={backend.value} className="radio">
            <input
              type="radio"
              name="backend"
              value={backend.value}
              data-testid={`backend-${backend.value}`}
              checked={draft.backend === backend.value}
              onChange={() => update((current) => ({ ...current, backend: backend.value }))}
            />
            <strong>{backend.label}</strong> <span className="muted">{backend.hint}</span>
          </label>
        ))}
      </div>
      <div className="field-row">
        <TextField
          label="Files at once"
          type="number"
          value={draft.concurrency}
          testId="settings-concurrency"
          error={errors.concurrency}
          hint="For new ingests."
          onChange={(value) => update((current) => ({ ...current, concurrency: value }))}
        />
        <TextField
          label="OCR languages"
          value={draft.ocrLanguages}
          placeholder="eng, chi_sim"
          error={errors.ocrLanguages}
          hint="Tesseract codes for scans and photos, e.g. eng, chi_sim."
          onChange={(value) => update((current) => ({ ...current, ocrLanguages: value }))}
        />
      </div>
      <TextField
        label="Data folder"
        value={settings.dataDir}
        readOnly
        testId="settings-data-dir"
        onChange={() => {}}
      />
      <p
        className={settings.secretStorage.persistent ? 'field-hint' : 'notice notice-info'}
        data-testid="secret-storage"
        data-kind={settings.secretStorage.kind}
      >
        {settings.secretStorage.detail}
      </p>
    </fieldset>
  );
}

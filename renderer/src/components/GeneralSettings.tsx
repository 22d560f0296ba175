import { useTranslation } from 'react-i18next';
import type { BackendKind } from '../../../electron/contract/model';
import { useAppStores, useSettings } from '../stores/use-stores';
import { LanguageSelect } from './LanguageSelect';
import { TextField } from './TextField';

const BACKENDS: readonly BackendKind[] = ['local', 'azure'];

/** Backend, how many files at once, OCR languages, UI language, the data folder and where keys are kept. */
export function GeneralSettings() {
  const { t } = useTranslation();
  const { settings: store } = useAppStores();
  const draft = useSettings((state) => state.draft);
  const settings = useSettings((state) => state.settings);
  const errors = useSettings((state) => state.fieldErrors);
  const running = useSettings((state) => state.backend);
  if (!draft || !settings) return null;
  const update = store.getState().updateDraft;

  return (
    <fieldset className="settings-section" data-testid="settings-general">
      <legend>{t('settings.general')}</legend>
      <div className="field" role="radiogroup" aria-label={t('settings.backend')}>
        <span className="field-label">{t('settings.backend')}</span>
        {BACKENDS.map((backend) => (
          <label key={backend} className="radio">
            <input
              type="radio"
              name="backend"
              value={backend}
              data-testid={`backend-${backend}`}
              checked={draft.backend === backend}
              onChange={() => update((current) => ({ ...current, backend }))}
            />
            <strong>{t(`settings.backends.${backend}`)}</strong>{' '}
            <span className="muted">{t(`settings.backends.${backend}Hint`)}</span>
          </label>
        ))}
      </div>
      {running !== null && running !== settings.backend && (
        <p className="notice notice-info" data-testid="backend-restart">
          {t('settings.backendRestart', {
            running: t(`settings.backends.${running}`),
            chosen: t(`settings.backends.${settings.backend}`),
          })}
        </p>
      )}
      <div className="field-row">
        <TextField
          label={t('settings.concurrency')}
          type="number"
          value={draft.concurrency}
          testId="settings-concurrency"
          error={errors.concurrency}
          hint={t('settings.concurrencyHint')}
          onChange={(value) => update((current) => ({ ...current, concurrency: value }))}
        />
        <TextField
          label={t('settings.ocrLanguages')}
          value={draft.ocrLanguages}
          placeholder="eng, chi_sim"
          error={errors.ocrLanguages}
          hint={t('settings.ocrLanguagesHint')}
          onChange={(value) => update((current) => ({ ...current, ocrLanguages: value }))}
        />
        <LanguageSelect />
      </div>
      <TextField
        label={t('settings.dataFolder')}
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

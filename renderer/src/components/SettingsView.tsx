import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { AZURE_SERVICES } from '../lib/settings-form';
import { useAppStores, useSettings } from '../stores/use-stores';
import { AzureServiceSection } from './AzureServiceSection';
import { ErrorNotice } from './ErrorNotice';
import { GeneralSettings } from './GeneralSettings';

const savedTime = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function SaveStatus() {
  const { t } = useTranslation();
  const dirty = useSettings((state) => state.dirty);
  const savedAt = useSettings((state) => state.savedAt);
  const invalid = useSettings((state) => Object.keys(state.fieldErrors).length > 0);
  const status = invalid
    ? t('settings.status.invalid')
    : dirty
      ? t('settings.status.dirty')
      : savedAt !== null
        ? t('settings.status.saved', { time: savedTime.format(savedAt) })
        : '';
  return (
    <output
      className="muted"
      data-testid="settings-status"
      data-state={invalid ? 'invalid' : dirty ? 'dirty' : savedAt !== null ? 'saved' : 'clean'}
      aria-live="polite"
    >
      {status}
    </output>
  );
}

/** The settings form: loaded when first shown, saved with one button (keys are write-only). */
export function SettingsView({ hidden }: { hidden: boolean }) {
  const { t } = useTranslation();
  const { settings: store } = useAppStores();
  const loaded = useSettings((state) => state.draft !== null);
  const loading = useSettings((state) => state.loading);
  const saving = useSettings((state) => state.saving);
  const error = useSettings((state) => state.error);

  useEffect(() => {
    if (!hidden && !loaded && !loading) void store.getState().load();
  }, [hidden, loaded, loading, store]);

  return (
    <section
      className="view settings-view"
      id="view-settings"
      aria-labelledby="tab-settings"
      role="tabpanel"
      hidden={hidden}
    >
      <form
        className="settings-form"
        data-testid="settings-form"
        aria-busy={loading || saving}
        onSubmit={(event) => {
          event.preventDefault();
          void store.getState().save();
        }}
      >
        {error && <ErrorNotice error={error} hints="connectionHint" />}
        {loading && !loaded && <p className="muted">{t('settings.loading')}</p>}
        {loaded && (
          <>
            <GeneralSettings />
            <h2 className="settings-heading">{t('settings.azureServices')}</h2>
            <p className="muted">{t('settings.azureIntro')}</p>
            {AZURE_SERVICES.map((service) => (
              <AzureServiceSection key={service} service={service} />
            ))}
            <div className="settings-actions">
              <button
                type="submit"
                className="button button-primary"
                data-testid="settings-save"
                disabled={saving}
              >
                {t(saving ? 'settings.saving' : 'settings.save')}
              </button>
              <SaveStatus />
            </div>
          </>
        )}
      </form>
    </section>
  );
}

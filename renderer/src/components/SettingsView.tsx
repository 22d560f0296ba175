import { useEffect } from 'react';
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

/** The settings form: loaded when first shown, saved with one button (keys are write-only). */
export function SettingsView({ hidden }: { hidden: boolean }) {
  const { settings: store } = useAppStores();
  const loaded = useSettings((state) => state.draft !== null);
  const loading = useSettings((state) => state.loading);
  const saving = useSettings((state) => state.saving);
  const dirty = useSettings((state) => state.dirty);
  const error = useSettings((state) => state.error);
  const savedAt = useSettings((state) => state.savedAt);
  const invalid = useSettings((state) => Object.keys(state.fieldErrors).length > 0);

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
        {error && <ErrorNotice error={error} />}
        {loading && !loaded && <p className="muted">Loading settings…</p>}
        {loaded && (
          <>
            <GeneralSettings />
            <h2 className="settings-heading">Azure services</h2>
            <p className="muted">
              Keys are write-only: Quarry shows whether one is set, never the key itself. Save, then test each
              service.
            </p>
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
                {saving ? 'Saving…' : 'Save'}
              </button>
              <output className="muted" data-testid="settings-status" aria-live="polite">
                {invalid
                  ? 'Fix the marked fields, then save.'
                  : dirty
                    ? 'Unsaved changes.'
                    : savedAt !== null
                      ? `Saved at ${savedTime.format(savedAt)}.`
                      : ''}
              </output>
            </div>
          </>
        )}
      </form>
    </section>
  );
}

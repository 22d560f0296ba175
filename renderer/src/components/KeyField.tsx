import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { AzureServiceKey } from '../../../electron/contract/model';
import { useAppStores, useSettings } from '../stores/use-stores';

/**
 * A write-only key: an empty password box (uncontrolled, so a typed key never lands in a DOM
 * attribute) and whether a key is stored. The engine never sends a key back.
 */
export function KeyField({ service, label }: { service: AzureServiceKey; label: string }) {
  const { t } = useTranslation();
  const id = useId();
  const { settings: store } = useAppStores();
  const isSet = useSettings((state) => state.settings?.azure.keysSet[service] ?? false);
  const generation = useSettings((state) => state.formGeneration);
  const saving = useSettings((state) => state.saving);
  return (
    <div className="field key-field">
      <label htmlFor={id}>{t('settings.key', { service: label })}</label>
      <div className="key-field-row">
        <input
          key={generation}
          id={id}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          placeholder={t(isSet ? 'settings.keyPlaceholderSet' : 'settings.keyPlaceholderNew')}
          data-testid={`key-${service}`}
          aria-describedby={`${id}-status`}
          onChange={(event) => store.getState().setKeyDraft(service, event.target.value)}
        />
        <span
          id={`${id}-status`}
          className={isSet ? 'key-status key-set' : 'key-status'}
          data-testid={`key-status-${service}`}
          data-key-set={isSet}
        >
          {t(isSet ? 'settings.keySet' : 'settings.keyNotSet')}
        </span>
        {isSet && (
          <button
            type="button"
            className="button-quiet"
            data-testid={`clear-key-${service}`}
            disabled={saving}
            onClick={() => void store.getState().clearKey(service)}
          >
            {t('settings.clear')}
          </button>
        )}
      </div>
    </div>
  );
}

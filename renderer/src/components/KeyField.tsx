import { useId } from 'react';
import type { AzureServiceKey } from '../../../electron/contract/model';
import { useAppStores, useSettings } from '../stores/use-stores';

/**
 * A write-only key: an empty password box (uncontrolled, so a typed key never lands in a DOM
 * attribute) and whether a key is stored. The engine never sends a key back.
 */
export function KeyField({ service, label }: { service: AzureServiceKey; label: string }) {
  const id = useId();
  const { settings: store } = useAppStores();
  const isSet = useSettings((state) => state.settings?.azure.keysSet[service] ?? false);
  const generation = useSettings((state) => state.formGeneration);
  const saving = useSettings((state) => state.saving);
  return (
    <div className="field key-field">
      <label htmlFor={id}>{label} key</label>
      <div className="key-field-row">
        <input
          key={generation}
          id={id}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          placeholder={isSet ? 'Type a new key to replace it' : 'Paste the key'}
          data-testid={`key-${service}`}
          aria-describedby={`${id}-status`}
          onChange={(event) => store.getState().setKeyDraft(service, event.target.value)}
        />
        <span
          id={`${id}-status`}
          className={isSet ? 'key-status key-set' : 'key-status'}
          data-testid={`key-status-${service}`}
        >
          {isSet ? 'Key is set' : 'Not set'}
        </span>
        {isSet && (
          <button
            type="button"
            className="button-quiet"
            data-testid={`clear-key-${service}`}
            disabled={saving}
            onClick={() => void store.getState().clearKey(service)}
          >
            Clear
          </button>
        )}
      </div>
    </div>
  );
}

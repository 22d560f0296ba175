import { useTranslation } from 'react-i18next';
import type { AzureServiceKey } from '../../../electron/contract/model';
import type { LimitField, SettingsDraft } from '../lib/settings-form';
import { useAppStores, useSettings } from '../stores/use-stores';
import { ConnectionTest } from './ConnectionTest';
import { KeyField } from './KeyField';
import { TextField } from './TextField';

const ENDPOINT_HINTS: Record<AzureServiceKey, string> = {
  openai: 'https://<resource>.openai.azure.com',
  documentIntelligence: 'https://<resource>.cognitiveservices.azure.com',
  vision: 'https://<resource>.cognitiveservices.azure.com',
  search: 'https://<service>.search.windows.net',
};

const LIMITS: ReadonlyArray<{ field: LimitField; only?: AzureServiceKey }> = [
  { field: 'requestsPerSecond' },
  { field: 'tokensPerMinute', only: 'openai' },
  { field: 'maxConcurrency' },
];

type TopField = 'embeddingDeployment' | 'chatDeployment' | 'searchIndex';

/** One Azure service: endpoint, write-only key, its deployment or index, api-version, quotas, and a test. */
export function AzureServiceSection({ service }: { service: AzureServiceKey }) {
  const { t } = useTranslation();
  const { settings: store } = useAppStores();
  const draft = useSettings((state) => state.draft?.services[service]);
  const top = useSettings((state) => state.draft);
  const errors = useSettings((state) => state.fieldErrors);
  if (!draft || !top) return null;
  const label = t(`settings.services.${service}`);
  const update = (change: (current: SettingsDraft) => SettingsDraft) => store.getState().updateDraft(change);
  const setService = (field: 'endpoint' | 'apiVersion', value: string) =>
    update((current) => ({
      ...current,
      services: { ...current.services, [service]: { ...current.services[service], [field]: value } },
    }));
  const setLimit = (field: LimitField, value: string) =>
    update((current) => {
      const serviceDraft = current.services[service];
      return {
        ...current,
        services: {
          ...current.services,
          [service]: { ...serviceDraft, limits: { ...serviceDraft.limits, [field]: value } },
        },
      };
    });
  const setTop = (field: TopField, value: string) => update((current) => ({ ...current, [field]: value }));
  const path = `services.${service}`;

  return (
    <fieldset className="settings-section" data-testid={`settings-${service}`}>
      <legend>{label}</legend>
      <TextField
        label={t('settings.endpoint')}
        type="url"
        value={draft.endpoint}
        placeholder={ENDPOINT_HINTS[service]}
        testId={`endpoint-${service}`}
        error={errors[`${path}.endpoint`]}
        onChange={(value) => setService('endpoint', value)}
      />
      <KeyField service={service} label={label} />
      {service === 'openai' && (
        <div className="field-row">
          <TextField
            label={t('settings.embeddingDeployment')}
            value={top.embeddingDeployment}
            placeholder="text-embedding-3-small"
            testId="embedding-deployment"
            onChange={(value) => setTop('embeddingDeployment', value)}
          />
          <TextField
            label={t('settings.chatDeployment')}
            value={top.chatDeployment}
            placeholder="gpt-4o-mini"
            onChange={(value) => setTop('chatDeployment', value)}
          />
        </div>
      )}
      {service === 'documentIntelligence' && <p className="field-hint">{t('settings.documentModel')}</p>}
      {service === 'search' && (
        <TextField
          label={t('settings.searchIndex')}
          value={top.searchIndex}
          placeholder="quarry"
          testId="search-index"
          error={errors.searchIndex}
          hint={t('settings.searchIndexHint')}
          onChange={(value) => setTop('searchIndex', value)}
        />
      )}
      <details className="settings-advanced">
        <summary>{t('settings.advanced')}</summary>
        <div className="field-row">
          <TextField
            label={t('settings.apiVersion')}
            value={draft.apiVersion}
            placeholder={t('settings.apiVersionPlaceholder')}
            onChange={(value) => setService('apiVersion', value)}
          />
          {LIMITS.filter((limit) => !limit.only || limit.only === service).map((limit) => (
            <TextField
              key={limit.field}
              label={t(`settings.limits.${limit.field}`)}
              type="number"
              value={draft.limits[limit.field]}
              placeholder={t('settings.limits.placeholder')}
              error={errors[`${path}.limits.${limit.field}`]}
              onChange={(value) => setLimit(limit.field, value)}
            />
          ))}
        </div>
      </details>
      <ConnectionTest service={service} />
    </fieldset>
  );
}

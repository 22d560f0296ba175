import type { AzureServiceKey } from '../../../electron/contract/model';
import type { LimitField, SettingsDraft } from '../lib/settings-form';
import { useAppStores, useSettings } from '../stores/use-stores';
import { ConnectionTest } from './ConnectionTest';
import { KeyField } from './KeyField';
import { TextField } from './TextField';

const SERVICES: Record<AzureServiceKey, { label: string; endpointHint: string }> = {
  openai: {
    label: 'Azure OpenAI',
    endpointHint: 'https://<resource>.openai.azure.com',
  },
  documentIntelligence: {
    label: 'Document Intelligence',
    endpointHint: 'https://<resource>.cognitiveservices.azure.com',
  },
  vision: {
    label: 'Azure AI Vision',
    endpointHint: 'https://<resource>.cognitiveservices.azure.com',
  },
  search: {
    label: 'Azure AI Search',
    endpointHint: 'https://<service>.search.windows.net',
  },
};

const LIMITS: ReadonlyArray<{ field: LimitField; label: string; only?: AzureServiceKey }> = [
  { field: 'requestsPerSecond', label: 'Requests per second' },
  { field: 'tokensPerMinute', label: 'Tokens per minute', only: 'openai' },
  { field: 'maxConcurrency', label: 'Requests at once' },
];

type TopField = 'embeddingDeployment' | 'chatDeployment' | 'searchIndex';

/** One Azure service: endpoint, write-only key, its deployment or index, api-version, quotas, and a test. */
export function AzureServiceSection({ service }: { service: AzureServiceKey }) {
  const { settings: store } = useAppStores();
  const draft = useSettings((state) => state.draft?.services[service]);
  const top = useSettings((state) => state.draft);
  const errors = useSettings((state) => state.fieldErrors);
  if (!draft || !top) return null;
  const info = SERVICES[service];
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
      <legend>{info.label}</legend>
      <TextField
        label="Endpoint"
        type="url"
        value={draft.endpoint}
        placeholder={info.endpointHint}
        testId={`endpoint-${service}`}
        error={errors[`${path}.endpoint`]}
        onChange={(value) => setService('endpoint', value)}
      />
      <KeyField service={service} label={info.label} />
      {service === 'openai' && (
        <div className="field-row">
          <TextField
            label="Embedding deployment"
            value={top.embeddingDeployment}
            placeholder="text-embedding-3-small"
            testId="embedding-deployment"
            onChange={(value) => setTop('embeddingDeployment', value)}
          />
          <TextField
            label="Chat deployment (answers)"
            value={top.chatDeployment}
            placeholder="gpt-4o-mini"
            onChange={(value) => setTop('chatDeployment', value)}
          />
        </div>
      )}
      {service === 'documentIntelligence' && (
        <p className="field-hint">Model: prebuilt-layout (tables, headings, OCR).</p>
      )}
      {service === 'search' && (
        <TextField
          label="Index name"
          value={top.searchIndex}
          placeholder="quarry"
          testId="search-index"
          error={errors.searchIndex}
          hint="Created on the first ingest if it does not exist."
          onChange={(value) => setTop('searchIndex', value)}
        />
      )}
      <details className="settings-advanced">
        <summary>API version and quotas</summary>
        <div className="field-row">
          <TextField
            label="API version"
            value={draft.apiVersion}
            placeholder="the service's default"
            onChange={(value) => setService('apiVersion', value)}
          />
          {LIMITS.filter((limit) => !limit.only || limit.only === service).map((limit) => (
            <TextField
              key={limit.field}
              label={limit.label}
              type="number"
              value={draft.limits[limit.field]}
              placeholder="service default"
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

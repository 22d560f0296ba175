/**
 * The settings form's model: every field as the text the person typed, converted to and from the
 * contract's PublicSettings / SettingsPatch, with per-field validation messages.
 */
import type { SettingsPatch } from '../../../electron/contract/api';
import type { AzureServiceKey, BackendKind, PublicSettings } from '../../../electron/contract/model';

export const AZURE_SERVICES: readonly AzureServiceKey[] = [
  'openai',
  'documentIntelligence',
  'vision',
  'search',
];

export type LimitField = 'requestsPerSecond' | 'tokensPerMinute' | 'maxConcurrency';

export interface ServiceDraft {
  endpoint: string;
  apiVersion: string;
  limits: Record<LimitField, string>;
}

export interface SettingsDraft {
  backend: BackendKind;
  concurrency: string;
  /** Comma- or space-separated Tesseract language codes, e.g. "eng, chi_sim". */
  ocrLanguages: string;
  embeddingDeployment: string;
  chatDeployment: string;
  searchIndex: string;
  services: Record<AzureServiceKey, ServiceDraft>;
}

/** What is wrong with a field: a key of `settings.errors` in the UI text, and its bound. */
export interface FieldError {
  problem: 'concurrency' | 'ocrLanguages' | 'endpoint' | 'wholeNumber' | 'number' | 'searchIndex';
  max?: number;
}

/** Field path -> problem, e.g. `concurrency`, `services.openai.endpoint`. */
export type FieldErrors = Readonly<Record<string, FieldError>>;

const ENDPOINT_FIELD = {
  openai: 'openaiEndpoint',
  documentIntelligence: 'documentIntelligenceEndpoint',
  vision: 'visionEndpoint',
  search: 'searchEndpoint',
} as const satisfies Record<AzureServiceKey, keyof PublicSettings['azure']>;

const numberText = (value: number | null): string => (value === null ? '' : String(value));

export function draftFromSettings(settings: PublicSettings): SettingsDraft {
  const service = (key: AzureServiceKey): ServiceDraft => {
    const limits = settings.azure.limits[key];
    return {
      endpoint: settings.azure[ENDPOINT_FIELD[key]],
      apiVersion: settings.azure.apiVersions[key],
      limits: {
        requestsPerSecond: numberText(limits.requestsPerSecond),
        tokensPerMinute: numberText(limits.tokensPerMinute),
        maxConcurrency: numberText(limits.maxConcurrency),
      },
    };
  };
  return {
    backend: settings.backend,
    concurrency: String(settings.concurrency),
    ocrLanguages: settings.ocrLanguages.join(', '),
    embeddingDeployment: settings.azure.embeddingDeployment,
    chatDeployment: settings.azure.chatDeployment,
    searchIndex: settings.azure.searchIndex,
    services: {
      openai: service('openai'),
      documentIntelligence: service('documentIntelligence'),
      vision: service('vision'),
      search: service('search'),
    },
  };
}

export interface PatchResult {
  patch: SettingsPatch;
  errors: FieldErrors;
}

const LIMIT_RANGES: Record<LimitField, { max: number; integer: boolean }> = {
  requestsPerSecond: { max: 10_000, integer: false },
  tokensPerMinute: { max: 100_000_000, integer: true },
  maxConcurrency: { max: 256, integer: true },
};

function isValidEndpoint(text: string): boolean {
  try {
    const url = new URL(text);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
  } catch {
    return false;
  }
}

/**
 * The patch that saves the draft: every form field, plus the keys typed since the last save (an
 * empty key field leaves the stored key alone; clearing is a separate, explicit action).
 */
export function patchFromDraft(
  draft: SettingsDraft,
  keyDrafts: Partial<Record<AzureServiceKey, string>>,
): PatchResult {
  const errors: Record<string, FieldError> = {};
  const concurrency = Number(draft.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    errors.concurrency = { problem: 'concurrency' };
  }
  const ocrLanguages = draft.ocrLanguages.split(/[\s,]+/u).filter(Boolean);
  if (ocrLanguages.some((code) => !/^[a-z_]{3,16}$/u.test(code))) {
    errors.ocrLanguages = { problem: 'ocrLanguages' };
  }

  const apiVersions: Partial<Record<AzureServiceKey, string>> = {};
  const limits: NonNullable<NonNullable<SettingsPatch['azure']>['limits']> = {};
  const endpoints: Partial<Record<(typeof ENDPOINT_FIELD)[AzureServiceKey], string>> = {};
  for (const service of AZURE_SERVICES) {
    const serviceDraft = draft.services[service];
    const endpoint = serviceDraft.endpoint.trim();
    if (endpoint && !isValidEndpoint(endpoint)) {
      errors[`services.${service}.endpoint`] = { problem: 'endpoint' };
    }
    endpoints[ENDPOINT_FIELD[service]] = endpoint;
    apiVersions[service] = serviceDraft.apiVersion.trim();
    const serviceLimits: Partial<Record<LimitField, number | null>> = {};
    for (const field of Object.keys(LIMIT_RANGES) as LimitField[]) {
      const text = serviceDraft.limits[field].trim();
      if (!text) {
        serviceLimits[field] = null;
        continue;
      }
      const value = Number(text);
      const { max, integer } = LIMIT_RANGES[field];
      if (!Number.isFinite(value) || value <= 0 || value > max || (integer && !Number.isInteger(value))) {
        errors[`services.${service}.limits.${field}`] = { problem: integer ? 'wholeNumber' : 'number', max };
      } else {
        serviceLimits[field] = value;
      }
    }
    limits[service] = serviceLimits;
  }
  if (
    draft.searchIndex.trim() &&
    !/^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?$/u.test(draft.searchIndex.trim())
  ) {
    errors.searchIndex = { problem: 'searchIndex' };
  }

  const keys: Partial<Record<AzureServiceKey, string>> = {};
  for (const service of AZURE_SERVICES) {
    const typed = keyDrafts[service]?.trim();
    if (typed) keys[service] = typed;
  }
  return {
    errors,
    patch: {
      backend: draft.backend,
      ...(errors.concurrency ? {} : { concurrency }),
      ...(errors.ocrLanguages ? {} : { ocrLanguages }),
      azure: {
        ...endpoints,
        embeddingDeployment: draft.embeddingDeployment.trim(),
        chatDeployment: draft.chatDeployment.trim(),
        searchIndex: draft.searchIndex.trim(),
        apiVersions,
        limits,
        ...(Object.keys(keys).length > 0 ? { keys } : {}),
      },
    },
  };
}

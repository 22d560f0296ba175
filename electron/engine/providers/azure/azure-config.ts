/**
 * The Azure configuration: endpoints, credentials, deployments, api-versions and limits, resolved
 * from the settings (the app's panel) and the environment variables of DESIGN.md (the CLI), with
 * a clear `invalid_input` error naming the missing setting and the variable that sets it.
 *
 * Beyond DESIGN.md's list: api-versions come from Settings or AZURE_{OPENAI,DOCUMENTINTELLIGENCE,
 * VISION,SEARCH}_API_VERSION (defaults below), and AZURE_DOCUMENTINTELLIGENCE_TIER picks the
 * Document Intelligence limits (S0 default: 500 MB, 2,000 pages per request; F0: 4 MB, 2 pages).
 * A service without a key uses Microsoft Entra ID (DefaultAzureCredential), which needs https.
 */
import { type PublicSettings, QuarryError } from '../../../contract';
import { assertSafeEndpoint } from '../../settings/settings-store';

export type AzureAuth = { kind: 'key'; key: string } | { kind: 'entra' };

export interface AzureServiceConfig {
  /** Without a trailing slash. */
  endpoint: string;
  auth: AzureAuth;
  apiVersion: string;
}

export interface OpenAiConfig extends AzureServiceConfig {
  embeddingDeployment: string;
  chatDeployment: string | null;
  /** From AZURE_OPENAI_EMBEDDING_DIMENSIONS or the known model behind the deployment name; null = ask the model. */
  embeddingDimensions: number | null;
}

export type DocumentIntelligenceTier = 'S0' | 'F0';

export interface DocumentIntelligenceLimits {
  /** Largest file the service accepts. */
  maxDocumentBytes: number;
  /** Pages one analyze request reads; longer PDFs are split into page ranges. */
  maxPagesPerRequest: number;
  /** Image sides the service accepts, in pixels. */
  minImageSide: number;
  maxImageSide: number;
}

export interface DocumentIntelligenceConfig extends AzureServiceConfig {
  modelId: string;
  tier: DocumentIntelligenceTier;
  limits: DocumentIntelligenceLimits;
}

export interface VisionConfig extends AzureServiceConfig {
  /** Image Analysis 4.0 features requested for every image. */
  features: VisionFeatureName[];
}

export type VisionFeatureName =
  | 'caption'
  | 'tags'
  | 'read'
  | 'denseCaptions'
  | 'objects'
  | 'people'
  | 'smartCrops';

export interface SearchConfig extends AzureServiceConfig {
  indexName: string;
}

export interface AzureConfig {
  openai: OpenAiConfig;
  search: SearchConfig;
  /** Null when no endpoint is set: PDFs and Office files are then read locally. */
  documentIntelligence: DocumentIntelligenceConfig | null;
  /** Null when no endpoint is set: photos then go to Document Intelligence (text only). */
  vision: VisionConfig | null;
}

/** What the resolver reads; `SettingsStore` provides both. */
export interface AzureSettingsSource {
  publicSettings(): Promise<PublicSettings>;
  key(name: 'openai' | 'documentIntelligence' | 'vision' | 'search'): Promise<string | null>;
}

export const DOCUMENT_INTELLIGENCE_TIERS: Readonly<
  Record<DocumentIntelligenceTier, DocumentIntelligenceLimits>
> = {
  S0: {
    maxDocumentBytes: 500 * 1024 * 1024,
    maxPagesPerRequest: 2_000,
    minImageSide: 50,
    maxImageSide: 10_000,
  },
  F0: { maxDocumentBytes: 4 * 1024 * 1024, maxPagesPerRequest: 2, minImageSide: 50, maxImageSide: 10_000 },
};

export const DEFAULT_API_VERSIONS = {
  documentIntelligence: '2024-11-30',
  vision: '2024-02-01',
  search: '2025-09-01',
  openai: '2024-10-21',
} as const;

/** Native sizes of the embedding models, when the deployment is named after its model. */
const KNOWN_EMBEDDING_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** Azure AI Search's limit on vector dimensions. */
const MAX_VECTOR_DIMENSIONS = 4096;
const INDEX_NAME = /^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?$/;

function missing(what: string, variable: string, settingsField?: string): QuarryError {
  const where = settingsField ? ` or fill in "${settingsField}" in Settings` : '';
  return new QuarryError('invalid_input', `${what} is not set: set ${variable}${where}.`, {
    reason: 'missing_setting',
  });
}

function invalid(message: string, reason = 'invalid_setting'): QuarryError {
  return new QuarryError('invalid_input', message, { reason });
}

/** The endpoint checked (https, or http on loopback) and without trailing slashes. */
function checkedEndpoint(value: string, what: string, variable: string): string {
  try {
    assertSafeEndpoint(value);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new QuarryError('invalid_input', `${what} (${variable}) is not usable: ${detail}`, {
      reason: error instanceof QuarryError && error.reason ? error.reason : 'bad_endpoint',
      cause: error,
    });
  }
  return value.replace(/\/+$/u, '');
}

function authFor(key: string | null, endpoint: string, what: string, keyVariable: string): AzureAuth {
  if (key) return { kind: 'key', key };
  // Bearer tokens are refused over plain http by the Azure clients (and must never travel in clear).
  if (new URL(endpoint).protocol !== 'https:') {
    throw missing(
      `${what} key (needed for an http:// endpoint, where Microsoft Entra ID cannot be used)`,
      keyVariable,
    );
  }
  return { kind: 'entra' };
}

function positiveInteger(value: string | undefined, variable: string, max: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0 || parsed > max) {
    throw invalid(`${variable} must be a whole number between 1 and ${max}, got "${value}".`);
  }
  return parsed;
}

const pick = (env: NodeJS.ProcessEnv, name: string): string | undefined => env[name]?.trim() || undefined;

const API_VERSION_VARIABLES = {
  openai: 'AZURE_OPENAI_API_VERSION',
  documentIntelligence: 'AZURE_DOCUMENTINTELLIGENCE_API_VERSION',
  vision: 'AZURE_VISION_API_VERSION',
  search: 'AZURE_SEARCH_API_VERSION',
} as const;

/** Settings (which already apply the environment), else the environment, else Quarry's default. */
function apiVersionOf(
  settings: PublicSettings,
  env: NodeJS.ProcessEnv,
  service: keyof typeof API_VERSION_VARIABLES,
): string {
  return (
    settings.azure.apiVersions[service] ||
    pick(env, API_VERSION_VARIABLES[service]) ||
    DEFAULT_API_VERSIONS[service]
  );
}

async function resolveOpenAi(
  settings: PublicSettings,
  source: AzureSettingsSource,
  env: NodeJS.ProcessEnv,
): Promise<OpenAiConfig> {
  const what = 'The Azure OpenAI endpoint';
  if (!settings.azure.openaiEndpoint) throw missing(what, 'AZURE_OPENAI_ENDPOINT', 'Azure OpenAI endpoint');
  const endpoint = checkedEndpoint(settings.azure.openaiEndpoint, what, 'AZURE_OPENAI_ENDPOINT');
  const embeddingDeployment = settings.azure.embeddingDeployment;
  if (!embeddingDeployment) {
    throw missing(
      'The Azure OpenAI embedding deployment',
      'AZURE_OPENAI_EMBEDDING_DEPLOYMENT',
      'Embedding deployment',
    );
  }
  const configured = positiveInteger(
    pick(env, 'AZURE_OPENAI_EMBEDDING_DIMENSIONS'),
    'AZURE_OPENAI_EMBEDDING_DIMENSIONS',
    MAX_VECTOR_DIMENSIONS,
  );
  return {
    endpoint,
    auth: authFor(await source.key('openai'), endpoint, 'The Azure OpenAI', 'AZURE_OPENAI_API_KEY'),
    apiVersion: apiVersionOf(settings, env, 'openai'),
    embeddingDeployment,
    chatDeployment: settings.azure.chatDeployment || pick(env, 'AZURE_OPENAI_CHAT_DEPLOYMENT') || null,
    embeddingDimensions: configured ?? KNOWN_EMBEDDING_DIMENSIONS[embeddingDeployment] ?? null,
  };
}

async function resolveSearch(
  settings: PublicSettings,
  source: AzureSettingsSource,
  env: NodeJS.ProcessEnv,
): Promise<SearchConfig> {
  const what = 'The Azure AI Search endpoint';
  if (!settings.azure.searchEndpoint) throw missing(what, 'AZURE_SEARCH_ENDPOINT', 'Search endpoint');
  const endpoint = checkedEndpoint(settings.azure.searchEndpoint, what, 'AZURE_SEARCH_ENDPOINT');
  const indexName = settings.azure.searchIndex;
  if (!indexName) throw missing('The Azure AI Search index name', 'AZURE_SEARCH_INDEX', 'Search index');
  if (!INDEX_NAME.test(indexName)) {
    throw invalid(
      `The Azure AI Search index name "${indexName}" (AZURE_SEARCH_INDEX) is not valid: use 1-128 lower-case letters, digits or dashes, starting and ending with a letter or digit.`,
    );
  }
  return {
    endpoint,
    auth: authFor(await source.key('search'), endpoint, 'The Azure AI Search', 'AZURE_SEARCH_API_KEY'),
    apiVersion: apiVersionOf(settings, env, 'search'),
    indexName,
  };
}

async function resolveDocumentIntelligence(
  settings: PublicSettings,
  source: AzureSettingsSource,
  env: NodeJS.ProcessEnv,
): Promise<DocumentIntelligenceConfig | null> {
  if (!settings.azure.documentIntelligenceEndpoint) return null;
  const what = 'The Azure Document Intelligence endpoint';
  const endpoint = checkedEndpoint(
    settings.azure.documentIntelligenceEndpoint,
    what,
    'AZURE_DOCUMENTINTELLIGENCE_ENDPOINT',
  );
  const tierText = (pick(env, 'AZURE_DOCUMENTINTELLIGENCE_TIER') ?? 'S0').toUpperCase();
  if (tierText !== 'S0' && tierText !== 'F0') {
    throw invalid(`AZURE_DOCUMENTINTELLIGENCE_TIER must be S0 or F0, got "${tierText}".`);
  }
  return {
    endpoint,
    auth: authFor(
      await source.key('documentIntelligence'),
      endpoint,
      'The Azure Document Intelligence',
      'AZURE_DOCUMENTINTELLIGENCE_KEY',
    ),
    apiVersion: apiVersionOf(settings, env, 'documentIntelligence'),
    modelId: 'prebuilt-layout',
    tier: tierText,
    limits: DOCUMENT_INTELLIGENCE_TIERS[tierText],
  };
}

async function resolveVision(
  settings: PublicSettings,
  source: AzureSettingsSource,
  env: NodeJS.ProcessEnv,
): Promise<VisionConfig | null> {
  if (!settings.azure.visionEndpoint) return null;
  const endpoint = checkedEndpoint(
    settings.azure.visionEndpoint,
    'The Azure Vision endpoint',
    'AZURE_VISION_ENDPOINT',
  );
  return {
    endpoint,
    auth: authFor(await source.key('vision'), endpoint, 'The Azure Vision', 'AZURE_VISION_KEY'),
    apiVersion: apiVersionOf(settings, env, 'vision'),
    features: ['caption', 'tags', 'read'],
  };
}

/**
 * Resolves the whole Azure configuration. OpenAI (embeddings) and AI Search are required;
 * Document Intelligence and Vision are optional (null when their endpoint is not set).
 */
export async function resolveAzureConfig(
  source: AzureSettingsSource,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AzureConfig> {
  const settings = await source.publicSettings();
  return {
    openai: await resolveOpenAi(settings, source, env),
    search: await resolveSearch(settings, source, env),
    documentIntelligence: await resolveDocumentIntelligence(settings, source, env),
    vision: await resolveVision(settings, source, env),
  };
}

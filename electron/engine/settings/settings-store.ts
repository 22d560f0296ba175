import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  type AzureServiceKey,
  type AzureServiceLimits,
  type PublicSettings,
  QuarryError,
  type ServiceLimits,
  type SettingsPatch,
} from '../../contract';
import {
  embeddingSettingsView,
  patchEmbeddingSettings,
  resolveLocalEmbeddingConfig,
} from '../providers/local/local-embedding-settings';
import { type SecretStore, secretStorageInfo } from './secret-store';

const StoredLimits = z.object({
  requestsPerSecond: z.number().positive().nullable().optional(),
  tokensPerMinute: z.number().int().positive().nullable().optional(),
  maxConcurrency: z.number().int().positive().nullable().optional(),
});
type StoredLimits = z.infer<typeof StoredLimits>;

const PER_SERVICE = <T extends z.ZodType>(schema: T) =>
  z
    .object({
      openai: schema.optional(),
      documentIntelligence: schema.optional(),
      vision: schema.optional(),
      search: schema.optional(),
    })
    .optional();

/** What is stored on disk (settings.json in the data dir): never a secret. */
const StoredSettings = z.object({
  backend: z.enum(['local', 'azure']).optional(),
  concurrency: z.number().int().positive().optional(),
  ocrLanguages: z.array(z.string()).optional(),
  /**
   * Local embeddings (a LocalEmbeddingConfig: provider, model id or full model description, mirror,
   * endpoint). Validated where it is used, so a bad block turns semantic search off with a reason
   * instead of stopping the app.
   */
  embeddings: z.unknown().optional(),
  azure: z
    .object({
      openaiEndpoint: z.string().optional(),
      embeddingDeployment: z.string().optional(),
      chatDeployment: z.string().optional(),
      documentIntelligenceEndpoint: z.string().optional(),
      visionEndpoint: z.string().optional(),
      searchEndpoint: z.string().optional(),
      searchIndex: z.string().optional(),
      apiVersions: PER_SERVICE(z.string()),
      limits: PER_SERVICE(StoredLimits),
    })
    .optional(),
});
type StoredSettings = z.infer<typeof StoredSettings>;

export const SECRET_NAMES = {
  openai: 'azure.openai.key',
  documentIntelligence: 'azure.documentIntelligence.key',
  vision: 'azure.vision.key',
  search: 'azure.search.key',
} as const;
type KeyName = keyof typeof SECRET_NAMES;

/** Environment variables of DESIGN.md "Configuration"; they override the file, as the CLI expects. */
function fromEnvironment(env: NodeJS.ProcessEnv): StoredSettings['azure'] {
  const pick = (name: string): string | undefined => env[name]?.trim() || undefined;
  return {
    openaiEndpoint: pick('AZURE_OPENAI_ENDPOINT'),
    embeddingDeployment: pick('AZURE_OPENAI_EMBEDDING_DEPLOYMENT'),
    chatDeployment: pick('AZURE_OPENAI_CHAT_DEPLOYMENT'),
    documentIntelligenceEndpoint: pick('AZURE_DOCUMENTINTELLIGENCE_ENDPOINT'),
    visionEndpoint: pick('AZURE_VISION_ENDPOINT'),
    searchEndpoint: pick('AZURE_SEARCH_ENDPOINT'),
    searchIndex: pick('AZURE_SEARCH_INDEX'),
  };
}

const ENV_API_VERSIONS: Record<AzureServiceKey, string> = {
  openai: 'AZURE_OPENAI_API_VERSION',
  documentIntelligence: 'AZURE_DOCUMENTINTELLIGENCE_API_VERSION',
  vision: 'AZURE_VISION_API_VERSION',
  search: 'AZURE_SEARCH_API_VERSION',
};

const SERVICES: readonly AzureServiceKey[] = ['openai', 'documentIntelligence', 'vision', 'search'];

const ENV_KEYS: Record<KeyName, string> = {
  openai: 'AZURE_OPENAI_API_KEY',
  documentIntelligence: 'AZURE_DOCUMENTINTELLIGENCE_KEY',
  vision: 'AZURE_VISION_KEY',
  search: 'AZURE_SEARCH_API_KEY',
};

/** Files in flight on the local backend: most of a small file's time is waiting for its index commit, so more files than cores keep the machine busy (1,000 small text files: 28.7 s at 4, 6.6 s at 16). */
export const DEFAULT_CONCURRENCY = 16;

/** Settings file + secrets. Writes are atomic (temp file + rename). */
export class SettingsStore {
  private stored: StoredSettings = {};
  private constructor(
    private readonly dataDir: string,
    private readonly secrets: SecretStore,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async open(
    dataDir: string,
    secrets: SecretStore,
    env: NodeJS.ProcessEnv = process.env,
  ): Promise<SettingsStore> {
    const store = new SettingsStore(dataDir, secrets, env);
    await store.load();
    return store;
  }

  private get file(): string {
    return path.join(this.dataDir, 'settings.json');
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new QuarryError('invalid_input', `Settings file ${this.file} is not valid JSON`, {
        cause: error,
      });
    }
    const parsed = StoredSettings.safeParse(raw);
    if (!parsed.success) {
      throw new QuarryError(
        'invalid_input',
        `Settings file ${this.file} is invalid: ${parsed.error.issues[0]?.message}`,
      );
    }
    this.stored = parsed.data;
  }

  /** The key for a service: environment first (CLI), then the secret store. */
  async key(name: KeyName): Promise<string | null> {
    return this.env[ENV_KEYS[name]]?.trim() || (await this.secrets.get(SECRET_NAMES[name]));
  }

  /** The stored `embeddings` block, as written (see StoredSettings). */
  storedEmbeddings(): unknown {
    return this.stored.embeddings;
  }

  async publicSettings(): Promise<PublicSettings> {
    const azure = { ...this.stored.azure, ...stripUndefined(fromEnvironment(this.env) ?? {}) };
    const keysSet = {
      openai: (await this.key('openai')) !== null,
      documentIntelligence: (await this.key('documentIntelligence')) !== null,
      vision: (await this.key('vision')) !== null,
      search: (await this.key('search')) !== null,
    };
    const azureConfigured = Boolean(
      azure.openaiEndpoint || azure.searchEndpoint || azure.documentIntelligenceEndpoint,
    );
    const apiVersion = (service: AzureServiceKey): string =>
      this.env[ENV_API_VERSIONS[service]]?.trim() || azure.apiVersions?.[service] || '';
    const limitsOf = (service: AzureServiceKey): ServiceLimits => {
      const stored = azure.limits?.[service];
      return {
        requestsPerSecond: stored?.requestsPerSecond ?? null,
        tokensPerMinute: stored?.tokensPerMinute ?? null,
        maxConcurrency: stored?.maxConcurrency ?? null,
      };
    };
    return {
      backend: this.stored.backend ?? (azureConfigured ? 'azure' : 'local'),
      dataDir: this.dataDir,
      concurrency: this.stored.concurrency ?? DEFAULT_CONCURRENCY,
      ocrLanguages: this.stored.ocrLanguages ?? ['eng', 'chi_sim'],
      embeddings: this.embeddingSettings(),
      secretStorage: secretStorageInfo(this.secrets),
      azure: {
        openaiEndpoint: azure.openaiEndpoint ?? '',
        embeddingDeployment: azure.embeddingDeployment ?? '',
        chatDeployment: azure.chatDeployment ?? '',
        apiVersions: perService(apiVersion),
        limits: perService(limitsOf) as AzureServiceLimits,
        documentIntelligenceEndpoint: azure.documentIntelligenceEndpoint ?? '',
        visionEndpoint: azure.visionEndpoint ?? '',
        searchEndpoint: azure.searchEndpoint ?? '',
        searchIndex: azure.searchIndex ?? '',
        keysSet,
      },
    };
  }

  /** The embedding configuration in effect (environment first), as the settings panel shows it. */
  private embeddingSettings(): PublicSettings['embeddings'] {
    try {
      return embeddingSettingsView(resolveLocalEmbeddingConfig(this.env, this.stored.embeddings));
    } catch {
      return embeddingSettingsView(undefined);
    }
  }

  async update(patch: SettingsPatch): Promise<PublicSettings> {
    const { keys, apiVersions, limits, ...azurePatch } = patch.azure ?? {};
    for (const endpoint of Object.values(azurePatch)) {
      if (typeof endpoint === 'string' && endpoint.startsWith('http')) assertSafeEndpoint(endpoint);
    }
    const storedAzure = this.stored.azure ?? {};
    this.stored = {
      ...this.stored,
      ...stripUndefined({
        backend: patch.backend,
        concurrency: patch.concurrency,
        ocrLanguages: patch.ocrLanguages,
        embeddings: patch.embeddings
          ? patchEmbeddingSettings(this.stored.embeddings, patch.embeddings)
          : undefined,
      }),
      azure: {
        ...storedAzure,
        ...stripUndefined(azurePatch),
        ...(apiVersions
          ? { apiVersions: { ...storedAzure.apiVersions, ...stripUndefined(apiVersions) } }
          : {}),
        ...(limits ? { limits: mergeLimits(storedAzure.limits ?? {}, limits) } : {}),
      },
    };
    for (const [name, value] of Object.entries(keys ?? {}) as [KeyName, string | undefined][]) {
      if (value === undefined) continue;
      if (value === '') await this.secrets.delete(SECRET_NAMES[name]);
      else await this.secrets.set(SECRET_NAMES[name], value);
    }
    await mkdir(this.dataDir, { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(this.stored, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.file);
    return this.publicSettings();
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** `http://` only for loopback (the simulator); everything else must be https. */
export function assertSafeEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new QuarryError('invalid_input', `Not a valid URL: ${endpoint}`, { reason: 'bad_endpoint' });
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return;
  throw new QuarryError(
    'invalid_input',
    `Endpoint must use https:// (http is allowed only for loopback): ${endpoint}`,
    {
      reason: 'insecure_endpoint',
    },
  );
}

function perService<T>(value: (service: AzureServiceKey) => T): Record<AzureServiceKey, T> {
  return Object.fromEntries(SERVICES.map((service) => [service, value(service)])) as Record<
    AzureServiceKey,
    T
  >;
}

type LimitsPatch = NonNullable<NonNullable<SettingsPatch['azure']>['limits']>;

/** Per service and field: a number sets the limit, null resets it to the default, absent keeps it. */
function mergeLimits(
  stored: Partial<Record<AzureServiceKey, StoredLimits>>,
  patch: LimitsPatch,
): Partial<Record<AzureServiceKey, StoredLimits>> {
  const merged = { ...stored };
  for (const service of SERVICES) {
    const change = patch[service];
    if (change) merged[service] = { ...merged[service], ...stripUndefined(change) };
  }
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

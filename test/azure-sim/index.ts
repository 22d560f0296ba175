import { PROFILES } from './core/profiles';
import { EMPTY_SCENARIO, loadScenarioFile } from './core/scenario';
import { createSimServer } from './core/server';
import type {
  OpenAiDeployment,
  ProfileName,
  Scenario,
  SimKeys,
  SimLedger,
  SimProfile,
  SimServiceFactory,
} from './core/types';
import { SERVICE_FACTORIES } from './services';

export type * from './core/types';

export interface AzureSimOptions {
  /** 0 (default) = a free port on 127.0.0.1. */
  readonly port?: number;
  /** `instant` (default) or `realistic`, or a custom profile object. */
  readonly profile?: ProfileName | SimProfile;
  /** Seed for fault probabilities, jitter and item picks (default 1). */
  readonly seed?: number;
  /** Fault scenario object, or the path of a scenario JSON file. Default: no faults. */
  readonly scenario?: Scenario | string;
  /** Override some or all API keys. */
  readonly keys?: Partial<SimKeys>;
  /** `x-ms-region` value (default `East US`). */
  readonly region?: string;
  /** OpenAI deployments (default: DEFAULT_OPENAI_DEPLOYMENTS). */
  readonly openAiDeployments?: readonly OpenAiDeployment[];
  /** Delay before indexed Search documents become searchable (default 0). */
  readonly searchVisibilityDelayMs?: number;
  /** See the ledger's Retry-After violation rule (default 25 ms). */
  readonly inFlightGraceMs?: number;
  /** Replace the mounted services (tests of the core); default: all of services/index.ts. */
  readonly serviceFactories?: readonly SimServiceFactory[];
}

export interface AzureSimEndpoints {
  /** Give to `AzureOpenAI({ endpoint })`; the v1 base URL is `${openai}/openai/v1/`. */
  readonly openai: string;
  readonly documentIntelligence: string;
  readonly vision: string;
  readonly search: string;
}

export interface AzureSim {
  /** `http://127.0.0.1:PORT` — all services share it. */
  readonly baseUrl: string;
  readonly port: number;
  readonly endpoints: AzureSimEndpoints;
  readonly keys: SimKeys;
  readonly openAiDeployments: readonly OpenAiDeployment[];
  readonly profile: SimProfile;
  readonly ledger: SimLedger;
  /** Quarry's environment variables pointing at this sim (index name `quarry`). */
  env(): Record<string, string>;
  /** Switch fault rules (counters restart; `seed` defaults to the scenario's, then the sim's). */
  setScenario(scenario: Scenario, seed?: number): void;
  loadScenario(filePath: string, seed?: number): Promise<void>;
  /** How often each rule of the current scenario has fired. */
  faultCounts(): number[];
  /** Drop indexes, documents, operations, ledger entries and quota levels. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_KEYS: SimKeys = {
  openai: 'sim-openai-key',
  documentIntelligence: 'sim-documentintelligence-key',
  vision: 'sim-vision-key',
  search: 'sim-search-admin-key',
};

export const DEFAULT_OPENAI_DEPLOYMENTS: readonly OpenAiDeployment[] = [
  { name: 'text-embedding-3-small', model: 'text-embedding-3-small', kind: 'embeddings', dimensions: 1536 },
  { name: 'text-embedding-3-large', model: 'text-embedding-3-large', kind: 'embeddings', dimensions: 3072 },
  { name: 'text-embedding-ada-002', model: 'text-embedding-ada-002', kind: 'embeddings', dimensions: 1536 },
  { name: 'gpt-4o-mini', model: 'gpt-4o-mini', kind: 'chat' },
];

/** Starts the simulator in-process on 127.0.0.1. Always `close()` it (e.g. in `afterAll`). */
export async function startAzureSim(options: AzureSimOptions = {}): Promise<AzureSim> {
  const profile =
    typeof options.profile === 'object' ? options.profile : PROFILES[options.profile ?? 'instant'];
  const scenario =
    typeof options.scenario === 'string'
      ? await loadScenarioFile(options.scenario)
      : (options.scenario ?? EMPTY_SCENARIO);
  const seed = options.seed ?? scenario.seed ?? 1;
  const keys: SimKeys = { ...DEFAULT_KEYS, ...options.keys };
  const openAiDeployments = options.openAiDeployments ?? DEFAULT_OPENAI_DEPLOYMENTS;
  const server = await createSimServer({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.inFlightGraceMs !== undefined ? { inFlightGraceMs: options.inFlightGraceMs } : {}),
    profile,
    seed,
    scenario,
    keys,
    serviceFactories: options.serviceFactories ?? SERVICE_FACTORIES,
    serviceOptions: {
      region: options.region ?? 'East US',
      openAiDeployments,
      searchVisibilityDelayMs: options.searchVisibilityDelayMs ?? 0,
    },
  });
  const baseUrl = server.baseUrl;
  const endpoints: AzureSimEndpoints = {
    openai: baseUrl,
    documentIntelligence: baseUrl,
    vision: baseUrl,
    search: baseUrl,
  };
  const firstOf = (kind: OpenAiDeployment['kind']): string =>
    openAiDeployments.find((d) => d.kind === kind)?.name ?? '';

  return {
    baseUrl,
    port: server.port,
    endpoints,
    keys,
    openAiDeployments,
    profile,
    ledger: server.ledger,
    env: () => ({
      AZURE_OPENAI_ENDPOINT: endpoints.openai,
      AZURE_OPENAI_API_KEY: keys.openai,
      AZURE_OPENAI_EMBEDDING_DEPLOYMENT: firstOf('embeddings'),
      AZURE_OPENAI_CHAT_DEPLOYMENT: firstOf('chat'),
      AZURE_OPENAI_API_VERSION: '2024-10-21',
      AZURE_DOCUMENTINTELLIGENCE_ENDPOINT: endpoints.documentIntelligence,
      AZURE_DOCUMENTINTELLIGENCE_KEY: keys.documentIntelligence,
      AZURE_VISION_ENDPOINT: endpoints.vision,
      AZURE_VISION_KEY: keys.vision,
      AZURE_SEARCH_ENDPOINT: endpoints.search,
      AZURE_SEARCH_API_KEY: keys.search,
      AZURE_SEARCH_INDEX: 'quarry',
    }),
    setScenario: (next, nextSeed) => server.setScenario(next, nextSeed),
    loadScenario: async (filePath, nextSeed) =>
      server.setScenario(await loadScenarioFile(filePath), nextSeed),
    faultCounts: () => server.faults.firedCounts(),
    reset: () => server.reset(),
    close: () => server.close(),
  };
}

/** The engine's estimate: which backend and services are configured, and who answers "already indexed?". */
import type { EstimateIngestOutput, IngestSource } from '../../../contract';
import type { Backend } from '../../backend';
import { resolveAzureConfig } from '../../providers/azure/azure-config';
import type { SettingsStore } from '../../settings/settings-store';
import { estimateIngest } from './estimate';
import { resolveEstimatePrices } from './prices';

export interface EngineEstimateContext {
  settings: SettingsStore;
  env: NodeJS.ProcessEnv;
  /** Opens the backend if needed (the local one is free to open). */
  backend: () => Promise<Backend>;
  /** The backend only if it is already open (or opening). */
  backendIfOpen: () => Promise<Backend> | null;
  abortSignal?: AbortSignal;
}

type HashLookup = ((sourcePath: string) => Promise<string | null>) | null;

function lookupOf(backend: Backend, abortSignal: AbortSignal | undefined): HashLookup {
  return (sourcePath) => backend.index.indexedHash(sourcePath, abortSignal ? { abortSignal } : {});
}

export async function estimateIngestCost(
  sources: readonly IngestSource[],
  context: EngineEstimateContext,
): Promise<EstimateIngestOutput> {
  const prices = resolveEstimatePrices(context.env);
  const { backend: kind } = await context.settings.publicSettings();
  const common = { prices, ...(context.abortSignal ? { abortSignal: context.abortSignal } : {}) };
  if (kind === 'local') {
    const backend = await context.backend();
    return estimateIngest(sources, {
      ...common,
      backend: 'local',
      available: { documentIntelligence: false, vision: false },
      indexedHash: lookupOf(backend, context.abortSignal),
    });
  }
  // Reading the configuration makes no request; opening the Azure backend would (index setup),
  // so the index is asked only when an ingest or search has opened it already.
  const config = await resolveAzureConfig(context.settings, context.env);
  const open = context.backendIfOpen();
  const backend = open ? await open.catch(() => null) : null;
  return estimateIngest(sources, {
    ...common,
    backend: 'azure',
    available: { documentIntelligence: config.documentIntelligence !== null, vision: config.vision !== null },
    indexedHash: backend ? lookupOf(backend, context.abortSignal) : null,
  });
}

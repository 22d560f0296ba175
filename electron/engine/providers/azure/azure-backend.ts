import path from 'node:path';
import type { ServiceState } from '../../../contract';
import { setUpAnswerer } from '../../answer/answerer-setup';
import type { Backend } from '../../backend';
import type { EngineLog } from '../../logging/types';
import { TEXT_MIME_TYPES } from '../../pipeline/mime';
import { createServiceLimiters } from '../../pipeline/scheduler/limiter-registry';
import { describeDuration, SERVICE_LABELS } from '../../pipeline/scheduler/service-labels';
import type { ServiceStateSnapshot } from '../../pipeline/scheduler/types';
import { type AzureSettingsSource, resolveAzureConfig } from './azure-config';
import { createAzureExtractor } from './azure-extractor';
import { quotasFromSettings } from './azure-quotas';
import { createDocumentIntelligenceExtractor } from './document-intelligence-extractor';
import { FileOperationStore } from './document-intelligence-operation-store';
import { toQuarryError } from './errors';
import { createAzureOpenAiEmbedder } from './openai-embedder-setup';
import { openAzureSearchIndex } from './search-index';
import { createVisionExtractor } from './vision-extractor';

export interface OpenAzureBackendOptions {
  dataDir: string;
  settings: AzureSettingsSource;
  env?: NodeJS.ProcessEnv;
  /** Throttles and outages as the UI should show them ("… throttled — resuming in 3 s"). */
  onServiceState?: (state: ServiceState) => void;
  abortSignal?: AbortSignal;
  /** Service log for requests, waits and retries of every Azure service. */
  log?: EngineLog;
}

/**
 * Files in flight at once on the Azure path. The per-service limiters do the pacing; the pipeline
 * only has to keep enough files waiting on each service that none of them idles.
 */
const AZURE_FILE_CONCURRENCY = 128;

/** Read locally for free: nothing to cache. */
const TEXT_TYPES: ReadonlySet<string> = new Set(TEXT_MIME_TYPES);

/** The Azure backend: Document Intelligence / Vision extraction, Azure OpenAI embeddings, AI Search. */
export async function openAzureBackend(options: OpenAzureBackendOptions): Promise<Backend> {
  const config = await resolveAzureConfig(options.settings, options.env);
  // Each limiter is sized from the quota the person set in Settings, else the standard tier's.
  const limiters = createServiceLimiters(
    quotasFromSettings((await options.settings.publicSettings()).azure.limits),
    {
      mapError: (error, service) => toQuarryError(error, { service }),
      ...(options.log ? { log: options.log } : {}),
    },
  );
  const unsubscribe = options.onServiceState
    ? limiters.onStateChange((snapshot) => options.onServiceState?.(toServiceState(snapshot)))
    : () => {};
  try {
    const embedder = await createAzureOpenAiEmbedder({
      config: config.openai,
      limiter: limiters.get('embeddings'),
      dataDir: options.dataDir,
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
    const index = await openAzureSearchIndex({
      config: config.search,
      dimensions: embedder.dimensions,
      limiters: { index: limiters.get('search.index'), query: limiters.get('search.query') },
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
    const documentIntelligence = config.documentIntelligence
      ? createDocumentIntelligenceExtractor({
          config: config.documentIntelligence,
          operationStore: new FileOperationStore(path.join(options.dataDir, 'cache', 'di-operations')),
          limiters: {
            analyze: limiters.get('documentIntelligence.analyze'),
            poll: limiters.get('documentIntelligence.poll'),
          },
        })
      : null;
    const vision = config.vision
      ? createVisionExtractor({ config: config.vision, limiter: limiters.get('vision') })
      : null;
    // Paid extractions are cached under the services and versions that produced them.
    const paidExtractionKey = [
      'azure-v1',
      config.documentIntelligence ? `di-${config.documentIntelligence.apiVersion}` : 'di-none',
      config.vision ? `vision-${config.vision.apiVersion}` : 'vision-none',
    ].join('_');
    const answers = setUpAnswerer({
      env: options.env ?? process.env,
      azure: { config: config.openai, limiter: limiters.get('chat') },
    });
    return {
      kind: 'azure',
      extractor: createAzureExtractor({ documentIntelligence, vision }),
      index,
      embedder,
      semanticUnavailableReason: null,
      answerer: answers.answerer,
      answerUnavailableReason: answers.unavailableReason,
      extractionCacheKey: (file) => (TEXT_TYPES.has(file.mimeType) ? null : paidExtractionKey),
      fileConcurrency: AZURE_FILE_CONCURRENCY,
      async close() {
        await index.flush().catch(() => {});
        await index.close();
        await embedder.close();
        unsubscribe();
        limiters.dispose();
      },
    };
  } catch (error) {
    unsubscribe();
    limiters.dispose();
    throw error;
  }
}

function toServiceState(snapshot: ServiceStateSnapshot): ServiceState {
  const label = SERVICE_LABELS[snapshot.service];
  const waitMs = snapshot.resumeAt === null ? null : Math.max(0, snapshot.resumeAt - Date.now());
  const message =
    snapshot.state === 'throttled'
      ? `${label} throttled${waitMs === null ? '' : ` — resuming in ${describeDuration(waitMs)}`}`
      : snapshot.state === 'unavailable'
        ? `${label} is unavailable`
        : null;
  return { service: snapshot.service, state: snapshot.state, resumeAt: snapshot.resumeAt, message };
}

/**
 * Builds the Azure OpenAI embedder from the resolved configuration: client, on-disk cache in the
 * data dir, and — when neither the settings nor the deployment name tell the vector size — one
 * tiny probe request (itself cached, so it is paid once per deployment).
 */
import type { TokenCredential } from '@azure/identity';
import type OpenAI from 'openai';
import type { ServiceLimiter, ServiceQuota } from '../../pipeline/scheduler/types';
import type { OpenAiConfig } from './azure-config';
import { EmbeddingCache, embeddingCacheKey } from './embedding-cache';
import { toQuarryError } from './errors';
import { createAzureOpenAiClient } from './openai-client';
import { AzureOpenAiEmbedder, type AzureOpenAiEmbedderOptions, decodeEmbedding } from './openai-embedder';

export interface AzureEmbedderSetup {
  config: OpenAiConfig;
  limiter: ServiceLimiter;
  /** Quarry's data dir; without it nothing is cached. */
  dataDir?: string;
  /** The embeddings quota, to size requests within one quota window (default: the limiter's quota). */
  tokensPerMinute?: number;
  credential?: TokenCredential;
  /** Per-attempt HTTP timeout (default 60 s). */
  timeoutInMs?: number;
  /** Batching knobs passed through. */
  tuning?: Pick<
    AzureOpenAiEmbedderOptions,
    'lingerInMs' | 'maxInFlightRequests' | 'maxInputsPerRequest' | 'maxTokensPerRequest' | 'overlongInputs'
  >;
  /** Replaces the client built from `config` (tests). */
  client?: Pick<OpenAI, 'embeddings'>;
  abortSignal?: AbortSignal;
}

const PROBE_TEXT = 'Quarry dimension probe';

export async function createAzureOpenAiEmbedder(setup: AzureEmbedderSetup): Promise<AzureOpenAiEmbedder> {
  const { config, limiter } = setup;
  const client =
    setup.client ??
    createAzureOpenAiClient({
      endpoint: config.endpoint,
      auth: config.auth,
      deployment: config.embeddingDeployment,
      apiVersion: config.apiVersion,
      ...(setup.credential ? { credential: setup.credential } : {}),
      ...(setup.timeoutInMs !== undefined ? { timeoutInMs: setup.timeoutInMs } : {}),
    });
  const dimensions =
    config.embeddingDimensions ??
    (await probeDimensions(client, config, limiter, setup.dataDir, setup.abortSignal));
  const cache = setup.dataDir
    ? new EmbeddingCache({ dataDir: setup.dataDir, deployment: config.embeddingDeployment, dimensions })
    : undefined;
  const tokensPerMinute = setup.tokensPerMinute ?? limiterQuota(limiter)?.tokensPerMinute;
  return new AzureOpenAiEmbedder({
    client,
    deployment: config.embeddingDeployment,
    dimensions,
    ...(config.embeddingDimensions === null ? { sendDimensions: false } : {}),
    limiter,
    ...(cache ? { cache } : {}),
    ...(tokensPerMinute !== undefined ? { tokensPerMinute } : {}),
    endpoint: config.endpoint,
    ...setup.tuning,
  });
}

/** The deployment's native vector size: from the cache, or one small request. */
async function probeDimensions(
  client: Pick<OpenAI, 'embeddings'>,
  config: OpenAiConfig,
  limiter: ServiceLimiter,
  dataDir: string | undefined,
  abortSignal: AbortSignal | undefined,
): Promise<number> {
  const cache = dataDir
    ? new EmbeddingCache({ dataDir, deployment: config.embeddingDeployment, dimensions: null })
    : undefined;
  const key = embeddingCacheKey(PROBE_TEXT);
  const [cached] = (await cache?.getMany([key])) ?? [];
  if (cached) return cached.length;
  const vector = await limiter.run(
    async (signal) => {
      try {
        const response = await client.embeddings.create(
          { model: config.embeddingDeployment, input: [PROBE_TEXT], encoding_format: 'base64' },
          { signal },
        );
        return decodeEmbedding(response.data[0]?.embedding);
      } catch (error) {
        throw toQuarryError(error, {
          service: 'embeddings',
          resource: `deployment '${config.embeddingDeployment}'`,
          endpoint: config.endpoint,
        });
      }
    },
    { ...(abortSignal ? { abortSignal } : {}), tokens: 8 },
  );
  await cache?.putMany([{ key, vector }]);
  return vector.length;
}

/** The quota a limiter was sized from, when it tells (QuotaServiceLimiter does). */
function limiterQuota(limiter: ServiceLimiter): ServiceQuota | undefined {
  const quota: unknown = (limiter as { quota?: unknown }).quota;
  return typeof quota === 'object' && quota !== null && 'requestsPerSecond' in quota
    ? (quota as ServiceQuota)
    : undefined;
}

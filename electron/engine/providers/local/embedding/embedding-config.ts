/**
 * How the local backend gets embeddings: the built-in model (or another model described in full),
 * an OpenAI-compatible endpoint (Ollama, LM Studio), or not at all. Validated with zod so settings
 * files and environment variables are checked at the boundary.
 */
import { z } from 'zod';
import { QuarryError } from '../../../../contract';
import { DEFAULT_MODEL_BASE_URL } from './model-download';
import { DEFAULT_EMBEDDING_MODEL_ID, EmbeddingModelSpec } from './model-registry';

export const LocalModelConfig = z.object({
  provider: z.literal('local'),
  /** A built-in model id, or a full description (files with sha256) of another model. */
  model: z.union([z.string().min(1), EmbeddingModelSpec]).default(DEFAULT_EMBEDDING_MODEL_ID),
  /** Host serving `<id>/resolve/<revision>/<file>`: huggingface.co or a mirror. */
  baseUrl: z.url().default(DEFAULT_MODEL_BASE_URL),
  threads: z.number().int().positive().optional(),
  maxBatchSize: z.number().int().positive().optional(),
});

export const OpenAICompatibleConfig = z.object({
  provider: z.literal('openai-compatible'),
  baseURL: z.url(),
  apiKey: z.string().optional(),
  model: z.string().min(1),
  /** Asked of the endpoint with one probe request when not given. */
  dimensions: z.number().int().positive().optional(),
  queryPrefix: z.string().optional(),
  documentPrefix: z.string().optional(),
  maxBatchSize: z.number().int().positive().optional(),
});

export const LocalEmbeddingConfig = z.discriminatedUnion('provider', [
  LocalModelConfig,
  OpenAICompatibleConfig,
  z.object({ provider: z.literal('off') }),
]);
export type LocalEmbeddingConfig = z.input<typeof LocalEmbeddingConfig>;
export type ResolvedEmbeddingConfig = z.output<typeof LocalEmbeddingConfig>;

export function parseEmbeddingConfig(value: unknown): ResolvedEmbeddingConfig {
  const parsed = LocalEmbeddingConfig.safeParse(value ?? { provider: 'local' });
  if (parsed.success) return parsed.data;
  throw new QuarryError(
    'invalid_input',
    `The embedding settings are invalid: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`,
    { reason: 'invalid_embedding_config' },
  );
}

/**
 * Reads the configuration from environment variables (the CLI's way; settings can hold the same):
 *   QUARRY_EMBEDDINGS           local (default) | openai-compatible | off
 *   QUARRY_EMBEDDING_MODEL      model id (built-in for `local`, the endpoint's model name otherwise)
 *   QUARRY_EMBEDDING_ENDPOINT   base URL of the OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1
 *   QUARRY_EMBEDDING_API_KEY    key for that server, if it wants one
 *   QUARRY_EMBEDDING_DIMENSIONS vector size of that server's model (probed when unset)
 *   QUARRY_MODEL_BASE_URL or HF_ENDPOINT   a Hugging Face mirror for model downloads
 * Returns undefined when none is set (the caller uses its settings or the default).
 */
export function embeddingConfigFromEnv(env: NodeJS.ProcessEnv): ResolvedEmbeddingConfig | undefined {
  const read = (name: string) => env[name]?.trim() || undefined;
  const provider = read('QUARRY_EMBEDDINGS');
  const model = read('QUARRY_EMBEDDING_MODEL');
  const baseUrl = read('QUARRY_MODEL_BASE_URL') ?? read('HF_ENDPOINT');
  const endpoint = read('QUARRY_EMBEDDING_ENDPOINT');
  if (!provider && !model && !baseUrl && !endpoint) return undefined;
  if (provider === 'off') return parseEmbeddingConfig({ provider: 'off' });
  if (provider === 'openai-compatible' || (!provider && endpoint)) {
    const dimensions = read('QUARRY_EMBEDDING_DIMENSIONS');
    return parseEmbeddingConfig({
      provider: 'openai-compatible',
      baseURL: endpoint,
      model,
      ...(read('QUARRY_EMBEDDING_API_KEY') ? { apiKey: read('QUARRY_EMBEDDING_API_KEY') } : {}),
      ...(dimensions ? { dimensions: Number(dimensions) } : {}),
    });
  }
  if (provider && provider !== 'local') {
    throw new QuarryError(
      'invalid_input',
      `QUARRY_EMBEDDINGS must be local, openai-compatible or off (got "${provider}").`,
      { reason: 'invalid_embedding_config' },
    );
  }
  return parseEmbeddingConfig({
    provider: 'local',
    ...(model ? { model } : {}),
    ...(baseUrl ? { baseUrl } : {}),
  });
}

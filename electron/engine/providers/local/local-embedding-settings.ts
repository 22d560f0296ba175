/**
 * Where the local backend's embedding configuration comes from: environment variables (the CLI's
 * way, see embeddingConfigFromEnv) win over the `embeddings` block of the settings file, which
 * holds a full LocalEmbeddingConfig (a built-in model id or a model described in full, a mirror,
 * an OpenAI-compatible endpoint, or off). Nothing set: the built-in model.
 */
import {
  embeddingConfigFromEnv,
  type LocalEmbeddingConfig,
  parseEmbeddingConfig,
} from './embedding/embedding-config';

/** Throws QuarryError('invalid_input') when the environment or the stored block is invalid. */
export function resolveLocalEmbeddingConfig(
  env: NodeJS.ProcessEnv,
  stored: unknown,
): LocalEmbeddingConfig | undefined {
  const fromEnv = embeddingConfigFromEnv(env);
  if (fromEnv) return fromEnv;
  if (stored === undefined || stored === null) return undefined;
  return parseEmbeddingConfig(stored);
}

/** What the settings panel shows of the embedding configuration (`PublicSettings.embeddings`). */
export interface EmbeddingSettingsView {
  provider: 'local' | 'openai-compatible' | 'off';
  /** Model id (built-in or described in full), or the endpoint's model name. */
  model: string;
  /** The OpenAI-compatible endpoint's base URL; '' for the other providers. */
  endpoint: string;
}

/** The view of a configuration; an invalid one shows as the default, the backend says why. */
export function embeddingSettingsView(config: LocalEmbeddingConfig | undefined): EmbeddingSettingsView {
  let resolved: ReturnType<typeof parseEmbeddingConfig>;
  try {
    resolved = parseEmbeddingConfig(config);
  } catch {
    resolved = parseEmbeddingConfig(undefined);
  }
  if (resolved.provider === 'off') return { provider: 'off', model: '', endpoint: '' };
  if (resolved.provider === 'openai-compatible') {
    return { provider: 'openai-compatible', model: resolved.model, endpoint: resolved.baseURL };
  }
  const model = typeof resolved.model === 'string' ? resolved.model : resolved.model.id;
  return { provider: 'local', model, endpoint: '' };
}

/**
 * The stored block after a settings patch. Switching provider starts from that provider's defaults;
 * keeping it changes only the fields given ('' resets the model to the built-in one).
 */
export function patchEmbeddingSettings(
  stored: unknown,
  patch: Partial<EmbeddingSettingsView>,
): LocalEmbeddingConfig {
  let previous: ReturnType<typeof parseEmbeddingConfig> | undefined;
  try {
    previous = stored === undefined ? undefined : parseEmbeddingConfig(stored);
  } catch {
    previous = undefined;
  }
  const provider = patch.provider ?? previous?.provider ?? 'local';
  if (provider === 'off') return { provider: 'off' };
  if (provider === 'openai-compatible') {
    const same = previous?.provider === 'openai-compatible' ? previous : undefined;
    return parseEmbeddingConfig({
      ...same,
      provider,
      baseURL: patch.endpoint ?? same?.baseURL,
      model: patch.model ?? same?.model,
    });
  }
  const same = previous?.provider === 'local' ? previous : undefined;
  const model = patch.model === undefined ? same?.model : patch.model || undefined;
  return parseEmbeddingConfig({ ...same, provider, model });
}

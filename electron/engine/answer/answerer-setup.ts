/**
 * Which chat model answers questions: the Azure OpenAI chat deployment on the Azure backend, else
 * an OpenAI-compatible server (Ollama, LM Studio) named by environment variables, else none — and
 * then a sentence saying how to add one.
 *
 *   QUARRY_CHAT_ENDPOINT        base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1
 *   QUARRY_CHAT_MODEL           the model to ask, e.g. llama3.1
 *   QUARRY_CHAT_API_KEY         its key, when the server wants one
 *   QUARRY_CHAT_CONTEXT_TOKENS  the model's context window (default: known models, else 16384
 *                               for Azure and 4096 for local servers, whose default windows are small)
 */
import { QuarryError } from '../../contract/errors';
import type { ServiceLimiter } from '../pipeline/scheduler/types';
import { createAzureAnswerer } from '../providers/azure/azure-answerer';
import type { OpenAiConfig } from '../providers/azure/azure-config';
import { createOpenAICompatibleAnswerer } from '../providers/local/openai-compatible-answerer';
import type { Answerer } from './answerer';

export interface AnswererSetup {
  answerer: Answerer | null;
  /** Why there is none and how to add one; null when there is one. */
  unavailableReason: string | null;
}

export interface SetUpAnswererOptions {
  env: NodeJS.ProcessEnv;
  /** The Azure backend's OpenAI settings and its `chat` limiter. */
  azure?: { config: OpenAiConfig; limiter: ServiceLimiter };
}

const AZURE_DEFAULT_CONTEXT_TOKENS = 16_384;
const LOCAL_DEFAULT_CONTEXT_TOKENS = 4_096;

/** Context windows of common models, matched on the deployment or model name. */
const KNOWN_CONTEXT_TOKENS: readonly [RegExp, number][] = [
  [/^gpt-4o|^gpt-4\.1|^gpt-4-turbo|^gpt-4-1106|^gpt-4-0125|^o\d/i, 128_000],
  [/^gpt-4-32k/i, 32_768],
  [/^gpt-4(?!o)/i, 8_192],
  [/^gpt-35-turbo-16k|^gpt-3\.5-turbo-16k|^gpt-35-turbo|^gpt-3\.5-turbo/i, 16_384],
];

const HOW_TO_ADD_LOCAL =
  'set QUARRY_CHAT_ENDPOINT to an OpenAI-compatible server (Ollama: http://127.0.0.1:11434/v1, ' +
  'LM Studio: http://127.0.0.1:1234/v1) and QUARRY_CHAT_MODEL to one of its models (e.g. llama3.1), then restart Quarry';

export function setUpAnswerer(options: SetUpAnswererOptions): AnswererSetup {
  try {
    return chooseAnswerer(options);
  } catch (error) {
    // A bad chat setting turns answers off with its reason; it never stops the backend.
    return { answerer: null, unavailableReason: error instanceof Error ? error.message : String(error) };
  }
}

function chooseAnswerer(options: SetUpAnswererOptions): AnswererSetup {
  const { env } = options;
  const configuredWindow = contextTokensFromEnv(env);
  const deployment = options.azure?.config.chatDeployment;
  if (options.azure && deployment) {
    return {
      answerer: createAzureAnswerer({
        config: options.azure.config,
        deployment,
        limiter: options.azure.limiter,
        contextTokens: configuredWindow ?? knownContextTokens(deployment) ?? AZURE_DEFAULT_CONTEXT_TOKENS,
      }),
      unavailableReason: null,
    };
  }
  const endpoint = pick(env, 'QUARRY_CHAT_ENDPOINT');
  const model = pick(env, 'QUARRY_CHAT_MODEL');
  if (endpoint && model) {
    const apiKey = pick(env, 'QUARRY_CHAT_API_KEY');
    return {
      answerer: createOpenAICompatibleAnswerer({
        baseURL: endpoint,
        model,
        ...(apiKey ? { apiKey } : {}),
        contextTokens: configuredWindow ?? knownContextTokens(model) ?? LOCAL_DEFAULT_CONTEXT_TOKENS,
      }),
      unavailableReason: null,
    };
  }
  if (endpoint && !model) {
    return {
      answerer: null,
      unavailableReason: `QUARRY_CHAT_ENDPOINT is set but QUARRY_CHAT_MODEL is not: set it to the model that should answer (e.g. llama3.1).`,
    };
  }
  const azureWay = options.azure
    ? 'set AZURE_OPENAI_CHAT_DEPLOYMENT (or "Chat deployment" in Settings) to a chat deployment of your Azure OpenAI resource, or '
    : '';
  return {
    answerer: null,
    unavailableReason: `Answers need a chat model, and none is configured: ${azureWay}${HOW_TO_ADD_LOCAL}.`,
  };
}

function knownContextTokens(name: string): number | undefined {
  return KNOWN_CONTEXT_TOKENS.find(([pattern]) => pattern.test(name))?.[1];
}

const MIN_CONTEXT_TOKENS = 1_024;
const MAX_CONTEXT_TOKENS = 10_000_000;

function contextTokensFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const value = pick(env, 'QUARRY_CHAT_CONTEXT_TOKENS');
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < MIN_CONTEXT_TOKENS || parsed > MAX_CONTEXT_TOKENS) {
    throw new QuarryError(
      'invalid_input',
      `QUARRY_CHAT_CONTEXT_TOKENS must be a whole number from ${MIN_CONTEXT_TOKENS} to ${MAX_CONTEXT_TOKENS}, got "${value}".`,
      { reason: 'invalid_setting' },
    );
  }
  return parsed;
}

function pick(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

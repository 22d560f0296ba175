/**
 * The `AzureOpenAI` client Quarry uses: key or Microsoft Entra ID auth, the deployment route,
 * and SDK retries off (`maxRetries: 0`) because the embeddings limiter owns retries — the SDK
 * would otherwise sleep whatever a 429 asks, a day included.
 */
import { getBearerTokenProvider, type TokenCredential } from '@azure/identity';
import { AzureOpenAI } from 'openai';
import { QuarryError } from '../../../contract/errors';
import { assertSafeEndpoint } from '../../settings/settings-store';
import { azureCredential } from './azure-clients';
import type { AzureAuth } from './azure-config';
import { observingFetch } from './response-observer';

/** Scope of Azure AI services (Cognitive Services) tokens. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

export interface AzureOpenAiClientOptions {
  /** `https://<resource>.openai.azure.com` (http only on loopback). */
  endpoint: string;
  auth: AzureAuth;
  deployment: string;
  apiVersion: string;
  /** Credential for Entra ID auth (default: the shared DefaultAzureCredential). */
  credential?: TokenCredential;
  /** Per-attempt timeout; a stalled response becomes a retryable `network` error. Default 60 s. */
  timeoutInMs?: number;
}

export function createAzureOpenAiClient(options: AzureOpenAiClientOptions): AzureOpenAI {
  assertSafeEndpoint(options.endpoint);
  const timeout = options.timeoutInMs ?? 60_000;
  const common = {
    endpoint: options.endpoint.replace(/\/+$/u, ''),
    deployment: options.deployment,
    apiVersion: options.apiVersion,
    maxRetries: 0,
    timeout,
    // Reports status and request id of each response to the service log.
    fetch: observingFetch,
  };
  if (options.auth.kind === 'key') return new AzureOpenAI({ ...common, apiKey: options.auth.key });
  if (new URL(options.endpoint).protocol !== 'https:') {
    // Bearer tokens must never travel in clear text, even to a loopback host.
    throw new QuarryError(
      'invalid_input',
      `Microsoft Entra ID needs an https:// Azure OpenAI endpoint (got ${options.endpoint}); set AZURE_OPENAI_API_KEY for this endpoint instead.`,
      { reason: 'insecure_endpoint' },
    );
  }
  const credential = options.credential ?? entraCredential(options.auth);
  return new AzureOpenAI({
    ...common,
    azureADTokenProvider: getBearerTokenProvider(credential, COGNITIVE_SERVICES_SCOPE),
  });
}

function entraCredential(auth: AzureAuth): TokenCredential {
  const credential = azureCredential(auth);
  if ('getToken' in credential) return credential;
  throw new QuarryError('invalid_input', 'Azure OpenAI: no Microsoft Entra ID credential available.', {
    reason: 'missing_setting',
  });
}

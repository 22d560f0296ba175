/**
 * What every Azure SDK client of Quarry is built with: the credential of its service and client
 * options that keep the engine in charge of retries (the per-service limiters retry, with a shared
 * pause and capped waits) and allow plain http only for loopback endpoints (the simulator).
 */
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { AzureKeyCredential } from '@azure/search-documents';
import type { AzureAuth } from './azure-config';
import { responseObserverPolicy } from './response-observer';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface AzureClientOptions {
  allowInsecureConnection: boolean;
  retryOptions: { maxRetries: number };
  /** Reports each response's status and request id to the service log. */
  additionalPolicies: { policy: typeof responseObserverPolicy; position: 'perRetry' }[];
}

/** True for `http://` on a loopback host: the only case where the clients may skip TLS. */
export function isLoopbackHttp(endpoint: string): boolean {
  const url = new URL(endpoint);
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/** SDK retries off: a retry inside the SDK would bypass the limiter's pause and its wait cap. */
export function azureClientOptions(endpoint: string): AzureClientOptions {
  return {
    allowInsecureConnection: isLoopbackHttp(endpoint),
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [{ policy: responseObserverPolicy, position: 'perRetry' }],
  };
}

let sharedEntraCredential: TokenCredential | undefined;

/** A key credential, or one shared DefaultAzureCredential (it caches tokens) for Entra ID. */
export function azureCredential(auth: AzureAuth): AzureKeyCredential | TokenCredential {
  if (auth.kind === 'key') return new AzureKeyCredential(auth.key);
  sharedEntraCredential ??= new DefaultAzureCredential();
  return sharedEntraCredential;
}

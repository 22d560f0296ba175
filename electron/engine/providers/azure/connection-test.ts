/**
 * "Test connection" in Settings: one cheap, real request to one Azure service with the saved
 * settings, through the same SDK clients the pipeline uses, mapped by `toQuarryError` into a
 * specific answer — ok (with latency), `auth` (401 bad key / 403 no permission), `network` (wrong
 * endpoint: DNS, refused, timeout) or `invalid_input` (missing deployment, model or setting).
 *
 *   openai               POST /openai/deployments/{embedding deployment}/embeddings  input "ping"
 *   documentIntelligence GET  /documentintelligence/documentModels/prebuilt-layout   (model info, free)
 *   vision               POST /computervision/imageanalysis:analyze?features=tags    a blank 50x50 PNG
 *   search               GET  /indexes?$select=name                                   (list, free)
 */

import type { PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';
import { getBearerTokenProvider, type TokenCredential } from '@azure/identity';
import { SearchIndexClient } from '@azure/search-documents';
import DocumentIntelligence, { isUnexpected as isUnexpectedDi } from '@azure-rest/ai-document-intelligence';
import createImageAnalysisClientExport, {
  isUnexpected as isUnexpectedVision,
} from '@azure-rest/ai-vision-image-analysis';
import { createCanvas } from '@napi-rs/canvas';
import { AzureOpenAI } from 'openai';
import {
  type AzureServiceKey,
  type ConnectionTestResult,
  type PublicSettings,
  QuarryError,
  toErrorInfo,
} from '../../../contract';
import { assertSafeEndpoint } from '../../settings/settings-store';
import { azureClientOptions, azureCredential } from './azure-clients';
import { type AzureAuth, type AzureSettingsSource, DEFAULT_API_VERSIONS } from './azure-config';
import { type AzureErrorContext, httpErrorFromResponse, toQuarryError } from './errors';

export interface ConnectionTestOptions {
  abortSignal?: AbortSignal;
  /** The one request gives up after this long (a black-holed endpoint is a `network` problem). */
  timeoutInMs?: number;
}

/**
 * Node's own ESM loader (tsx, the CLI) hands this CommonJS package's default export over still
 * wrapped in `{ default }`; bundlers and vitest unwrap it. Accept both.
 */
const createImageAnalysisClient: typeof createImageAnalysisClientExport =
  typeof createImageAnalysisClientExport === 'function'
    ? createImageAnalysisClientExport
    : (createImageAnalysisClientExport as unknown as { default: typeof createImageAnalysisClientExport })
        .default;

const DEFAULT_TIMEOUT_IN_MS = 15_000;
const DOCUMENT_MODEL = 'prebuilt-layout';
/** Image Analysis refuses images under 50x50 pixels. */
const PROBE_IMAGE_SIDE = 50;

const LABELS: Record<AzureServiceKey, string> = {
  openai: 'Azure OpenAI',
  documentIntelligence: 'Document Intelligence',
  vision: 'Azure AI Vision',
  search: 'Azure AI Search',
};

/** The limiter/service names the error mapper knows each service by. */
const ERROR_SERVICE: Record<AzureServiceKey, string> = {
  openai: 'embeddings',
  documentIntelligence: 'documentIntelligence.analyze',
  vision: 'vision',
  search: 'search.query',
};

const ENDPOINT_FIELD = {
  openai: 'openaiEndpoint',
  documentIntelligence: 'documentIntelligenceEndpoint',
  vision: 'visionEndpoint',
  search: 'searchEndpoint',
} as const satisfies Record<AzureServiceKey, keyof PublicSettings['azure']>;

interface ServiceTarget {
  endpoint: string;
  auth: AzureAuth;
  apiVersion: string;
}

/** What a probe reports on success: what it checked, in a sentence for the UI. */
type Probe = (target: ServiceTarget, settings: PublicSettings, signal: AbortSignal) => Promise<string>;

const PROBES: Record<AzureServiceKey, Probe> = {
  openai: probeOpenAi,
  documentIntelligence: probeDocumentIntelligence,
  vision: probeVision,
  search: probeSearch,
};

export async function testAzureConnection(
  service: AzureServiceKey,
  source: AzureSettingsSource,
  options: ConnectionTestOptions = {},
): Promise<ConnectionTestResult> {
  const settings = await source.publicSettings();
  let target: ServiceTarget;
  try {
    target = await resolveTarget(service, settings, source);
  } catch (error) {
    return { service, ok: false, latencyInMs: null, message: LABELS[service], error: toErrorInfo(error) };
  }
  const timeout = AbortSignal.timeout(options.timeoutInMs ?? DEFAULT_TIMEOUT_IN_MS);
  const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
  const context: AzureErrorContext = { service: ERROR_SERVICE[service], endpoint: target.endpoint };
  if (service === 'openai') context.resource = `deployment '${settings.azure.embeddingDeployment}'`;
  if (service === 'documentIntelligence') context.resource = `model '${DOCUMENT_MODEL}'`;
  const started = performance.now();
  try {
    const message = await PROBES[service](target, settings, signal);
    return { service, ok: true, latencyInMs: elapsedSince(started), message, error: null };
  } catch (error) {
    // A timeout aborts the request: that is an unreachable endpoint, not a cancellation by the person.
    const mapped =
      timeout.aborted && !options.abortSignal?.aborted
        ? new QuarryError(
            'network',
            `${LABELS[service]} did not answer within ${Math.round((options.timeoutInMs ?? DEFAULT_TIMEOUT_IN_MS) / 1000)} s at ${target.endpoint}; check the endpoint and the network.`,
            { reason: 'timeout', cause: error },
          )
        : toQuarryError(error, context);
    return {
      service,
      ok: false,
      latencyInMs: elapsedSince(started),
      message: LABELS[service],
      error: { ...mapped.toInfo(), message: withStatusHint(mapped) },
    };
  }
}

/** The endpoint, credential and api-version of one service, or an `invalid_input` naming what is missing. */
async function resolveTarget(
  service: AzureServiceKey,
  settings: PublicSettings,
  source: AzureSettingsSource,
): Promise<ServiceTarget> {
  const raw = settings.azure[ENDPOINT_FIELD[service]].trim();
  if (!raw) {
    throw new QuarryError('invalid_input', `Enter the ${LABELS[service]} endpoint and save before testing.`, {
      reason: 'missing_setting',
    });
  }
  assertSafeEndpoint(raw);
  const endpoint = raw.replace(/\/+$/u, '');
  const key = await source.key(service);
  if (!key && new URL(endpoint).protocol !== 'https:') {
    throw new QuarryError(
      'invalid_input',
      `Enter the ${LABELS[service]} key: an http:// endpoint cannot use Microsoft Entra ID.`,
      { reason: 'missing_setting' },
    );
  }
  if (service === 'openai' && !settings.azure.embeddingDeployment.trim()) {
    throw new QuarryError('invalid_input', 'Enter the embedding deployment name and save before testing.', {
      reason: 'missing_setting',
    });
  }
  return {
    endpoint,
    auth: key ? { kind: 'key', key } : { kind: 'entra' },
    apiVersion: settings.azure.apiVersions[service].trim() || DEFAULT_API_VERSIONS[service],
  };
}

async function probeOpenAi(
  target: ServiceTarget,
  settings: PublicSettings,
  signal: AbortSignal,
): Promise<string> {
  const deployment = settings.azure.embeddingDeployment.trim();
  // SDK retries off: a test makes exactly one request (the SDK would otherwise obey any Retry-After).
  const common = { endpoint: target.endpoint, deployment, apiVersion: target.apiVersion, maxRetries: 0 };
  const client =
    target.auth.kind === 'key'
      ? new AzureOpenAI({ ...common, apiKey: target.auth.key })
      : new AzureOpenAI({
          ...common,
          azureADTokenProvider: getBearerTokenProvider(
            entraCredential(target.auth),
            COGNITIVE_SERVICES_SCOPE,
          ),
        });
  const response = await client.embeddings.create(
    { model: deployment, input: 'ping', encoding_format: 'float' },
    { signal },
  );
  const dimensions = response.data[0]?.embedding.length ?? 0;
  return `Embedded "ping" with deployment ${deployment} (${dimensions} dimensions).`;
}

async function probeDocumentIntelligence(
  target: ServiceTarget,
  _settings: PublicSettings,
  signal: AbortSignal,
): Promise<string> {
  const client = DocumentIntelligence(target.endpoint, azureCredential(target.auth), {
    ...azureClientOptions(target.endpoint),
    apiVersion: target.apiVersion,
  });
  const response = await client
    .path('/documentModels/{modelId}', DOCUMENT_MODEL)
    .get({ abortSignal: signal });
  if (isUnexpectedDi(response)) {
    throw httpErrorFromResponse(response, {
      service: ERROR_SERVICE.documentIntelligence,
      resource: `model '${DOCUMENT_MODEL}'`,
      endpoint: target.endpoint,
    });
  }
  return `Found the ${DOCUMENT_MODEL} model (api-version ${target.apiVersion}).`;
}

async function probeVision(
  target: ServiceTarget,
  _settings: PublicSettings,
  signal: AbortSignal,
): Promise<string> {
  const client = createImageAnalysisClient(target.endpoint, azureCredential(target.auth), {
    ...azureClientOptions(target.endpoint),
    apiVersion: target.apiVersion,
  });
  const response = await client.path('/imageanalysis:analyze').post({
    contentType: 'application/octet-stream',
    body: probeImage(),
    queryParameters: { features: ['tags'] },
    abortSignal: signal,
  });
  if (isUnexpectedVision(response)) {
    throw httpErrorFromResponse(response, { service: ERROR_SERVICE.vision, endpoint: target.endpoint });
  }
  return `Analysed a ${PROBE_IMAGE_SIDE}x${PROBE_IMAGE_SIDE} test image (api-version ${target.apiVersion}).`;
}

async function probeSearch(
  target: ServiceTarget,
  settings: PublicSettings,
  signal: AbortSignal,
): Promise<string> {
  const client = new SearchIndexClient(target.endpoint, azureCredential(target.auth), {
    ...azureClientOptions(target.endpoint),
    serviceVersion: target.apiVersion,
  });
  // @azure/search-documents throws a TypeError (not a RestError) for error answers with an empty
  // body (e.g. 403 for a bad key), so the last response is kept to map its status instead.
  let lastResponse: PipelineResponse | undefined;
  client.pipeline.addPolicy({
    name: 'quarryConnectionTestResponse',
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      lastResponse = await next(request);
      return lastResponse;
    },
  });
  const names: string[] = [];
  try {
    for await (const name of client.listIndexesNames({ abortSignal: signal })) names.push(name);
  } catch (error) {
    if (lastResponse && lastResponse.status >= 400) {
      throw httpErrorFromResponse(
        {
          status: lastResponse.status,
          headers: lastResponse.headers.toJSON(),
          body: lastResponse.bodyAsText ?? '',
        },
        { service: ERROR_SERVICE.search, endpoint: target.endpoint },
      );
    }
    throw error;
  }
  const index = settings.azure.searchIndex.trim();
  const count = `${names.length} index${names.length === 1 ? '' : 'es'}`;
  if (!index) return `Listed ${count}.`;
  return names.includes(index)
    ? `Listed ${count}; index "${index}" exists.`
    : `Listed ${count}; index "${index}" does not exist yet — Quarry creates it on the first ingest.`;
}

const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

function entraCredential(auth: AzureAuth): TokenCredential {
  const credential = azureCredential(auth);
  if ('getToken' in credential) return credential;
  throw new QuarryError('invalid_input', 'Azure OpenAI: no Microsoft Entra ID credential is available.', {
    reason: 'missing_setting',
  });
}

/** A blank PNG, the smallest image Image Analysis accepts. */
function probeImage(): Uint8Array {
  const canvas = createCanvas(PROBE_IMAGE_SIDE, PROBE_IMAGE_SIDE);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, PROBE_IMAGE_SIDE, PROBE_IMAGE_SIDE);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

/** Spells out 401 vs 403, which the UI shows as "bad key" vs "no permission". */
function withStatusHint(error: QuarryError): string {
  if (error.code !== 'auth') return error.message;
  if (error.reason === 'unauthorized') return `Bad key or endpoint (401): ${error.message}`;
  if (error.reason === 'forbidden') return `No permission (403): ${error.message}`;
  return error.message;
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}

import { releaseOcr } from '../content';
import { cognitiveServicesHeaders, subscriptionKey } from '../core/azure-headers';
import { azureError } from '../core/envelopes';
import type { SimContext, SimReply, SimRequest, SimResponse, SimServiceFactory } from '../core/types';
import { DI_TIERS, type DiLimits, handleAnalyze } from './document-intelligence-analyze';
import {
  DI_JSON_HEADERS,
  documentIntelligenceErrors,
  modelNotFound,
  operationNotFound,
} from './document-intelligence-errors';
import { OperationStore, operationBody, statusAt } from './document-intelligence-operations';
import { isSupportedApiVersion, SUPPORTED_MODELS } from './document-intelligence-params';
import { DI_PREFIX, type DiRoute, matchDiRoute } from './document-intelligence-routes';

export interface DocumentIntelligenceOptions {
  /** Tier limits; default S0 (500 MB, 2,000 pages). `DI_TIERS.F0` is the free tier. */
  limits?: Partial<DiLimits>;
}

/**
 * Seconds the service asks clients to wait between polls of an unfinished operation: `1` in the
 * GA (2024-11-30) recording, none in the 2024-02-29-preview one; the sim answers the same.
 */
const pollRetryAfterSeconds = '1';
const versionsWithoutPollRetryAfter = new Set(['2024-02-29-preview', '2023-10-31-preview']);

async function handlePoll(
  route: Extract<DiRoute, { id: 'documentIntelligence.poll' }>,
  apiVersion: string,
  ctx: SimContext,
  operations: OperationStore,
): Promise<SimResponse> {
  const quota = ctx.quotas.take([{ name: 'documentIntelligence.poll', cost: 1 }]);
  if (!quota.allowed) return ctx.throttled(quota.retryAfterMs);
  await ctx.work('documentIntelligence.request', 1);
  const now = ctx.now();
  const operation = operations.get(route.resultId, now);
  if (!operation || operation.modelId !== route.modelId) return operationNotFound();
  const status = statusAt(operation, now);
  const hint =
    status !== 'succeeded' && status !== 'failed' && !versionsWithoutPollRetryAfter.has(apiVersion);
  return {
    status: 200,
    headers: hint ? { ...DI_JSON_HEADERS, 'Retry-After': pollRetryAfterSeconds } : DI_JSON_HEADERS,
    body: { kind: 'json', value: operationBody(operation, now) },
    notes: { status },
  };
}

/**
 * GET …/documentModels/{modelId}: the model's description (free; apps use it to check a key and
 * endpoint). Prebuilt models only, shaped like the service's `DocumentModelDetails`.
 */
function modelInfo(modelId: string, apiVersion: string): SimResponse {
  if (!(SUPPORTED_MODELS as readonly string[]).includes(modelId)) return modelNotFound();
  return {
    status: 200,
    headers: DI_JSON_HEADERS,
    body: {
      kind: 'json',
      value: {
        modelId,
        description:
          modelId === 'prebuilt-layout'
            ? 'Extract text and layout information from documents.'
            : 'Extract text from documents.',
        createdDateTime: '2024-11-30T00:00:00Z',
        apiVersion,
        tags: {},
      },
    },
  };
}

/** Document Intelligence v4 (`prebuilt-read`, `prebuilt-layout`): analyze LRO over the content readers. */
export function createDocumentIntelligenceService(
  settings: DocumentIntelligenceOptions = {},
): SimServiceFactory {
  const limits: DiLimits = { ...DI_TIERS.S0, ...settings.limits };
  return ({ options }) => {
    const operations = new OperationStore();
    return {
      name: 'documentIntelligence',
      throttleHeaders: 'seconds',
      owns: (req) => req.path.startsWith(DI_PREFIX),
      routeOf: (req) => matchDiRoute(req)?.id,
      isAuthorized: (req, keys) => subscriptionKey(req) === keys.documentIntelligence,
      responseHeaders: (req, status) => cognitiveServicesHeaders(req, status, options.region),
      errors: documentIntelligenceErrors,
      async handle(req: SimRequest, ctx: SimContext): Promise<SimReply> {
        const route = matchDiRoute(req);
        if (!route) return documentIntelligenceErrors.notFound(req);
        const apiVersion = req.query.get('api-version');
        // An unknown api-version never reaches the service: the gateway answers 404.
        if (!isSupportedApiVersion(apiVersion)) return azureError(404, '404', 'Resource not found');
        switch (route.id) {
          case 'documentIntelligence.analyze':
            return handleAnalyze(req, ctx, { modelId: route.modelId, apiVersion, limits, operations });
          case 'documentIntelligence.poll':
            return handlePoll(route, apiVersion, ctx, operations);
          case 'documentIntelligence.getModel':
            return modelInfo(route.modelId, apiVersion);
          case 'documentIntelligence.deleteResult':
            return operations.delete(route.resultId)
              ? { status: 204, body: { kind: 'empty' } }
              : operationNotFound();
        }
      },
      reset: () => operations.clear(),
      dispose: () => void releaseOcr(),
    };
  };
}

/** The S0 service mounted by default. */
export const createDocumentIntelligenceS0Service: SimServiceFactory = createDocumentIntelligenceService();

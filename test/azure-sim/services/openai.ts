import { randomUUID } from 'node:crypto';
import { cognitiveServicesHeaders } from '../core/azure-headers';
import type {
  OpenAiDeployment,
  QuotaDecision,
  SimContext,
  SimReply,
  SimRequest,
  SimResponse,
  SimService,
  SimServiceFactory,
} from '../core/types';
import {
  chatCompletionBody,
  chatCompletionEvents,
  chatWork,
  completeChat,
  contextLengthExceeded,
  DEFAULT_CHAT_CONTEXT_TOKENS,
  filterCompletion,
  parseChatRequest,
  promptFiltered,
} from './openai-chat';
import { embeddingsResponseBody, embeddingsWork, parseEmbeddingsRequest } from './openai-embeddings';
import {
  createOpenAiErrors,
  deploymentNotFound,
  openAiStyleError,
  operationNotSupported,
  resourceNotFound,
} from './openai-errors';
import { isAcceptedApiVersion, type OpenAiPath, parseOpenAiPath } from './openai-routes';

const INVALID_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)";

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function bodyModel(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || !('model' in json)) return undefined;
  const model = (json as { model: unknown }).model;
  return typeof model === 'string' ? model : undefined;
}

/** Azure OpenAI: embeddings and chat completions, deployment and v1 routes. */
export const createOpenAiService: SimServiceFactory = ({ options }) => {
  const errors = createOpenAiErrors(options.region);
  /** Last rate-limit levels per deployment, so error and fault replies carry them too. */
  const lastRemaining = new Map<string, { requests: number; tokens: number }>();
  /** The deployment each request resolved to (the v1 route names it in the body). */
  const deploymentOf = new WeakMap<SimRequest, string>();

  const rateHeaders = (deployment: string | undefined): Record<string, string> => {
    const remaining = deployment ? lastRemaining.get(deployment) : undefined;
    if (!remaining) return {};
    return {
      'x-ratelimit-remaining-requests': String(remaining.requests),
      'x-ratelimit-remaining-tokens': String(remaining.tokens),
    };
  };

  const noteRemaining = (ctx: SimContext, deployment: string, decision?: QuotaDecision): void => {
    const requests =
      decision?.remaining['openai.requests'] ?? ctx.quotas.remaining('openai.requests', deployment);
    const tokens = decision?.remaining['openai.tokens'] ?? ctx.quotas.remaining('openai.tokens', deployment);
    lastRemaining.set(deployment, { requests, tokens });
  };

  /** Takes one request and `tokens` tokens from the deployment's buckets. */
  const charge = (ctx: SimContext, deployment: string, tokens: number): SimResponse | undefined => {
    const decision = ctx.quotas.take([
      { name: 'openai.requests', cost: 1, scope: deployment },
      { name: 'openai.tokens', cost: tokens, scope: deployment },
    ]);
    noteRemaining(ctx, deployment, decision);
    return decision.allowed ? undefined : ctx.throttled(decision.retryAfterMs);
  };

  const serveEmbeddings = async (
    ctx: SimContext,
    json: unknown,
    deployment: OpenAiDeployment,
  ): Promise<SimReply> => {
    const request = parseEmbeddingsRequest(json, deployment);
    if ('error' in request) return request.error;
    const tokens = request.inputs.reduce((sum, item) => sum + item.tokens, 0);
    const throttled = charge(ctx, deployment.name, tokens);
    if (throttled) return throttled;
    await embeddingsWork(ctx, tokens);
    return {
      status: 200,
      headers: { 'azureml-model-session': 'sim-embeddings-1' },
      body: {
        kind: 'json',
        value: embeddingsResponseBody(request.inputs, deployment, request.dimensions, request.base64),
      },
      notes: { tokens, inputs: request.inputs.length },
    };
  };

  const serveChat = async (
    ctx: SimContext,
    json: unknown,
    deployment: OpenAiDeployment,
  ): Promise<SimReply> => {
    const request = parseChatRequest(json);
    if ('error' in request) return request.error;
    const tooLong = contextLengthExceeded(request, deployment.contextTokens ?? DEFAULT_CHAT_CONTEXT_TOKENS);
    if (tooLong) return tooLong;
    const filter = ctx.faults.take(ctx.route, ['contentFilter']);
    if (filter && (filter.rule.filterStage ?? 'prompt') === 'prompt') return promptFiltered();
    // Azure charges the estimate up front: prompt tokens plus the requested completion budget.
    const throttled = charge(ctx, deployment.name, request.promptTokens + (request.maxTokens ?? 0));
    if (throttled) return throttled;
    const answered = completeChat(request, ctx.now());
    const completion = filter ? filterCompletion(answered, filter.rule.afterChunks ?? 2) : answered;
    const notes = { promptTokens: request.promptTokens, completionTokens: completion.completionTokens };
    if (!request.stream) {
      await chatWork(ctx, completion.completionTokens);
      return {
        status: 200,
        headers: { 'azureml-model-session': 'sim-chat-1' },
        body: { kind: 'json', value: chatCompletionBody(request, completion, deployment) },
        notes,
      };
    }
    await ctx.work('openai.chat', 0);
    const perTokenMs = ctx.profile.latency['openai.chat']?.perUnitMs ?? 0;
    return {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'must-revalidate, no-cache',
        'x-accel-buffering': 'no',
        'x-ms-rai-invoked': 'true',
        'azureml-model-session': 'sim-chat-1',
      },
      body: {
        kind: 'stream',
        chunks: chatCompletionEvents(request, completion, deployment, () => ctx.sleep(perTokenMs)),
      },
      notes,
    };
  };

  const service: SimService = {
    name: 'openai',
    throttleHeaders: ['seconds', 'ms'],
    owns: (req) => req.path.startsWith('/openai/'),
    routeOf: (req) => {
      const parsed = parseOpenAiPath(req.path);
      if (!parsed || req.method !== 'POST') return undefined;
      return parsed.operation === 'embeddings' ? 'openai.embeddings' : 'openai.chat';
    },
    isAuthorized: (req, keys) => {
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      return req.headers['api-key'] === keys.openai || bearer === keys.openai;
    },
    responseHeaders: (req, status) => {
      const deployment = deploymentOf.get(req) ?? parseOpenAiPath(req.path)?.deployment;
      const headers = cognitiveServicesHeaders(req, status, options.region);
      if (status === 401) return headers;
      return { ...headers, ...rateHeaders(deployment), 'X-Request-ID': randomUUID() };
    },
    async handle(req, ctx) {
      const path = parseOpenAiPath(req.path) as OpenAiPath;
      if (!isAcceptedApiVersion(path.style, req.query.get('api-version'))) return resourceNotFound();
      const json = parseJson(req.body);
      if (!json.ok) return openAiStyleError(400, INVALID_JSON);
      const name = path.deployment ?? bodyModel(json.value);
      if (!name) return openAiStyleError(400, 'you must provide a model parameter', { param: 'model' });
      deploymentOf.set(req, name);
      const deployment = options.openAiDeployments.find((d) => d.name === name);
      if (!deployment) return deploymentNotFound();
      noteRemaining(ctx, deployment.name);
      if (path.operation === 'embeddings') {
        if (deployment.kind !== 'embeddings') return operationNotSupported('embeddings', deployment.model);
        return serveEmbeddings(ctx, json.value, deployment);
      }
      if (deployment.kind !== 'chat') return operationNotSupported('chatCompletion', deployment.model);
      return serveChat(ctx, json.value, deployment);
    },
    errors,
    reset: () => lastRemaining.clear(),
  };
  return service;
};

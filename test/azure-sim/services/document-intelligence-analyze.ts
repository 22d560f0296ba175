import { createHash } from 'node:crypto';
import {
  contentFailureOf,
  imageFormats,
  type OpenedDocument,
  openDocument,
  type ReadPage,
  readImageSize,
} from '../content';
import type { SimContext, SimRequest, SimResponse } from '../core/types';
import {
  contentDimensionsOutOfRange,
  contentFailureReply,
  contentTooLarge,
  invalidParameter,
} from './document-intelligence-errors';
import { newOperation, type OperationOutcome, type OperationStore } from './document-intelligence-operations';
import { type AnalyzeParams, parseAnalyzeParams } from './document-intelligence-params';
import { buildAnalyzeResult } from './document-intelligence-result';
import { readAnalyzeSource } from './document-intelligence-source';

/** Per-resource limits of a pricing tier (service-limits.md). */
export interface DiLimits {
  maxDocumentBytes: number;
  /** Pages analysed at most; later pages are left out, as the service does. */
  maxPages: number;
  minImageSide: number;
  maxImageSide: number;
}

export const DI_TIERS = {
  S0: { maxDocumentBytes: 500 * 1024 * 1024, maxPages: 2_000, minImageSide: 50, maxImageSide: 10_000 },
  F0: { maxDocumentBytes: 4 * 1024 * 1024, maxPages: 2, minImageSide: 50, maxImageSide: 10_000 },
} as const satisfies Record<string, DiLimits>;

function imageSizeProblem(
  bytes: Uint8Array,
  document: OpenedDocument,
  limits: DiLimits,
): SimResponse | undefined {
  if (!imageFormats.has(document.format)) return undefined;
  const size = readImageSize(bytes, document.format);
  const sides = size ? [size.width, size.height] : [];
  return sides.some((side) => side < limits.minImageSide || side > limits.maxImageSide)
    ? contentDimensionsOutOfRange()
    : undefined;
}

async function readPages(
  document: OpenedDocument,
  params: AnalyzeParams,
  limits: DiLimits,
  signal: AbortSignal,
): Promise<ReadPage[] | SimResponse> {
  const requested = params.pages ?? Array.from({ length: document.pageCount }, (_, index) => index + 1);
  if (requested.some((page) => page > document.pageCount)) {
    return invalidParameter('pages', 'The page range exceeds the number of pages in the document.');
  }
  const pages: ReadPage[] = [];
  for (const pageNumber of requested.slice(0, limits.maxPages)) {
    pages.push(await document.readPage(pageNumber, { abortSignal: signal }));
  }
  return pages;
}

/** Opens and reads the document, mapping unreadable content to the service's 400s. */
async function analyzeDocument(
  bytes: Uint8Array,
  params: AnalyzeParams,
  limits: DiLimits,
  signal: AbortSignal,
) {
  let document: OpenedDocument | undefined;
  try {
    document = await openDocument(bytes);
    const problem = imageSizeProblem(bytes, document, limits);
    if (problem) return problem;
    const pages = await readPages(document, params, limits, signal);
    return 'status' in pages ? pages : { pages, format: document.format };
  } catch (error) {
    const failure = contentFailureOf(error);
    if (failure) return contentFailureReply(failure);
    throw error;
  } finally {
    await document?.close();
  }
}

function outcomeOf(ctx: SimContext, success: OperationOutcome): OperationOutcome {
  const fired = ctx.faults.take(ctx.route, ['lroFailed', 'lroNeverFinishes']);
  if (!fired) return success;
  if (fired.rule.fault === 'lroNeverFinishes') return { kind: 'neverFinishes' };
  const code = fired.rule.errorCode ?? 'InternalServerError';
  const message = fired.rule.errorMessage ?? 'An unexpected error occurred.';
  return { kind: 'failed', error: { code, message, details: [{ code, message }] } };
}

/**
 * POST …/documentModels/{modelId}:analyze. Like the service, it opens the document before
 * answering (the recorded page-range error comes back on the POST), so content errors are
 * synchronous 400s; the pages are read here too and the operation only has to run out its time.
 */
export async function handleAnalyze(
  req: SimRequest,
  ctx: SimContext,
  options: { modelId: string; apiVersion: string; limits: DiLimits; operations: OperationStore },
): Promise<SimResponse> {
  const quota = ctx.quotas.take([{ name: 'documentIntelligence.analyze', cost: 1 }]);
  if (!quota.allowed) return ctx.throttled(quota.retryAfterMs);
  await ctx.work('documentIntelligence.request', 1);
  const params = parseAnalyzeParams(req, options.modelId, options.apiVersion);
  if ('status' in params) return params;
  const source = await readAnalyzeSource(req, ctx.signal);
  if ('status' in source) return source;
  if (source.length > options.limits.maxDocumentBytes) return contentTooLarge();
  const analyzed = await analyzeDocument(source, params, options.limits, ctx.signal);
  if ('status' in analyzed) return analyzed;

  const result = buildAnalyzeResult(analyzed.pages, params);
  const processingMs = ctx.workDurationMs('documentIntelligence.analyze', analyzed.pages.length);
  const outcome = outcomeOf(ctx, { kind: 'succeeded', result });
  options.operations.add(newOperation(req.id, params.modelId, ctx.now(), processingMs, outcome));
  const operationLocation = `${ctx.baseUrl}/documentintelligence/documentModels/${params.modelId}/analyzeResults/${req.id}?api-version=${encodeURIComponent(params.apiVersion)}`;
  return {
    status: 202,
    headers: { 'Operation-Location': operationLocation },
    body: { kind: 'empty' },
    notes: {
      // Which document was analyzed, so tests can count paid analyze calls per file.
      bodySha256: createHash('sha256').update(req.body).digest('hex'),
      format: analyzed.format,
      pages: analyzed.pages.length,
      textSources: [...new Set(analyzed.pages.map((page) => page.textSource))].join(','),
      outcome: outcome.kind,
    },
  };
}

/**
 * The Document Intelligence extractor: `prebuilt-layout` with markdown output for PDFs, Office
 * files and scanned images. Before any paid call it checks the tier's limits (file size; image
 * pixel size, downscaling where possible; PDF page count), refuses what cannot work with
 * `invalid_input` / `too_large` (or `unsupported` / `encrypted`), and splits a PDF longer than one
 * request may read into page ranges that are analysed concurrently (each through the limiters).
 */
import { readFile } from 'node:fs/promises';
import DocumentIntelligence, { type DocumentIntelligenceClient } from '@azure-rest/ai-document-intelligence';
import { QuarryError } from '../../../contract';
import { DOCX_MIME_TYPE } from '../../pipeline/mime';
import type { ServiceLimiter } from '../../pipeline/scheduler/types';
import type { CallOptions, ExtractedDocument, Extractor, SourceFile } from '../../types';
import { azureClientOptions, azureCredential } from './azure-clients';
import type { DocumentIntelligenceConfig } from './azure-config';
import { type AnalyzeOperationOptions, analyzeDocument } from './document-intelligence-operation';
import type { OperationStore } from './document-intelligence-operation-store';
import { type FittedImage, fitImage } from './image-fit';
import { layoutToDocument, mergeDocuments } from './layout-to-document';
import { countPdfPages, pageRanges } from './pdf-page-count';
import { scaleDocumentGeometry } from './scale-geometry';

export const XLSX_MIME_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PPTX_MIME_TYPE = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

/** What `prebuilt-layout` reads (v4 input requirements). */
export const DOCUMENT_INTELLIGENCE_MIME_TYPES: readonly string[] = [
  'application/pdf',
  DOCX_MIME_TYPE,
  XLSX_MIME_TYPE,
  PPTX_MIME_TYPE,
  'text/html',
  'image/jpeg',
  'image/png',
  'image/tiff',
  'image/bmp',
  'image/heif',
];

export interface DocumentIntelligenceExtractorOptions {
  config: DocumentIntelligenceConfig;
  limiters: { analyze: ServiceLimiter; poll: ServiceLimiter };
  /** Wait between polls when the service gives no Retry-After (default 1 s). */
  pollIntervalInMs?: number;
  /** Give up on an operation still running after this long (default 10 min)… */
  maxOperationInMs?: number;
  /** …plus this much per page of a PDF whose page count is known (default 2 s: long PDFs take long). */
  operationPerPageInMs?: number;
  /** PDFs up to this size are opened locally to count pages (default 200 MB). */
  maxPageCountBytes?: number;
  /** A client to use instead of one built from `config` (tests). */
  client?: DocumentIntelligenceClient;
  /** Remembers operations in flight so a restarted run polls them instead of paying again. */
  operationStore?: OperationStore;
}

const DEFAULTS = {
  pollIntervalInMs: 1_000,
  maxOperationInMs: 10 * 60_000,
  operationPerPageInMs: 2_000,
  maxPageCountBytes: 200 * 1024 * 1024,
};

const SERVICE = 'Document Intelligence';

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

export function createDocumentIntelligenceClient(
  config: DocumentIntelligenceConfig,
): DocumentIntelligenceClient {
  return DocumentIntelligence(config.endpoint, azureCredential(config.auth), {
    apiVersion: config.apiVersion,
    ...azureClientOptions(config.endpoint),
  });
}

/** Refuses, before reading it, a file the tier cannot take. */
function checkFileSize(file: SourceFile, config: DocumentIntelligenceConfig): void {
  if (file.size === 0) {
    throw new QuarryError('invalid_input', `File is empty (0 bytes): ${file.name}`, { reason: 'empty_file' });
  }
  if (file.size > config.limits.maxDocumentBytes) {
    throw new QuarryError(
      'invalid_input',
      `${file.name} is ${megabytes(file.size)}; ${SERVICE} (${config.tier}) accepts at most ${megabytes(config.limits.maxDocumentBytes)} per file.`,
      { reason: 'too_large' },
    );
  }
}

export function createDocumentIntelligenceExtractor(
  options: DocumentIntelligenceExtractorOptions,
): Extractor {
  const { config } = options;
  const client = options.client ?? createDocumentIntelligenceClient(config);
  const pollIntervalInMs = options.pollIntervalInMs ?? DEFAULTS.pollIntervalInMs;
  const maxOperationInMs = options.maxOperationInMs ?? DEFAULTS.maxOperationInMs;
  const operationPerPageInMs = options.operationPerPageInMs ?? DEFAULTS.operationPerPageInMs;
  const maxPageCountBytes = options.maxPageCountBytes ?? DEFAULTS.maxPageCountBytes;

  const operationOptions = (abortSignal: AbortSignal | undefined, pages = 0): AnalyzeOperationOptions => ({
    client,
    endpoint: config.endpoint,
    modelId: config.modelId,
    limiters: options.limiters,
    pollIntervalInMs,
    maxOperationInMs: maxOperationInMs + pages * operationPerPageInMs,
    ...(options.operationStore
      ? { operations: { store: options.operationStore, apiVersion: config.apiVersion } }
      : {}),
    ...(abortSignal ? { abortSignal } : {}),
  });

  async function extractImage(file: SourceFile, bytes: Uint8Array, callOptions: CallOptions) {
    const limits = config.limits;
    const fitted: FittedImage = await fitImage(
      bytes,
      { maxBytes: limits.maxDocumentBytes, minSide: limits.minImageSide, maxSide: limits.maxImageSide },
      { what: file.name, service: `${SERVICE} (${config.tier})` },
    );
    const result = await analyzeDocument(
      { bytes: fitted.bytes, mimeType: fitted.resized ? 'image/jpeg' : file.mimeType, fileName: file.name },
      operationOptions(callOptions.abortSignal),
    );
    return scaleDocumentGeometry(layoutToDocument(result, file.mimeType), fitted.scaleBack);
  }

  async function extractPdf(file: SourceFile, bytes: Uint8Array, callOptions: CallOptions) {
    const pageCount =
      bytes.length <= maxPageCountBytes ? await countPdfPages(bytes, file.name, callOptions) : undefined;
    const perRequest = config.limits.maxPagesPerRequest;
    // Unknown count, or short enough: one request for the whole file (no `pages`, the service default).
    const ranges =
      pageCount !== undefined && pageCount > perRequest ? pageRanges(pageCount, perRequest) : [undefined];
    const pagesPerRange = Math.min(pageCount ?? 0, perRequest);
    const parts = await Promise.all(
      ranges.map(async (pages) =>
        layoutToDocument(
          await analyzeDocument(
            { bytes, mimeType: file.mimeType, fileName: file.name, ...(pages ? { pages } : {}) },
            operationOptions(callOptions.abortSignal, pagesPerRange),
          ),
          file.mimeType,
        ),
      ),
    );
    return mergeDocuments(parts, file.mimeType);
  }

  return {
    mimeTypes: DOCUMENT_INTELLIGENCE_MIME_TYPES,
    async extract(file: SourceFile, callOptions: CallOptions = {}): Promise<ExtractedDocument> {
      callOptions.abortSignal?.throwIfAborted();
      if (!DOCUMENT_INTELLIGENCE_MIME_TYPES.includes(file.mimeType)) {
        throw new QuarryError('unsupported', `${SERVICE} cannot read ${file.name} (${file.mimeType})`, {
          reason: 'unsupported_type',
        });
      }
      checkFileSize(file, config);
      const bytes = new Uint8Array(await readFile(file.diskPath));
      callOptions.abortSignal?.throwIfAborted();
      // The file may have grown since it was discovered.
      checkFileSize({ ...file, size: bytes.length }, config);
      if (file.mimeType.startsWith('image/')) return extractImage(file, bytes, callOptions);
      if (file.mimeType === 'application/pdf') return extractPdf(file, bytes, callOptions);
      const result = await analyzeDocument(
        { bytes, mimeType: file.mimeType, fileName: file.name },
        operationOptions(callOptions.abortSignal),
      );
      return layoutToDocument(result, file.mimeType);
    },
  };
}

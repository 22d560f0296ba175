/**
 * Estimates what ingesting some sources would cost, before spending anything: the files are
 * walked as an ingest walks them, routed by the same rule, and measured locally. No request goes
 * to any paid service; the only lookup is the index's hash of a path (local index, or an AI
 * Search query, which is not billed per call).
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  type BackendKind,
  type EstimateIngestOutput,
  type IngestSource,
  QuarryError,
} from '../../../contract';
import { type AvailableServices, type Route, routeFile } from '../../providers/azure/azure-routing';
import { readImageSize } from '../../providers/azure/image-fit';
import type { SourceFile } from '../../types';
import { hashFile } from '../hashing';
import { findJobFiles } from '../job-sources';
import {
  type FileMeasure,
  measureFile,
  TOKENS_PER_DOCX_PAGE,
  TOKENS_PER_SCANNED_PAGE,
  TOKENS_PER_VISION_IMAGE,
} from './measure-file';
import type { EstimatePrices } from './prices';

export interface EstimateOptions {
  backend: BackendKind;
  /** Azure services configured (ignored on the local backend, where everything is read locally). */
  available: AvailableServices;
  /** The index's content hash for a path; null skips the unchanged check. */
  indexedHash: ((sourcePath: string) => Promise<string | null>) | null;
  prices: EstimatePrices;
  abortSignal?: AbortSignal;
}

/** Enough of an image for its header (JPEG EXIF blocks come before the frame size). */
const IMAGE_HEAD_BYTES = 512 * 1024;

async function readImageHead(diskPath: string): Promise<Uint8Array> {
  const handle = await open(diskPath, 'r');
  try {
    const buffer = Buffer.alloc(IMAGE_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, IMAGE_HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function routeOf(file: SourceFile, options: EstimateOptions): Promise<Route> {
  if (options.backend === 'local') return 'local';
  const imageSize = file.mimeType.startsWith('image/')
    ? readImageSize(await readImageHead(file.diskPath))
    : undefined;
  return routeFile(
    { name: file.name, mimeType: file.mimeType, ...(imageSize ? { imageSize } : {}) },
    options.available,
  );
}

class Tally {
  files = 0;
  unchanged = 0;
  unreadable = 0;
  tokens = 0;
  scannedPages = 0;
  docxFiles = 0;
  visionImages = 0;
  byRoute = {
    documentIntelligence: { files: 0, pages: 0 },
    vision: { files: 0 },
    local: { files: 0, pages: 0 },
  };

  add(route: Route, measure: FileMeasure, mimeType: string): void {
    this.tokens += measure.tokens;
    this.scannedPages += measure.scannedPages;
    if (mimeType.endsWith('wordprocessingml.document')) this.docxFiles++;
    if (route === 'vision') {
      this.byRoute.vision.files++;
      this.visionImages++;
    } else {
      this.byRoute[route].files++;
      this.byRoute[route].pages += measure.pages;
    }
  }
}

/** Micro-dollars: small embedding costs stay visible instead of rounding to zero. */
const roundUsd = (usd: number): number => Math.round(usd * 1_000_000) / 1_000_000;

function notesFor(tally: Tally, options: EstimateOptions): string[] {
  const notes = [
    'Approximate: actual pages, tokens and prices are decided by the services and your pricing tier.',
  ];
  if (options.backend === 'local')
    notes.push('Local backend: everything is read and embedded on this machine, at no cost.');
  if (tally.scannedPages > 0)
    notes.push(
      `${tally.scannedPages} scanned page(s) or scanned image(s) without a text layer: ~${TOKENS_PER_SCANNED_PAGE} tokens each assumed.`,
    );
  if (tally.visionImages > 0)
    notes.push(
      `Images read by Vision: ~${TOKENS_PER_VISION_IMAGE} tokens each assumed (caption, tags, read text).`,
    );
  if (tally.docxFiles > 0) notes.push(`DOCX pages ≈ text tokens / ${TOKENS_PER_DOCX_PAGE}.`);
  if (options.indexedHash === null)
    notes.push(
      'Unchanged files were not checked against the index: files already indexed are counted as new.',
    );
  if (tally.unreadable > 0) notes.push(`${tally.unreadable} file(s) cannot be read and are not counted.`);
  return notes;
}

function summarise(tally: Tally, options: EstimateOptions): EstimateIngestOutput {
  const { prices } = options;
  const paid = options.backend === 'azure';
  const documentIntelligence = paid
    ? (tally.byRoute.documentIntelligence.pages / 1000) * prices.documentIntelligencePer1000Pages
    : 0;
  const vision = paid ? (tally.byRoute.vision.files / 1000) * prices.visionPer1000Images : 0;
  const embeddings = paid ? (tally.tokens / 1_000_000) * prices.embeddingsPer1MTokens : 0;
  return {
    type: 'estimate',
    backend: options.backend,
    files: tally.files,
    unchanged: tally.unchanged,
    unreadable: tally.unreadable,
    byRoute: tally.byRoute,
    tokens: tally.tokens,
    cost: {
      currency: 'USD',
      documentIntelligence: roundUsd(documentIntelligence),
      vision: roundUsd(vision),
      embeddings: roundUsd(embeddings),
      total: roundUsd(documentIntelligence + vision + embeddings),
    },
    prices,
    notes: notesFor(tally, options),
  };
}

async function isUnchanged(file: SourceFile, options: EstimateOptions): Promise<boolean> {
  if (!options.indexedHash) return false;
  const indexed = await options.indexedHash(file.sourcePath);
  if (indexed === null) return false;
  const hash = await hashFile(file.diskPath, options.abortSignal ? { abortSignal: options.abortSignal } : {});
  return hash === indexed;
}

/** Walks `sources` like an ingest and adds up files, pages, tokens and cost by route. */
export async function estimateIngest(
  sources: readonly IngestSource[],
  options: EstimateOptions,
): Promise<EstimateIngestOutput> {
  const abortSignal = options.abortSignal ?? new AbortController().signal;
  // Uploads are stored like an ingest stores them, but in a throwaway folder.
  const uploadsDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-estimate-'));
  const tally = new Tally();
  try {
    for await (const found of findJobFiles({ sources, uploadsDir, jobId: 'estimate', abortSignal })) {
      tally.files++;
      if (found.error || found.mimeType === null || found.size === 0) {
        tally.unreadable++;
        continue;
      }
      const file: SourceFile = { ...found, mimeType: found.mimeType, name: path.basename(found.sourcePath) };
      if (await isUnchanged(file, options)) {
        tally.unchanged++;
        continue;
      }
      const route = await routeOf(file, options);
      try {
        tally.add(route, await measureFile(file, route, { abortSignal }), file.mimeType);
      } catch (error) {
        if (!(error instanceof QuarryError) || abortSignal.aborted) throw error;
        tally.unreadable++;
      }
    }
  } finally {
    await rm(uploadsDir, { recursive: true, force: true });
  }
  return summarise(tally, options);
}

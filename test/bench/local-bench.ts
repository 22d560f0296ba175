/**
 * Local-backend figures for `npm run bench` (issue 7): text-PDF pages/s and OCR pages/s through
 * the real pipeline, and hybrid query latency p50/p95 at 10k and 100k chunks (target: p95 <= 50 ms
 * at 100k on two cores). `runLocalBench` returns plain numbers; the caller prints or records them.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { benchScannedPdfs, benchTextPdfs, type IngestFigures } from './local-bench-ingest';
import { benchQueries, type QueryFigures } from './local-bench-query';

export interface LocalBenchOptions {
  /** Small sizes (seconds, for a smoke run); the full run takes a few minutes. */
  quick: boolean;
  /** Scratch folder for the generated files and indexes (created if missing). */
  dataDir: string;
}

export interface LocalBenchFigures {
  machine: { cpus: number; node: string; platform: string };
  textPdf: IngestFigures;
  ocr: (IngestFigures & { warmUpMs: number; languages: string }) | { skipped: string };
  hybridQueries: QueryFigures[];
  /** Target of issue 7: hybrid p95 at the largest size (100k in a full run) at most 50 ms. */
  hybridTarget: { chunks: number; p95Ms: number; targetMs: number; met: boolean };
}

const HYBRID_TARGET_MS = 50;

export async function runLocalBench(options: LocalBenchOptions): Promise<LocalBenchFigures> {
  await mkdir(options.dataDir, { recursive: true });
  const sizes = options.quick
    ? { textFiles: 4, textPages: 5, scanFiles: 1, scanPages: 2, chunks: [2_000, 10_000], queries: 50 }
    : { textFiles: 20, textPages: 20, scanFiles: 4, scanPages: 3, chunks: [10_000, 100_000], queries: 200 };

  const textPdf = await benchTextPdfs(options.dataDir, {
    files: sizes.textFiles,
    pagesPerFile: sizes.textPages,
  });
  let ocr: LocalBenchFigures['ocr'];
  try {
    ocr = {
      ...(await benchScannedPdfs(options.dataDir, { files: sizes.scanFiles, pagesPerFile: sizes.scanPages })),
      languages: 'eng+chi_sim',
    };
  } catch (error) {
    ocr = { skipped: `OCR could not run here: ${error instanceof Error ? error.message : String(error)}` };
  }
  const hybridQueries: QueryFigures[] = [];
  for (const chunks of sizes.chunks) {
    hybridQueries.push(await benchQueries(options.dataDir, { chunks, queries: sizes.queries }));
  }
  const largest = hybridQueries.at(-1);
  return {
    machine: { cpus: os.availableParallelism(), node: process.version, platform: process.platform },
    textPdf,
    ocr,
    hybridQueries,
    hybridTarget: {
      chunks: largest?.chunks ?? 0,
      p95Ms: largest?.hybrid.p95Ms ?? 0,
      targetMs: HYBRID_TARGET_MS,
      met: (largest?.hybrid.p95Ms ?? Number.POSITIVE_INFINITY) <= HYBRID_TARGET_MS,
    },
  };
}

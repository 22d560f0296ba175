/**
 * Local-backend ingest throughput, through the real engine and pipeline (hash, extract, chunk,
 * index into LanceDB): text PDFs (pdf.js) and scanned PDFs (pdf.js render + tesseract.js OCR in
 * its worker pool). Embedding is not part of these figures: no model ships with Quarry, and
 * without one the pipeline indexes chunks for keyword search (the model's cost is separate).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openEngine } from '../../electron/engine/engine';
import { closeSharedOcrPool } from '../../electron/engine/providers/local/ocr/shared-ocr-pool';
import { fillerSentences, makePdf, seededRandom } from '../fixtures/generate';
import { scannedPdf } from '../integration/local-ocr-fixtures';

export interface IngestFigures {
  files: number;
  pages: number;
  chunks: number;
  failed: number;
  elapsedMs: number;
  pagesPerSecond: number;
}

/** Runs one ingest of `folder` in a fresh engine over `dataDir`. */
async function ingestFolder(dataDir: string, folder: string, pages: number): Promise<IngestFigures> {
  const engine = await openEngine({ dataDir, env: { QUARRY_EMBEDDINGS: 'off' } });
  try {
    const summary = await (await engine.ingest([{ kind: 'path', path: folder }])).done;
    return {
      files: summary.files,
      pages,
      chunks: summary.chunks,
      failed: summary.failed,
      elapsedMs: summary.elapsedMs,
      pagesPerSecond: round((pages * 1000) / Math.max(1, summary.elapsedMs)),
    };
  } finally {
    await engine.close();
  }
}

/** Text PDFs of `pagesPerFile` full pages of prose each. */
export async function benchTextPdfs(
  workDir: string,
  options: { files: number; pagesPerFile: number },
): Promise<IngestFigures> {
  const folder = path.join(workDir, 'text-pdfs');
  await mkdir(folder, { recursive: true });
  const random = seededRandom(31);
  for (let file = 0; file < options.files; file++) {
    const pages = Array.from({ length: options.pagesPerFile }, () =>
      Array.from({ length: 4 }, () => fillerSentences(random, 5)),
    );
    await writeFile(path.join(folder, `report-${file}.pdf`), await makePdf(pages));
  }
  return ingestFolder(path.join(workDir, 'text-pdfs-data'), folder, options.files * options.pagesPerFile);
}

/**
 * Scanned PDFs (each page only an image of ~25 lines of text, 150 dpi A4) through OCR with the
 * default languages (English + Simplified Chinese). A one-page warm-up run first starts the OCR
 * workers and loads their language data, which a long-running app pays once.
 */
export async function benchScannedPdfs(
  workDir: string,
  options: { files: number; pagesPerFile: number },
): Promise<IngestFigures & { warmUpMs: number }> {
  const random = seededRandom(47);
  const page = () => [Array.from({ length: 25 }, () => fillerSentences(random, 1).slice(0, 80))];
  const warmUpFolder = path.join(workDir, 'scans-warm-up');
  const folder = path.join(workDir, 'scans');
  await mkdir(warmUpFolder, { recursive: true });
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(warmUpFolder, 'warm-up.pdf'), await scannedPdf([page()]));
  for (let file = 0; file < options.files; file++) {
    const pages = Array.from({ length: options.pagesPerFile }, page);
    await writeFile(path.join(folder, `scan-${file}.pdf`), await scannedPdf(pages));
  }
  try {
    const warmUp = await ingestFolder(path.join(workDir, 'scans-warm-up-data'), warmUpFolder, 1);
    const figures = await ingestFolder(
      path.join(workDir, 'scans-data'),
      folder,
      options.files * options.pagesPerFile,
    );
    return { ...figures, warmUpMs: warmUp.elapsedMs };
  } finally {
    await closeSharedOcrPool();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

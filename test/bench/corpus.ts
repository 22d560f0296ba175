/**
 * The benchmark corpus: text PDFs, scanned PDFs (JPEG pages), photos (PNG/JPEG), scanned page
 * images, DOCX and plain text, generated deterministically from a seed. Scans and images carry
 * their text under the simulator's `quarry-sim-text` convention, so the simulator reads them
 * without running OCR (see test/azure-sim/content/README.md). The manifest records, per file, the
 * pages, the words and the cl100k tokens of its text: the work the quota bound is computed from.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { makeDocx, makePdf as makeScannedPdf, makeTextImage } from '../azure-sim/content/fixtures';
import { makePdf as makeTextPdf, seededRandom } from '../fixtures/generate';
import { paragraphs, prose, type Random, title, wrap } from './corpus-text';

export const CORPUS_KINDS = ['pdfText', 'pdfScan', 'photo', 'scanImage', 'docx', 'text'] as const;
export type CorpusKind = (typeof CORPUS_KINDS)[number];

/** Which Azure service reads a file, as Quarry routes it (electron/engine/providers/azure/azure-routing.ts). */
export type CorpusRoute = 'documentIntelligence' | 'vision' | 'local';

export interface CorpusFile {
  /** Absolute path. */
  path: string;
  name: string;
  kind: CorpusKind;
  mimeType: string;
  route: CorpusRoute;
  /** Physical pages (DOCX and text: pages of about 3,000 characters, as Document Intelligence bills them). */
  pages: number;
  words: number;
  /** cl100k tokens of the file's text: what must be embedded at least once. */
  textTokens: number;
  bytes: number;
}

export interface Corpus {
  dir: string;
  seed: number;
  files: CorpusFile[];
}

export type CorpusCounts = Record<CorpusKind, number>;

export const CORPUS_SIZES = {
  /** ~500 files, ~2,000 pages. */
  default: { pdfText: 150, pdfScan: 60, photo: 70, scanImage: 20, docx: 80, text: 120 },
  /** ~40 files. */
  quick: { pdfText: 12, pdfScan: 5, photo: 6, scanImage: 2, docx: 6, text: 9 },
  /** A handful of files, one or more of each kind (the smoke test). */
  tiny: { pdfText: 2, pdfScan: 1, photo: 2, scanImage: 1, docx: 1, text: 2 },
} as const satisfies Record<string, CorpusCounts>;

export interface GenerateCorpusOptions {
  /** Folder to write the files into (created; should be empty). */
  dir: string;
  counts: CorpusCounts;
  seed?: number;
  /** Most pages of a text PDF (default 19: about 10 on average). */
  maxTextPdfPages?: number;
  /** Most pages of a scanned PDF (default 8). */
  maxScanPdfPages?: number;
}

/** Document Intelligence pages flowing documents (DOCX, text) by about this many characters. */
const CHARS_PER_FLOWING_PAGE = 3000;

const MIME: Record<CorpusKind, (name: string) => string> = {
  pdfText: () => 'application/pdf',
  pdfScan: () => 'application/pdf',
  photo: (name) => (name.endsWith('.png') ? 'image/png' : 'image/jpeg'),
  scanImage: () => 'image/jpeg',
  docx: () => 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  text: (name) => (name.endsWith('.md') ? 'text/markdown' : 'text/plain'),
};

const ROUTE: Record<CorpusKind, CorpusRoute> = {
  pdfText: 'documentIntelligence',
  pdfScan: 'documentIntelligence',
  // Photos: 4:3, named "photo": Vision. Scans: US Letter at 150 dpi, named "scan": Document Intelligence.
  photo: 'vision',
  scanImage: 'documentIntelligence',
  docx: 'documentIntelligence',
  text: 'local',
};

interface Generated {
  name: string;
  bytes: Uint8Array;
  pages: number;
  text: string;
}

const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;
const between = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));
const serial = (index: number): string => String(index + 1).padStart(4, '0');

async function textPdf(random: Random, index: number, maxPages: number): Promise<Generated> {
  const pageCount = between(random, 1, maxPages);
  const pages = Array.from({ length: pageCount }, (_, page) => [
    title(random, `Section ${page + 1}`),
    ...paragraphs(random, between(random, 170, 250)),
  ]);
  return {
    name: `report-${serial(index)}.pdf`,
    bytes: await makeTextPdf(pages),
    pages: pageCount,
    text: pages.flat().join('\n'),
  };
}

async function scannedPdf(random: Random, index: number, maxPages: number): Promise<Generated> {
  const pageCount = between(random, 1, maxPages);
  const pages = Array.from({ length: pageCount }, () => wrap(prose(random, between(random, 90, 140)), 52));
  return {
    name: `scanned-${serial(index)}.pdf`,
    bytes: await makeScannedPdf(pages.map((lines) => ({ kind: 'scan' as const, lines }))),
    pages: pageCount,
    text: pages.flat().join('\n'),
  };
}

function photo(random: Random, index: number): Generated {
  const format = index % 2 === 0 ? 'png' : 'jpeg';
  const lines = wrap(prose(random, between(random, 12, 30)), 45);
  return {
    name: `photo-${serial(index)}.${format === 'png' ? 'png' : 'jpg'}`,
    bytes: makeTextImage({ lines, width: 1024, height: 768, format }),
    pages: 1,
    text: lines.join('\n'),
  };
}

function scanImage(random: Random, index: number): Generated {
  const lines = wrap(prose(random, between(random, 90, 140)), 52);
  return {
    name: `scan-${serial(index)}.jpg`,
    bytes: makeTextImage({ lines, width: 1275, height: 1650, format: 'jpeg', fontSizePx: 40 }),
    pages: 1,
    text: lines.join('\n'),
  };
}

async function docx(random: Random, index: number): Promise<Generated> {
  const heading = title(random, 'Memo');
  const sections = Array.from({ length: between(random, 2, 4) }, (_, section) => ({
    heading: `Part ${section + 1}`,
    paragraphs: paragraphs(random, between(random, 110, 150)),
  }));
  const text = [heading, ...sections.flatMap((s) => [s.heading, ...s.paragraphs])].join('\n');
  return {
    name: `memo-${serial(index)}.docx`,
    bytes: await makeDocx({ title: heading, sections }),
    pages: Math.max(1, Math.ceil(text.length / CHARS_PER_FLOWING_PAGE)),
    text,
  };
}

function textFile(random: Random, index: number): Generated {
  const markdown = index % 3 === 0;
  const body = paragraphs(random, between(random, 150, 600)).join('\n\n');
  const text = markdown ? `# ${title(random, 'Notes')}\n\n${body}\n` : `${body}\n`;
  return {
    name: `notes-${serial(index)}.${markdown ? 'md' : 'txt'}`,
    bytes: new Uint8Array(Buffer.from(text, 'utf8')),
    pages: Math.max(1, Math.ceil(text.length / CHARS_PER_FLOWING_PAGE)),
    text,
  };
}

/** Writes the corpus and returns its manifest. The same seed and counts give the same bytes. */
export async function generateCorpus(options: GenerateCorpusOptions): Promise<Corpus> {
  const seed = options.seed ?? 20_240_601;
  const dir = path.resolve(options.dir);
  const files: CorpusFile[] = [];
  for (const [kindIndex, kind] of CORPUS_KINDS.entries()) {
    // One stream per kind: changing one count leaves the other kinds' files as they were.
    const random = seededRandom(seed + kindIndex * 7919);
    const folder = path.join(dir, kind);
    await mkdir(folder, { recursive: true });
    for (let index = 0; index < options.counts[kind]; index++) {
      const generated = await generate(kind, random, index, options);
      const filePath = path.join(folder, generated.name);
      await writeFile(filePath, generated.bytes);
      files.push({
        path: filePath,
        name: generated.name,
        kind,
        mimeType: MIME[kind](generated.name),
        route: ROUTE[kind],
        pages: generated.pages,
        words: wordCount(generated.text),
        textTokens: countTokens(generated.text),
        bytes: generated.bytes.length,
      });
    }
  }
  return { dir, seed, files };
}

function generate(
  kind: CorpusKind,
  random: Random,
  index: number,
  options: GenerateCorpusOptions,
): Promise<Generated> | Generated {
  switch (kind) {
    case 'pdfText':
      return textPdf(random, index, options.maxTextPdfPages ?? 19);
    case 'pdfScan':
      return scannedPdf(random, index, options.maxScanPdfPages ?? 8);
    case 'photo':
      return photo(random, index);
    case 'scanImage':
      return scanImage(random, index);
    case 'docx':
      return docx(random, index);
    case 'text':
      return textFile(random, index);
  }
}

export interface CorpusTotals {
  files: number;
  pages: number;
  bytes: number;
  textTokens: number;
  byKind: Record<CorpusKind, { files: number; pages: number }>;
}

export function corpusTotals(files: readonly CorpusFile[]): CorpusTotals {
  const byKind = Object.fromEntries(CORPUS_KINDS.map((kind) => [kind, { files: 0, pages: 0 }])) as Record<
    CorpusKind,
    { files: number; pages: number }
  >;
  let pages = 0;
  let bytes = 0;
  let textTokens = 0;
  for (const file of files) {
    byKind[file.kind].files += 1;
    byKind[file.kind].pages += file.pages;
    pages += file.pages;
    bytes += file.bytes;
    textTokens += file.textTokens;
  }
  return { files: files.length, pages, bytes, textTokens, byKind };
}

export async function writeManifest(corpus: Corpus, manifestPath: string): Promise<void> {
  await writeFile(manifestPath, `${JSON.stringify(corpus)}\n`);
}

export async function readManifest(manifestPath: string): Promise<Corpus> {
  const corpus = JSON.parse(await readFile(manifestPath, 'utf8')) as Corpus;
  // A manifest that points at a deleted corpus would make every pipeline fail file by file.
  await stat(corpus.dir);
  return corpus;
}

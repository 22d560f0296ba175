/**
 * Images and scanned PDFs with known text for the OCR tests, drawn with @napi-rs/canvas.
 * English uses DejaVu Sans and Chinese WenQuanYi Micro Hei (Debian: fonts-dejavu-core,
 * fonts-wqy-microhei); fonts are registered from their files so nothing depends on fontconfig.
 */
import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';

const LATIN_FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'];
const CJK_FONT_FILES = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
];

function registerFirst(files: readonly string[], alias: string, install: string): string {
  const file = files.find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`No ${alias} font found (looked for ${files.join(', ')}): ${install}`);
  if (!GlobalFonts.has(alias)) GlobalFonts.registerFromPath(file, alias);
  return alias;
}

export const latinFont = (): string =>
  registerFirst(LATIN_FONT_FILES, 'QuarryTestLatin', 'apt-get install -y fonts-dejavu-core');
export const cjkFont = (): string =>
  registerFirst(CJK_FONT_FILES, 'QuarryTestCjk', 'apt-get install -y fonts-wqy-microhei');

export interface TextImageOptions {
  width?: number;
  fontSize?: number;
  font?: string;
  /** Extra lines of vertical space before each paragraph after the first. */
  paragraphGap?: number;
  margin?: number;
}

/** Paragraphs of lines drawn black on white; returns the canvas so callers pick the encoding. */
export function drawText(paragraphs: ReadonlyArray<readonly string[]>, options: TextImageOptions = {}) {
  const fontSize = options.fontSize ?? 32;
  const margin = options.margin ?? 48;
  const lineHeight = Math.round(fontSize * 1.5);
  const gap = Math.round(lineHeight * (options.paragraphGap ?? 1));
  const lineCount = paragraphs.reduce((sum, lines) => sum + lines.length, 0);
  const height = margin * 2 + lineCount * lineHeight + Math.max(0, paragraphs.length - 1) * gap;
  const canvas = createCanvas(options.width ?? 1400, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#000000';
  context.font = `${fontSize}px ${options.font ?? latinFont()}`;
  let y = margin + fontSize;
  paragraphs.forEach((lines, index) => {
    if (index > 0) y += gap;
    for (const line of lines) {
      context.fillText(line, margin, y);
      y += lineHeight;
    }
  });
  return canvas;
}

export function pngOf(paragraphs: ReadonlyArray<readonly string[]>, options: TextImageOptions = {}): Buffer {
  return drawText(paragraphs, options).toBuffer('image/png');
}

/** 8-bit grayscale pages packed into one uncompressed little-endian TIFF, each page its own directory. */
export function multiPageTiff(pages: ReadonlyArray<ReadonlyArray<readonly string[]>>): Buffer {
  const images = pages.map((paragraphs) => {
    const canvas = drawText(paragraphs);
    const rgba = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const gray = Buffer.alloc(canvas.width * canvas.height);
    for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4] ?? 255;
    return { width: canvas.width, height: canvas.height, gray };
  });
  const entryCount = 9;
  const directorySize = 2 + entryCount * 12 + 4;
  const parts: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8, 4);
  parts.push(header);
  let offset = 8;
  images.forEach((image, index) => {
    const dataOffset = offset + directorySize;
    const nextOffset = index + 1 < images.length ? dataOffset + image.gray.length : 0;
    const directory = Buffer.alloc(directorySize);
    directory.writeUInt16LE(entryCount, 0);
    const entries: [tag: number, type: 3 | 4, value: number][] = [
      [256, 4, image.width], // ImageWidth
      [257, 4, image.height], // ImageLength
      [258, 3, 8], // BitsPerSample
      [259, 3, 1], // Compression: none
      [262, 3, 1], // Photometric: black is zero
      [273, 4, dataOffset], // StripOffsets
      [277, 3, 1], // SamplesPerPixel
      [278, 4, image.height], // RowsPerStrip
      [279, 4, image.gray.length], // StripByteCounts
    ];
    entries.forEach(([tag, type, value], i) => {
      const at = 2 + i * 12;
      directory.writeUInt16LE(tag, at);
      directory.writeUInt16LE(type, at + 2);
      directory.writeUInt32LE(1, at + 4);
      if (type === 3) directory.writeUInt16LE(value, at + 8);
      else directory.writeUInt32LE(value, at + 8);
    });
    directory.writeUInt32LE(nextOffset, directorySize - 4);
    parts.push(directory, image.gray);
    offset = dataOffset + image.gray.length;
  });
  return Buffer.concat(parts);
}

/** A 24-bit bottom-up BMP of the drawn text (canvas cannot encode BMP). */
export function bmpOf(paragraphs: ReadonlyArray<readonly string[]>): Buffer {
  const canvas = drawText(paragraphs);
  const { width, height } = canvas;
  const rgba = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  const rowSize = Math.ceil((width * 3) / 4) * 4;
  const file = Buffer.alloc(54 + rowSize * height);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(54, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(24, 28);
  file.writeUInt32LE(rowSize * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * rowSize;
    for (let x = 0; x < width; x++) {
      const source = (y * width + x) * 4;
      file[row + x * 3] = rgba[source + 2] ?? 0;
      file[row + x * 3 + 1] = rgba[source + 1] ?? 0;
      file[row + x * 3 + 2] = rgba[source] ?? 0;
    }
  }
  return file;
}

const A4_POINTS = { width: 595.28, height: 841.89 };

/**
 * A PDF whose pages are scans: each listed page is only a PNG of its text (no text layer), drawn
 * at `dpi` over a full A4 page; a string page is real text, null a blank page.
 */
export async function scannedPdf(
  pages: ReadonlyArray<ReadonlyArray<readonly string[]> | string | null>,
  options: { dpi?: number; font?: string; fontSize?: number } = {},
): Promise<Buffer> {
  const dpi = options.dpi ?? 150;
  const pdf = await PDFDocument.create();
  for (const content of pages) {
    const page = pdf.addPage([A4_POINTS.width, A4_POINTS.height]);
    if (content === null) continue;
    if (typeof content === 'string') {
      page.drawText(content, { x: 72, y: A4_POINTS.height - 100, size: 14 });
      continue;
    }
    const pixelsPerPoint = dpi / 72;
    const width = Math.round(A4_POINTS.width * pixelsPerPoint);
    // Points for the text: a 12 pt body at this dpi.
    const fontSize = Math.round((options.fontSize ?? 14) * pixelsPerPoint);
    const canvas = drawText(content, {
      width,
      fontSize,
      margin: Math.round(72 * pixelsPerPoint),
      ...(options.font ? { font: options.font } : {}),
    });
    const image = await pdf.embedPng(canvas.toBuffer('image/png'));
    const drawnHeight = canvas.height / pixelsPerPoint;
    page.drawImage(image, {
      x: 0,
      y: A4_POINTS.height - drawnHeight,
      width: A4_POINTS.width,
      height: drawnHeight,
    });
  }
  return Buffer.from(await pdf.save());
}

/** Lower-cased words of a text (letters and digits), for OCR comparisons that tolerate noise. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Share (0..1) of the expected words that OCR found. */
export function wordRecall(expected: string, actual: string): number {
  const found = new Set(wordsOf(actual));
  const wanted = wordsOf(expected);
  return wanted.length === 0 ? 1 : wanted.filter((word) => found.has(word)).length / wanted.length;
}

const FILLER =
  'the committee reviewed quarterly results budget forecasts staffing plans supply costs customer feedback schedule';

/** A full page of body text (A4 at `dpi`): slow enough to OCR that a test can abort it mid-job. */
export function denseTextPage(dpi = 200): Buffer {
  const words = FILLER.split(' ');
  const pixelsPerPoint = dpi / 72;
  const lineCount = Math.floor((841 - 144) / 16);
  const lines = Array.from({ length: lineCount }, (_, row) =>
    Array.from({ length: 11 }, (_, column) => words[(row * 7 + column) % words.length]).join(' '),
  );
  return drawText([lines], {
    width: Math.round(595 * pixelsPerPoint),
    fontSize: Math.round(11 * pixelsPerPoint),
    margin: Math.round(72 * pixelsPerPoint),
  }).toBuffer('image/png');
}

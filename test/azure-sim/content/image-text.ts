import { createCanvas, loadImage } from '@napi-rs/canvas';
import { contentError } from './content-error';
import { type ImageSize, readImageSize } from './image-size';
import { recognizeLines } from './ocr';
import { readSimText } from './sim-text';
import { layoutText } from './text-layout';
import type { DocumentFormat, ReadLine, ReadOptions, TextSource } from './types';

export interface ImageText {
  size: ImageSize;
  lines: ReadLine[];
  source: Extract<TextSource, 'sim-text' | 'ocr'>;
}

/** Formats tesseract's image decoder reads as they are; the others go through a canvas first. */
const ocrReadsDirectly: ReadonlySet<DocumentFormat> = new Set(['png', 'jpeg', 'bmp', 'tiff']);
const canvasDecodes: ReadonlySet<DocumentFormat> = new Set(['gif', 'webp']);

async function toPng(bytes: Uint8Array): Promise<Uint8Array> {
  const image = await loadImage(Buffer.from(bytes));
  const canvas = createCanvas(image.width, image.height);
  canvas.getContext('2d').drawImage(image, 0, 0);
  return canvas.toBuffer('image/png');
}

async function ocrImage(
  bytes: Uint8Array,
  format: DocumentFormat,
  options: ReadOptions,
): Promise<ReadLine[]> {
  if (!ocrReadsDirectly.has(format) && !canvasDecodes.has(format)) {
    throw contentError('unsupported_format', `The simulator cannot decode ${format} images for OCR.`);
  }
  try {
    const decodable = canvasDecodes.has(format) ? await toPng(bytes) : bytes;
    return await recognizeLines(decodable, options);
  } catch (error) {
    if (options.abortSignal?.aborted) throw error;
    throw contentError('corrupt', `The ${format} image could not be decoded.`, error);
  }
}

/**
 * The text of an image with pixel positions: the convention text when the image carries it
 * (no OCR, deterministic layout), real OCR otherwise.
 */
export async function readImageText(
  bytes: Uint8Array,
  format: DocumentFormat,
  options: ReadOptions = {},
): Promise<ImageText> {
  const size = readImageSize(bytes, format);
  if (!size) throw contentError('corrupt', `The ${format} image header is missing or damaged.`);
  const simText = readSimText(bytes, format);
  if (simText !== undefined) return { size, lines: layoutText(simText, size), source: 'sim-text' };
  return { size, lines: await ocrImage(bytes, format, options), source: 'ocr' };
}

import type { CallOptions } from '../../../types';

/** Axis-aligned box in image pixels (origin top-left). */
export interface OcrBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrLine {
  /** The line's text as the engine read it (CJK spacing already repaired). */
  text: string;
  box: OcrBox;
  /** 0-100. */
  confidence: number;
}

export interface OcrParagraph {
  lines: OcrLine[];
}

/** What OCR found on one image, in reading order. */
export interface OcrResult {
  paragraphs: OcrParagraph[];
}

/** Reads text from images (PNG, JPEG, TIFF, BMP, GIF, WebP bytes). */
export interface OcrEngine {
  /** Tesseract language codes in use, e.g. ['eng', 'chi_sim']. */
  readonly languages: readonly string[];
  /** How many images it reads at once; callers use it to bound work in flight. */
  readonly concurrency: number;
  /** Throws QuarryError invalid_input / `unreadable_image` when the bytes are no image it can read. */
  recognize(image: Uint8Array, options?: CallOptions): Promise<OcrResult>;
}

/**
 * An image file as a preview: scaled down to the preview width and re-encoded (PNG stays PNG,
 * photos become JPEG) so the message to the UI stays small whatever the original weighs.
 */
import { readFile } from 'node:fs/promises';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { QuarryError } from '../../contract';
import type { CallOptions } from '../types';
import { MAX_PREVIEW_WIDTH } from './pdf-page-preview';

export interface ImagePreview {
  dataUrl: string;
  width: number;
  height: number;
  /** Size of the original, which stored regions (pixels) refer to. */
  naturalWidth: number;
  naturalHeight: number;
}

const JPEG_QUALITY = 85;

export async function renderImagePreview(
  diskPath: string,
  mimeType: string,
  options: CallOptions & { maxWidth?: number } = {},
): Promise<ImagePreview> {
  const bytes = await readFile(diskPath);
  options.abortSignal?.throwIfAborted();
  let image: Awaited<ReturnType<typeof loadImage>>;
  try {
    image = await loadImage(bytes);
  } catch (error) {
    throw new QuarryError('unsupported', `This image cannot be shown in the preview (${mimeType}).`, {
      reason: 'preview_unsupported_image',
      cause: error,
    });
  }
  const maxWidth = Math.min(options.maxWidth ?? 1200, MAX_PREVIEW_WIDTH);
  const scale = Math.min(1, maxWidth / image.width);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const canvas = createCanvas(width, height);
  canvas.getContext('2d').drawImage(image, 0, 0, width, height);
  const asPng = mimeType === 'image/png' || mimeType === 'image/gif';
  const encoded = asPng ? await canvas.encode('png') : await canvas.encode('jpeg', JPEG_QUALITY);
  return {
    dataUrl: `data:${asPng ? 'image/png' : 'image/jpeg'};base64,${encoded.toString('base64')}`,
    width,
    height,
    naturalWidth: image.width,
    naturalHeight: image.height,
  };
}

/**
 * Brings an image within a service's limits before it is sent: the size in pixels is read from
 * the header (no decoding); an image too large in pixels or bytes is downscaled and re-encoded as
 * JPEG with @napi-rs/canvas; one that cannot be brought within the limits (too small, or a format
 * the canvas cannot decode) fails with `invalid_input` and a clear reason — before any paid call.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { imageSize } from 'image-size';
import { QuarryError } from '../../../contract';

export interface ImageLimits {
  maxBytes: number;
  /** Both sides must be at least this many pixels… */
  minSide: number;
  /** …and at most this many. */
  maxSide: number;
}

export interface FittedImage {
  bytes: Uint8Array;
  /** Size of the original image in pixels (undefined when the header could not be read). */
  width: number | undefined;
  height: number | undefined;
  /** Original pixels per sent pixel: multiply the service's coordinates by it (1 when unchanged). */
  scaleBack: number;
  /** True when the bytes were re-encoded (as JPEG). */
  resized: boolean;
}

/** Decoding needs width x height x 4 bytes; beyond this the canvas would need gigabytes. */
const MAX_DECODE_PIXELS = 150_000_000;
const JPEG_QUALITIES = [90, 80, 70];
const SHRINK_STEP = 0.75;
const MAX_SHRINKS = 8;

export function readImageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  try {
    const size = imageSize(bytes);
    // EXIF orientations 5-8 rotate by 90 degrees: the service sees the sides swapped.
    const swapped = size.orientation !== undefined && size.orientation >= 5 && size.orientation <= 8;
    return swapped ? { width: size.height, height: size.width } : { width: size.width, height: size.height };
  } catch {
    return undefined;
  }
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

function tooLarge(message: string, cause?: unknown): QuarryError {
  return new QuarryError('invalid_input', message, { reason: 'too_large', cause });
}

/**
 * The image as the service can take it. `what` names the file and `service` the target in
 * messages, e.g. `photo.jpg` and `Azure AI Vision`.
 */
export async function fitImage(
  bytes: Uint8Array,
  limits: ImageLimits,
  labels: { what: string; service: string },
): Promise<FittedImage> {
  const size = readImageSize(bytes);
  if (bytes.length === 0) {
    throw new QuarryError('invalid_input', `${labels.what} is empty (0 bytes)`, { reason: 'empty_file' });
  }
  if (size && Math.min(size.width, size.height) < limits.minSide) {
    throw new QuarryError(
      'invalid_input',
      `${labels.what} is ${size.width}×${size.height} px; ${labels.service} needs at least ${limits.minSide}×${limits.minSide} px.`,
      { reason: 'too_small' },
    );
  }
  const withinPixels = !size || Math.max(size.width, size.height) <= limits.maxSide;
  if (withinPixels && bytes.length <= limits.maxBytes) {
    return { bytes, width: size?.width, height: size?.height, scaleBack: 1, resized: false };
  }
  return downscale(bytes, size, limits, labels);
}

async function downscale(
  bytes: Uint8Array,
  size: { width: number; height: number } | undefined,
  limits: ImageLimits,
  labels: { what: string; service: string },
): Promise<FittedImage> {
  const describe = size
    ? `${size.width}×${size.height} px, ${megabytes(bytes.length)}`
    : megabytes(bytes.length);
  const limitText = `${labels.service} accepts at most ${limits.maxSide}×${limits.maxSide} px and ${megabytes(limits.maxBytes)}`;
  if (size && size.width * size.height > MAX_DECODE_PIXELS) {
    throw tooLarge(`${labels.what} (${describe}) is too large to downscale; ${limitText}.`);
  }
  let image: Awaited<ReturnType<typeof loadImage>>;
  try {
    image = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw tooLarge(
      `${labels.what} (${describe}) exceeds the limits and its format cannot be downscaled here; ${limitText}.`,
      error,
    );
  }
  const width = image.width;
  const height = image.height;
  let scale = Math.min(1, limits.maxSide / Math.max(width, height));
  for (let shrink = 0; shrink <= MAX_SHRINKS; shrink += 1) {
    const targetWidth = Math.max(1, Math.floor(width * scale));
    const targetHeight = Math.max(1, Math.floor(height * scale));
    if (Math.min(targetWidth, targetHeight) < limits.minSide) break;
    const canvas = createCanvas(targetWidth, targetHeight);
    const context = canvas.getContext('2d');
    // JPEG has no alpha: paint transparent areas white, as a page would be.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, targetWidth, targetHeight);
    context.drawImage(image, 0, 0, targetWidth, targetHeight);
    for (const quality of JPEG_QUALITIES) {
      const encoded = await canvas.encode('jpeg', quality);
      if (encoded.length <= limits.maxBytes) {
        return {
          bytes: new Uint8Array(encoded),
          width,
          height,
          scaleBack: width / targetWidth,
          resized: true,
        };
      }
    }
    scale *= SHRINK_STEP;
  }
  throw tooLarge(`${labels.what} (${describe}) cannot be brought within the limits; ${limitText}.`);
}

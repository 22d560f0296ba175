/**
 * Which reader a file goes to in Azure mode. The rule:
 *
 * 1. Plain-text formats (text, Markdown, CSV, JSON, HTML) are read locally: no paid call.
 * 2. PDFs and Office files (DOCX, XLSX, PPTX) go to Document Intelligence (layout, markdown);
 *    without it, PDFs and DOCX are read locally.
 * 3. Images that look like scanned documents go to Document Intelligence, other images (photos,
 *    drawings, screenshots) to Vision. An image looks scanned when
 *      - it is a TIFF (the format of scanners and fax), or
 *      - its name says so (scan, invoice, receipt, statement, form, page 3, …), or
 *      - it has the proportions of an A-series or US Letter/Legal page (within 1.5 %) and at least
 *        1,000 px on its short side (a page scanned at >= ~120 dpi). Camera photos are 4:3, 3:2 or
 *        16:9 and do not match.
 *    With only one of the two services configured, images go to that one where it reads the format
 *    (Document Intelligence reads no GIF/WebP); otherwise they are left to the local reader.
 */
import { DOCX_MIME_TYPE, TEXT_MIME_TYPES } from '../../pipeline/mime';

export type Route = 'documentIntelligence' | 'vision' | 'local';

export const OFFICE_MIME_TYPES: readonly string[] = [
  DOCX_MIME_TYPE,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
];

/** Image formats Document Intelligence reads. */
const DI_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/tiff', 'image/bmp', 'image/heif']);
const TEXT_TYPES: ReadonlySet<string> = new Set(TEXT_MIME_TYPES);

const DOCUMENT_NAME =
  /(^|[^a-z])(scan(ned)?|invoice|receipt|statement|form|fax|letter|contract|certificate|bill|page|doc(ument)?|report|id[-_ ]?card|passport)s?([^a-z]|$)/iu;
/** Long side / short side of paper: ISO A-series (√2), US Letter, US Legal. */
const PAPER_RATIOS = [Math.SQRT2, 11 / 8.5, 14 / 8.5];
const PAPER_RATIO_TOLERANCE = 0.015;
const MIN_SCAN_SHORT_SIDE_PX = 1_000;

export interface RouteInput {
  name: string;
  mimeType: string;
  /** Pixel size of an image, when its header could be read. */
  imageSize?: { width: number; height: number };
}

export interface AvailableServices {
  documentIntelligence: boolean;
  vision: boolean;
}

export function looksLikeScannedDocument(input: RouteInput): boolean {
  if (input.mimeType === 'image/tiff') return true;
  const baseName = input.name.replace(/\.[^.]+$/u, '');
  if (DOCUMENT_NAME.test(baseName)) return true;
  const size = input.imageSize;
  if (!size) return false;
  const short = Math.min(size.width, size.height);
  const ratio = Math.max(size.width, size.height) / Math.max(1, short);
  return (
    short >= MIN_SCAN_SHORT_SIDE_PX &&
    PAPER_RATIOS.some((paper) => Math.abs(ratio - paper) / paper <= PAPER_RATIO_TOLERANCE)
  );
}

function routeImage(input: RouteInput, available: AvailableServices): Route {
  const diReads = DI_IMAGE_TYPES.has(input.mimeType);
  const preferDi = diReads && looksLikeScannedDocument(input);
  if (preferDi && available.documentIntelligence) return 'documentIntelligence';
  if (available.vision) return 'vision';
  if (diReads && available.documentIntelligence) return 'documentIntelligence';
  return 'local';
}

export function routeFile(input: RouteInput, available: AvailableServices): Route {
  if (TEXT_TYPES.has(input.mimeType)) return 'local';
  if (input.mimeType === 'application/pdf' || OFFICE_MIME_TYPES.includes(input.mimeType)) {
    // The local reader handles PDF and DOCX, and says clearly that it cannot read the others.
    return available.documentIntelligence ? 'documentIntelligence' : 'local';
  }
  if (input.mimeType.startsWith('image/')) return routeImage(input, available);
  return 'local';
}

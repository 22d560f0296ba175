import { PDFArray, PDFDict, type PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api';
import { recognizeLines } from './ocr';
import { pdfjs } from './pdfjs';
import { readSimText } from './sim-text';
import { layoutText } from './text-layout';
import type { ReadLine, ReadOptions, TextSource } from './types';

/** ~200 dpi: enough for tesseract on body text without making full pages slow. */
const ocrScale = 200 / 72;
const pointsPerInch = 72;

export interface ScannedText {
  lines: ReadLine[];
  source: Extract<TextSource, 'sim-text' | 'ocr'>;
}

const isDctImage = (stream: PDFRawStream): boolean => {
  if (stream.dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Image')) return false;
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const names = filter instanceof PDFName ? [filter] : filter instanceof PDFArray ? filter.asArray() : [];
  return names.some((name) => name === PDFName.of('DCTDecode'));
};

/** Convention text of the JPEG images placed on a page, in resource order. */
function pageImageTexts(document: PDFDocument, pageIndex: number): string[] {
  const xObjects = document.getPage(pageIndex).node.Resources()?.lookup(PDFName.of('XObject'));
  if (!(xObjects instanceof PDFDict)) return [];
  return xObjects.values().flatMap((reference) => {
    const stream = document.context.lookup(reference);
    if (!(stream instanceof PDFRawStream) || !isDctImage(stream)) return [];
    const text = readSimText(stream.contents, 'jpeg');
    return text === undefined ? [] : [text];
  });
}

async function renderForOcr(pdf: PDFDocumentProxy, page: PDFPageProxy): Promise<Uint8Array> {
  const viewport = page.getViewport({ scale: ocrScale });
  // Render on pdf.js's own canvas factory: pdf.js loads its own @napi-rs/canvas copy, and drawing
  // its intermediate canvases onto a canvas from another copy crashes the process.
  const factory = pdf.canvasFactory as {
    create(
      width: number,
      height: number,
    ): { canvas: HTMLCanvasElement & { toBuffer(mime: 'image/png'): Buffer } };
    destroy(pair: object): void;
  };
  const pair = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
  try {
    await page.render({ canvas: pair.canvas, viewport }).promise;
    return pair.canvas.toBuffer('image/png');
  } finally {
    factory.destroy(pair);
  }
}

const pixelsToInches = (line: ReadLine): ReadLine => {
  const scale = (value: number): number => value / ocrScale / pointsPerInch;
  const convert = <T extends { box?: ReadLine['box'] }>(item: T): T =>
    item.box
      ? {
          ...item,
          box: {
            x: scale(item.box.x),
            y: scale(item.box.y),
            width: scale(item.box.width),
            height: scale(item.box.height),
          },
        }
      : item;
  return {
    ...convert(line),
    fontSize: line.fontSize === undefined ? undefined : scale(line.fontSize),
    words: line.words.map(convert),
  };
};

const { OPS } = pdfjs;
const imageOperators: ReadonlySet<number> = new Set([
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintImageMaskXObject,
  OPS.paintImageXObjectRepeat,
  OPS.paintInlineImageXObjectGroup,
]);

/** A page with neither text nor images is blank: nothing to OCR. */
async function paintsImages(page: PDFPageProxy): Promise<boolean> {
  const operators = await page.getOperatorList();
  return operators.fnArray.some((operator) => imageOperators.has(operator));
}

/**
 * Text of a page without a text layer (a scan). A JPEG image on the page that carries convention
 * text is read without OCR and laid out over the page; otherwise the page is rendered and OCRed.
 */
export async function readScannedPage(
  sources: { pdf: PDFDocumentProxy; document: () => Promise<PDFDocument> },
  page: PDFPageProxy,
  size: { width: number; height: number },
  options: ReadOptions,
): Promise<ScannedText> {
  const texts = pageImageTexts(await sources.document(), page.pageNumber - 1);
  if (texts.length > 0) return { lines: layoutText(texts.join('\n\n'), size), source: 'sim-text' };
  if (!(await paintsImages(page))) return { lines: [], source: 'ocr' };
  const image = await renderForOcr(sources.pdf, page);
  options.abortSignal?.throwIfAborted();
  return { lines: (await recognizeLines(image, options)).map(pixelsToInches), source: 'ocr' };
}

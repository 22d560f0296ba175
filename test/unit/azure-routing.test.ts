import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { DOCX_MIME_TYPE } from '../../electron/engine/pipeline/mime';
import { looksLikeScannedDocument, routeFile } from '../../electron/engine/providers/azure/azure-routing';
import { fitImage, readImageSize } from '../../electron/engine/providers/azure/image-fit';
import { pageRanges } from '../../electron/engine/providers/azure/pdf-page-count';

const both = { documentIntelligence: true, vision: true };

describe('routeFile', () => {
  it('reads text locally and sends documents to Document Intelligence', () => {
    for (const mimeType of ['text/plain', 'text/markdown', 'text/csv', 'application/json', 'text/html']) {
      expect(routeFile({ name: 'x', mimeType }, both), mimeType).toBe('local');
    }
    expect(routeFile({ name: 'a.pdf', mimeType: 'application/pdf' }, both)).toBe('documentIntelligence');
    expect(routeFile({ name: 'a.docx', mimeType: DOCX_MIME_TYPE }, both)).toBe('documentIntelligence');
    expect(
      routeFile(
        { name: 'a.pdf', mimeType: 'application/pdf' },
        { documentIntelligence: false, vision: true },
      ),
    ).toBe('local');
  });

  it('sends scanned-looking images to Document Intelligence and photos to Vision', () => {
    expect(routeFile({ name: 'fax.tif', mimeType: 'image/tiff' }, both)).toBe('documentIntelligence');
    expect(routeFile({ name: 'Scan_0042.jpg', mimeType: 'image/jpeg' }, both)).toBe('documentIntelligence');
    expect(routeFile({ name: 'receipt-2024.png', mimeType: 'image/png' }, both)).toBe('documentIntelligence');
    // A4 at 150 dpi and US Letter at 200 dpi, named like camera files.
    expect(
      routeFile({ name: 'IMG_1.png', mimeType: 'image/png', imageSize: { width: 1240, height: 1754 } }, both),
    ).toBe('documentIntelligence');
    expect(
      routeFile({ name: 'IMG_2.png', mimeType: 'image/png', imageSize: { width: 2200, height: 1700 } }, both),
    ).toBe('documentIntelligence');
    // Camera proportions (4:3, 3:2, 16:9) and small images are photos.
    for (const imageSize of [
      { width: 4032, height: 3024 },
      { width: 3000, height: 2000 },
      { width: 1920, height: 1080 },
      { width: 620, height: 877 },
    ]) {
      expect(
        routeFile({ name: 'IMG_3.jpg', mimeType: 'image/jpeg', imageSize }, both),
        JSON.stringify(imageSize),
      ).toBe('vision');
    }
    expect(routeFile({ name: 'homepage.png', mimeType: 'image/png' }, both)).toBe('vision');
    // Document Intelligence reads no GIF/WebP: those go to Vision even when they look scanned.
    expect(routeFile({ name: 'scan.gif', mimeType: 'image/gif' }, both)).toBe('vision');
  });

  it('falls back to whichever service reads the image, else the local reader', () => {
    const diOnly = { documentIntelligence: true, vision: false };
    expect(routeFile({ name: 'cat.jpg', mimeType: 'image/jpeg' }, diOnly)).toBe('documentIntelligence');
    expect(routeFile({ name: 'cat.webp', mimeType: 'image/webp' }, diOnly)).toBe('local');
    expect(
      routeFile({ name: 'scan.png', mimeType: 'image/png' }, { documentIntelligence: false, vision: true }),
    ).toBe('vision');
    expect(
      routeFile({ name: 'cat.jpg', mimeType: 'image/jpeg' }, { documentIntelligence: false, vision: false }),
    ).toBe('local');
    expect(looksLikeScannedDocument({ name: 'statements.png', mimeType: 'image/png' })).toBe(true);
  });
});

describe('pageRanges', () => {
  it('covers every page in ranges of the request limit', () => {
    expect(pageRanges(5, 2)).toEqual(['1-2', '3-4', '5']);
    expect(pageRanges(4500, 2000)).toEqual(['1-2000', '2001-4000', '4001-4500']);
    expect(pageRanges(1, 2000)).toEqual(['1']);
  });
});

describe('fitImage', () => {
  const png = (width: number, height: number) => {
    const canvas = createCanvas(width, height);
    const context = canvas.getContext('2d');
    context.fillStyle = '#336699';
    context.fillRect(0, 0, width, height);
    return new Uint8Array(canvas.toBuffer('image/png'));
  };
  const labels = { what: 'x.png', service: 'Test' };

  it('passes an image within the limits through untouched', async () => {
    const bytes = png(100, 80);
    const fitted = await fitImage(bytes, { maxBytes: 1_000_000, minSide: 50, maxSide: 1000 }, labels);
    expect(fitted).toEqual({ bytes, width: 100, height: 80, scaleBack: 1, resized: false });
  });

  it('downscales to the side limit and reports how to scale coordinates back', async () => {
    const fitted = await fitImage(
      png(2000, 500),
      { maxBytes: 1_000_000, minSide: 50, maxSide: 1000 },
      labels,
    );
    expect(fitted.resized).toBe(true);
    expect(readImageSize(fitted.bytes)).toEqual({ width: 1000, height: 250 });
    expect(fitted.scaleBack).toBe(2);
    expect(fitted).toMatchObject({ width: 2000, height: 500 });
  });

  it('refuses what cannot fit: too small, or undecodable and too large', async () => {
    await expect(
      fitImage(png(40, 400), { maxBytes: 1e6, minSide: 50, maxSide: 1000 }, labels),
    ).rejects.toMatchObject({
      reason: 'too_small',
    });
    const garbage = new Uint8Array(2_000).fill(7);
    await expect(
      fitImage(garbage, { maxBytes: 1_000, minSide: 50, maxSide: 1000 }, labels),
    ).rejects.toMatchObject({
      reason: 'too_large',
    });
  });
});

import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import {
  embedSimText,
  openDocument,
  readImageSize,
  readImageText,
  readSimText,
  SIM_TEXT_KEY,
  sniffFormat,
} from '../azure-sim/content';
import { makeTextImage } from '../azure-sim/content/fixtures';
import { readPngTextChunks } from '../azure-sim/content/png-chunks';

function canvasImage(
  width: number,
  height: number,
  mime: 'image/png' | 'image/jpeg' | 'image/webp',
): Uint8Array {
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#336699';
  context.fillRect(0, 0, width, height);
  // @napi-rs/canvas overloads toBuffer per mime type; the union needs a cast to one of them.
  return new Uint8Array(canvas.toBuffer(mime as 'image/png'));
}

function gifHeader(width: number, height: number): Uint8Array {
  const bytes = Buffer.alloc(13);
  bytes.write('GIF89a', 0, 'latin1');
  bytes.writeUInt16LE(width, 6);
  bytes.writeUInt16LE(height, 8);
  return bytes;
}

function bmpHeader(width: number, height: number): Uint8Array {
  const bytes = Buffer.alloc(54);
  bytes.write('BM', 0, 'latin1');
  bytes.writeUInt32LE(40, 14);
  bytes.writeInt32LE(width, 18);
  bytes.writeInt32LE(-height, 22); // top-down bitmap
  return bytes;
}

function tiffHeader(width: number, height: number, littleEndian: boolean): Uint8Array {
  const bytes = Buffer.alloc(8 + 2 + 2 * 12 + 4);
  const u16 = (value: number, at: number) =>
    littleEndian ? bytes.writeUInt16LE(value, at) : bytes.writeUInt16BE(value, at);
  const u32 = (value: number, at: number) =>
    littleEndian ? bytes.writeUInt32LE(value, at) : bytes.writeUInt32BE(value, at);
  bytes.write(littleEndian ? 'II' : 'MM', 0, 'latin1');
  u16(42, 2);
  u32(8, 4);
  u16(2, 8);
  u16(256, 10); // ImageWidth, LONG
  u16(4, 12);
  u32(1, 14);
  u32(width, 18);
  u16(257, 22); // ImageLength, SHORT
  u16(3, 24);
  u32(1, 26);
  u16(height, 30);
  return bytes;
}

describe('format sniffing and image headers', () => {
  it('recognises formats by their magic bytes, not their names', () => {
    expect(sniffFormat(canvasImage(60, 40, 'image/png'))).toBe('png');
    expect(sniffFormat(canvasImage(60, 40, 'image/jpeg'))).toBe('jpeg');
    expect(sniffFormat(canvasImage(60, 40, 'image/webp'))).toBe('webp');
    expect(sniffFormat(gifHeader(1, 1))).toBe('gif');
    expect(sniffFormat(bmpHeader(1, 1))).toBe('bmp');
    expect(sniffFormat(tiffHeader(1, 1, true))).toBe('tiff');
    expect(sniffFormat(Buffer.from('  %PDF-1.7\n'))).toBe('pdf');
    expect(sniffFormat(Buffer.from('\uFEFF<!DOCTYPE html><p>x</p>'))).toBe('html');
    expect(sniffFormat(Buffer.from('plain words, no format'))).toBe('unknown');
    expect(sniffFormat(new Uint8Array([1, 2]))).toBe('unknown');
  });

  it('reads pixel dimensions from PNG, JPEG, WebP, GIF, BMP and both TIFF byte orders', () => {
    expect(readImageSize(canvasImage(321, 123, 'image/png'), 'png')).toEqual({ width: 321, height: 123 });
    expect(readImageSize(canvasImage(640, 77, 'image/jpeg'), 'jpeg')).toEqual({ width: 640, height: 77 });
    expect(readImageSize(canvasImage(99, 51, 'image/webp'), 'webp')).toEqual({ width: 99, height: 51 });
    expect(readImageSize(gifHeader(300, 200), 'gif')).toEqual({ width: 300, height: 200 });
    expect(readImageSize(bmpHeader(1024, 768), 'bmp')).toEqual({ width: 1024, height: 768 });
    expect(readImageSize(tiffHeader(2480, 3508, true), 'tiff')).toEqual({ width: 2480, height: 3508 });
    expect(readImageSize(tiffHeader(800, 600, false), 'tiff')).toEqual({ width: 800, height: 600 });
  });

  it('reports a cut-off or zero-sized header as unreadable', () => {
    const png = canvasImage(10, 10, 'image/png');
    expect(readImageSize(png.subarray(0, 20), 'png')).toBeUndefined();
    const jpeg = canvasImage(10, 10, 'image/jpeg');
    expect(readImageSize(jpeg.subarray(0, 30), 'jpeg')).toBeUndefined();
    expect(readImageSize(gifHeader(0, 10), 'gif')).toBeUndefined();
  });
});

describe('the quarry-sim-text convention', () => {
  it('round-trips UTF-8 text (CJK included) through a PNG iTXt chunk without breaking the image', () => {
    const png = canvasImage(120, 80, 'image/png');
    const text = 'Invoice 4711\n发票 总计 42';
    const tagged = embedSimText(png, text);
    expect(readSimText(tagged)).toBe(text);
    expect(readPngTextChunks(tagged).get(SIM_TEXT_KEY)).toBe(text);
    expect(readImageSize(tagged, 'png')).toEqual({ width: 120, height: 80 });
    expect(readSimText(png)).toBeUndefined();
  });

  it('round-trips long text through JPEG COM segments split at 60,000 bytes', () => {
    const jpeg = canvasImage(100, 60, 'image/jpeg');
    const text = Array.from({ length: 9_000 }, (_, index) => `word${index}`).join(' ');
    expect(Buffer.byteLength(text)).toBeGreaterThan(65_533);
    const tagged = embedSimText(jpeg, text);
    expect(readSimText(tagged)).toBe(text);
    expect(readImageSize(tagged, 'jpeg')).toEqual({ width: 100, height: 60 });
  });

  it('refuses formats that cannot carry the convention', () => {
    expect(() => embedSimText(gifHeader(10, 10), 'x')).toThrow(TypeError);
  });

  it('lays the convention text out inside the image, a blank line separating paragraphs', async () => {
    const image = makeTextImage({
      lines: ['Quarterly figures', 'up 12 percent', '', 'Second block'],
      width: 900,
      height: 400,
    });
    const read = await readImageText(image, 'png');
    expect(read.source).toBe('sim-text');
    expect(read.size).toEqual({ width: 900, height: 400 });
    expect(read.lines.map((line) => line.text)).toEqual([
      'Quarterly figures',
      'up 12 percent',
      'Second block',
    ]);
    for (const line of read.lines) {
      const box = line.box!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(900);
      expect(box.y + box.height).toBeLessThanOrEqual(400);
      expect(line.words.map((word) => word.text).join(' ')).toBe(line.text);
    }
    const document = await openDocument(image);
    const page = await document.readPage(1);
    expect(page.unit).toBe('pixel');
    expect(
      page.blocks.map((block) => (block.kind === 'paragraph' ? block.lines.map((line) => line.text) : [])),
    ).toEqual([['Quarterly figures', 'up 12 percent'], ['Second block']]);
  });

  it('splits ideographs into words of their own, as the service does', async () => {
    const read = await readImageText(makeTextImage({ lines: ['总计 42元'] }), 'png');
    expect(read.lines[0]?.words.map((word) => word.text)).toEqual(['总', '计', '42', '元']);
  });
});

describe('unreadable images', () => {
  it('rejects a damaged header as corrupt content', async () => {
    const png = canvasImage(10, 10, 'image/png');
    await expect(openDocument(png.subarray(0, 12))).rejects.toMatchObject({
      reason: 'corrupt',
      code: 'invalid_input',
    });
  });

  it('rejects empty input and unknown formats', async () => {
    await expect(openDocument(new Uint8Array())).rejects.toMatchObject({ reason: 'empty' });
    await expect(openDocument(Buffer.from('just some text that is not a document'))).rejects.toMatchObject({
      reason: 'corrupt',
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  DOCX_MIME_TYPE,
  detectMimeType,
  IMAGE_MIME_TYPES,
  LOCAL_SUPPORTED_MIME_TYPES,
} from '../../electron/engine/pipeline/mime';
import { encodeText, makeBinary, makeCorruptPdf, makeDocx, makePdf } from '../fixtures/generate';

const text = (value: string) => Buffer.from(value, 'utf8');

const IMAGE_SIGNATURES: Record<string, Buffer> = {
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]),
  'image/gif': Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'),
  'image/webp': Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'),
  'image/tiff': Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]),
  'image/bmp': Buffer.from([0x42, 0x4d, 0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]),
};

describe('detectMimeType', () => {
  it.each([
    ['notes.txt', 'text/plain'],
    ['server.LOG', 'text/plain'],
    ['readme.md', 'text/markdown'],
    ['table.csv', 'text/csv'],
    ['data.json', 'application/json'],
    ['page.html', 'text/html'],
    ['page.htm', 'text/html'],
  ])('reads %s as %s when the content is text', (name, expected) => {
    expect(detectMimeType(`/docs/${name}`, text('hello, world\nsecond line\n'))).toBe(expected);
  });

  it('recognises PDFs by content and keeps a broken .pdf as a PDF so extraction can explain it', async () => {
    expect(detectMimeType('/a/report.pdf', (await makePdf(['hello'])).subarray(0, 4096))).toBe(
      'application/pdf',
    );
    expect(detectMimeType('/a/no-extension', makeCorruptPdf())).toBe('application/pdf');
    expect(detectMimeType('/a/broken.pdf', makeBinary())).toBe('application/pdf');
    expect(detectMimeType('/a/broken.pdf', text('this is not a pdf at all'))).toBe('application/pdf');
  });

  it('recognises DOCX (a zip named .docx) and rejects other zips', async () => {
    const docx = await makeDocx(['hello']);
    expect(detectMimeType('/a/letter.docx', docx)).toBe(DOCX_MIME_TYPE);
    expect(detectMimeType('/a/archive.zip', docx)).toBeNull();
    expect(detectMimeType('/a/sheet.xlsx', docx)).toBeNull();
    expect(detectMimeType('/a/corrupt.docx', makeBinary())).toBe(DOCX_MIME_TYPE);
  });

  it('detects a binary with a text extension as unsupported', () => {
    expect(detectMimeType('/a/secret.txt', makeBinary())).toBeNull();
    expect(detectMimeType('/a/page.html', makeBinary())).toBeNull();
    expect(detectMimeType('/a/blob.bin', makeBinary())).toBeNull();
    expect(detectMimeType('/a/noext', makeBinary())).toBeNull();
  });

  it('treats unknown names with text content as plain text', () => {
    expect(detectMimeType('/a/script.py', text('print("hi")\n'))).toBe('text/plain');
    expect(detectMimeType('/a/Makefile', text('all:\n\techo hi\n'))).toBe('text/plain');
  });

  it('accepts text in other encodings (BOMs, UTF-16 without BOM, legacy code pages)', () => {
    expect(detectMimeType('/a/u16.txt', encodeText('hello world', 'utf-16le-bom'))).toBe('text/plain');
    expect(detectMimeType('/a/u16be.txt', encodeText('hello world', 'utf-16be-bom'))).toBe('text/plain');
    expect(detectMimeType('/a/u16-nobom.txt', Buffer.from('hello world, plain', 'utf16le'))).toBe(
      'text/plain',
    );
    expect(detectMimeType('/a/gb.txt', encodeText('季度报告显示北方地区的销售额持续增长。', 'gb18030'))).toBe(
      'text/plain',
    );
    expect(detectMimeType('/a/cp.txt', encodeText('Café “naïve”', 'windows-1252'))).toBe('text/plain');
  });

  it('recognises images by signature, whatever their name', () => {
    for (const [mime, bytes] of Object.entries(IMAGE_SIGNATURES)) {
      expect(detectMimeType('/a/picture.dat', bytes), mime).toBe(mime);
    }
    expect(detectMimeType('/a/photo.txt', IMAGE_SIGNATURES['image/png'] as Buffer)).toBe('image/png');
    expect(detectMimeType('/a/scan.TIF', makeBinary())).toBe('image/tiff');
  });

  it('keeps the extension type for empty files so the extractor can report them as empty', () => {
    expect(detectMimeType('/a/empty.txt', Buffer.alloc(0))).toBe('text/plain');
    expect(detectMimeType('/a/empty.pdf', Buffer.alloc(0))).toBe('application/pdf');
    expect(detectMimeType('/a/empty.weird', Buffer.alloc(0))).toBeNull();
  });

  it('lists what the local backend extracts, images excluded until OCR exists', () => {
    expect(LOCAL_SUPPORTED_MIME_TYPES).toEqual(
      expect.arrayContaining([
        'text/plain',
        'text/markdown',
        'text/csv',
        'application/json',
        'text/html',
        'application/pdf',
        DOCX_MIME_TYPE,
      ]),
    );
    for (const image of IMAGE_MIME_TYPES) expect(LOCAL_SUPPORTED_MIME_TYPES).not.toContain(image);
  });
});

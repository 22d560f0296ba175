import { describe, expect, it } from 'vitest';
import { tiffPage, tiffPageOffsets } from '../../electron/engine/providers/local/ocr/tiff-pages';
import { multiPageTiff } from '../integration/local-ocr-fixtures';

/** A TIFF skeleton: header + directories with `entries` entries each, chained by `next`. */
function skeleton(order: 'II' | 'MM', directories: { at: number; next: number }[], size = 200): Uint8Array {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const little = order === 'II';
  bytes[0] = order.charCodeAt(0);
  bytes[1] = order.charCodeAt(1);
  view.setUint16(2, 42, little);
  view.setUint32(4, directories[0]?.at ?? 0, little);
  for (const { at, next } of directories) {
    view.setUint16(at, 1, little); // one entry
    view.setUint32(at + 2 + 12, next, little);
  }
  return bytes;
}

describe('tiffPageOffsets', () => {
  it('finds every page of a generated multi-page TIFF', () => {
    const tiff = multiPageTiff([[['one']], [['two']], [['three']]]);
    const offsets = tiffPageOffsets(tiff);
    expect(offsets).toHaveLength(3);
    expect(offsets[0]).toBe(8);
  });

  it('reads big-endian files too', () => {
    expect(
      tiffPageOffsets(
        skeleton('MM', [
          { at: 8, next: 40 },
          { at: 40, next: 0 },
        ]),
      ),
    ).toEqual([8, 40]);
  });

  it('stops at a directory loop and at a truncated directory', () => {
    expect(
      tiffPageOffsets(
        skeleton('II', [
          { at: 8, next: 40 },
          { at: 40, next: 8 },
        ]),
      ),
    ).toEqual([8, 40]);
    const truncated = skeleton('II', [{ at: 8, next: 180 }]);
    new DataView(truncated.buffer).setUint16(180, 5, true); // five entries would run past the end
    expect(tiffPageOffsets(truncated)).toEqual([8]);
    expect(tiffPageOffsets(skeleton('II', [{ at: 8, next: 120 }]))).toEqual([8]); // no tags there
  });

  it('returns nothing for other formats', () => {
    expect(tiffPageOffsets(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0]))).toEqual([]);
    expect(tiffPageOffsets(new Uint8Array(4))).toEqual([]);
    const bigTiff = skeleton('II', [{ at: 8, next: 0 }]);
    new DataView(bigTiff.buffer).setUint16(2, 43, true);
    expect(tiffPageOffsets(bigTiff)).toEqual([]);
  });
});

describe('tiffPage', () => {
  it('keeps the file for page 1 and points the header at the page for later pages', () => {
    const tiff = skeleton('II', [
      { at: 8, next: 40 },
      { at: 40, next: 0 },
    ]);
    const offsets = tiffPageOffsets(tiff);
    expect(tiffPage(tiff, offsets, 0)).toBe(tiff);
    const second = tiffPage(tiff, offsets, 1);
    expect(new DataView(second.buffer).getUint32(4, true)).toBe(40);
    expect(second.subarray(8)).toEqual(tiff.subarray(8));
    expect(new DataView(tiff.buffer).getUint32(4, true)).toBe(8); // the original is untouched
  });
});

import { describe, expect, it } from 'vitest';
import { foldText, foldWithOffsets } from '../../electron/engine/search/text-fold';

/** The reference: every grapheme folded on its own, no fast path. */
function foldByGrapheme(text: string) {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const sourceStart: number[] = [];
  const sourceEnd: number[] = [];
  let folded = '';
  for (const { segment, index } of segmenter.segment(text)) {
    const part = foldText(segment);
    folded += part;
    for (let unit = 0; unit < part.length; unit++) {
      sourceStart.push(index);
      sourceEnd.push(index + segment.length);
    }
  }
  return { folded, sourceStart, sourceEnd };
}

describe('foldText', () => {
  it('folds case, Latin accents and compatibility forms but keeps other scripts intact', () => {
    expect(foldText('Ÿ Ｃafé ﬁn İ')).toBe('y cafe fin i');
    expect(foldText('がガ東京')).toBe('がガ東京');
    expect(foldText('สวัสดี')).toBe('สวัสดี');
  });
});

describe('foldWithOffsets', () => {
  it('maps every folded unit back to the grapheme it came from', () => {
    const text = 'Cafe\u0301 ÉTÉ 😀👍🏽 東京 e\u0301\u0327x';
    const { folded, sourceStart, sourceEnd } = foldWithOffsets(text);
    expect(folded).toBe(foldText(text));
    const at = folded.indexOf('ete');
    expect(text.slice(sourceStart[at], sourceEnd[at + 2])).toBe('ÉTÉ');
    const thumbs = folded.indexOf('👍');
    expect(text.slice(sourceStart[thumbs], sourceEnd[thumbs])).toBe('👍🏽');
  });

  it('gives the same result as folding every grapheme on its own, ASCII fast path or not', () => {
    const pieces = [
      'a',
      'B',
      ' ',
      '\n',
      'e\u0301',
      'É',
      '😀',
      '👍🏽',
      '東',
      'ｶ',
      'ﬁ',
      '\r\n',
      'ß',
      'Z\u0308',
    ];
    let seed = 11;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let round = 0; round < 200; round++) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 30) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('');
      expect(foldWithOffsets(text), JSON.stringify(text)).toEqual(foldByGrapheme(text));
    }
  });
});

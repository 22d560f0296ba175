/**
 * Case- and accent-folding shared by query terms, snippets and the local full-text column, so a
 * query and the text it should match are always compared in the same form.
 */

/** Combining diacritics of the Latin/Greek/Cyrillic block only: marks of other scripts (Thai vowels, kana voicing) carry meaning. */
const LATIN_COMBINING_MARKS = /[\u0300-\u036f]/g;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** Folds case, compatibility forms (full-width, ligatures) and Latin accents: `Ｃafé` -> `cafe`. */
export function foldText(text: string): string {
  if (PLAIN_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(LATIN_COMBINING_MARKS, '').toLowerCase().normalize('NFC');
}

/** Folded text plus, for every UTF-16 unit of it, the [start, end) of the source grapheme it came from. */
export interface FoldedText {
  folded: string;
  sourceStart: number[];
  sourceEnd: number[];
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Folds grapheme by grapheme and keeps the mapping back to the original string, so matches found
 * in folded text can be highlighted in the original. Mapping whole graphemes means a highlight can
 * never split a surrogate pair or a base letter from its accents. ASCII runs (most text) take a
 * fast path: grapheme extenders are never ASCII, so each ASCII character (or CR LF) is its own
 * grapheme, except the last one before non-ASCII text, which may carry combining marks.
 */
export function foldWithOffsets(text: string): FoldedText {
  const parts: string[] = [];
  const sourceStart: number[] = [];
  const sourceEnd: number[] = [];
  const push = (segment: string, index: number) => {
    const folded =
      segment.length === 1 && segment.charCodeAt(0) < 0x80 ? segment.toLowerCase() : foldText(segment);
    parts.push(folded);
    for (let unit = 0; unit < folded.length; unit++) {
      sourceStart.push(index);
      sourceEnd.push(index + segment.length);
    }
  };
  let index = 0;
  while (index < text.length) {
    let asciiEnd = index;
    while (asciiEnd < text.length && text.charCodeAt(asciiEnd) < 0x80) asciiEnd++;
    let plainEnd = asciiEnd < text.length && asciiEnd > index ? asciiEnd - 1 : asciiEnd;
    // CR LF is the one ASCII pair that forms a single grapheme.
    if (plainEnd > index && plainEnd < asciiEnd && text[plainEnd - 1] === '\r' && text[plainEnd] === '\n')
      plainEnd--;
    while (index < plainEnd) {
      const pair = text[index] === '\r' && text[index + 1] === '\n' && index + 1 < plainEnd;
      push(pair ? '\r\n' : text[index]!, index);
      index += pair ? 2 : 1;
    }
    if (index >= text.length) break;
    let otherEnd = Math.max(asciiEnd, index + 1);
    while (otherEnd < text.length && text.charCodeAt(otherEnd) >= 0x80) otherEnd++;
    for (const { segment, index: offset } of graphemes.segment(text.slice(index, otherEnd))) {
      push(segment, index + offset);
    }
    index = otherEnd;
  }
  return { folded: parts.join(''), sourceStart, sourceEnd };
}

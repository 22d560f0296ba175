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
 * never split a surrogate pair or a base letter from its accents.
 */
export function foldWithOffsets(text: string): FoldedText {
  const parts: string[] = [];
  const sourceStart: number[] = [];
  const sourceEnd: number[] = [];
  for (const { segment, index } of graphemes.segment(text)) {
    const folded = foldText(segment);
    parts.push(folded);
    for (let unit = 0; unit < folded.length; unit++) {
      sourceStart.push(index);
      sourceEnd.push(index + segment.length);
    }
  }
  return { folded: parts.join(''), sourceStart, sourceEnd };
}

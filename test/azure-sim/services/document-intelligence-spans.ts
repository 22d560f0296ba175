import type { StringIndexType } from './document-intelligence-params';

export interface DiSpan {
  offset: number;
  length: number;
}

/**
 * Spans are built in UTF-16 code units (JS string offsets) and converted at the end to the unit
 * the client asked for: grapheme clusters (`textElements`, the default), code points, or UTF-16.
 */
export class SpanRegistry {
  private readonly spans: DiSpan[] = [];

  span(start: number, end: number): DiSpan {
    const span = { offset: start, length: end - start };
    this.spans.push(span);
    return span;
  }

  /** Rewrites every span handed out so far into `unit` offsets over `content`. */
  convert(content: string, unit: StringIndexType): void {
    if (unit === 'utf16CodeUnit') return;
    const positions = unitPositions(content, unit);
    for (const span of this.spans) {
      const start = positions[span.offset] ?? 0;
      const end = positions[span.offset + span.length] ?? start;
      span.offset = start;
      span.length = end - start;
    }
  }
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** For each UTF-16 offset (0..length), the index of the unit that starts at or contains it. */
function unitPositions(content: string, unit: Exclude<StringIndexType, 'utf16CodeUnit'>): Uint32Array {
  const positions = new Uint32Array(content.length + 1);
  let index = 0;
  const pieces =
    unit === 'textElements'
      ? Array.from(graphemes.segment(content), (piece) => piece.segment)
      : Array.from(content);
  let offset = 0;
  for (const piece of pieces) {
    positions.fill(index, offset, offset + piece.length);
    offset += piece.length;
    index += 1;
  }
  positions[content.length] = index;
  return positions;
}

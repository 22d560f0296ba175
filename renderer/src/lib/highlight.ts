export interface SnippetPart {
  text: string;
  highlighted: boolean;
}

/**
 * Splits a snippet into plain and highlighted parts from `[start, end)` ranges. Ranges may come
 * unsorted, overlapping or out of bounds; they are clamped and merged so the parts cover the
 * snippet exactly once.
 */
export function splitHighlights(
  snippet: string,
  ranges: ReadonlyArray<readonly [number, number]>,
): SnippetPart[] {
  const clamped = ranges
    .map(([start, end]): [number, number] => [
      Math.max(0, Math.min(start, snippet.length)),
      Math.max(0, Math.min(end, snippet.length)),
    ])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);

  const parts: SnippetPart[] = [];
  let cursor = 0;
  for (const [start, end] of clamped) {
    if (end <= cursor) continue;
    const from = Math.max(start, cursor);
    if (from > cursor) parts.push({ text: snippet.slice(cursor, from), highlighted: false });
    const last = parts[parts.length - 1];
    // Adjacent or overlapping ranges extend the previous highlight instead of starting a new one.
    if (last?.highlighted && from === cursor) last.text += snippet.slice(from, end);
    else parts.push({ text: snippet.slice(from, end), highlighted: true });
    cursor = end;
  }
  if (cursor < snippet.length) parts.push({ text: snippet.slice(cursor), highlighted: false });
  return parts;
}

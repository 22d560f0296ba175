/**
 * An answer's text cut into plain runs and citation marks ([1], [2, 3], [1][2]), so the marks can
 * be shown as buttons that open their source. Ranges ([2-4]) stay plain text.
 */
export type AnswerPart = { kind: 'text'; text: string } | { kind: 'refs'; text: string; refs: number[] };

const CITATION_GROUP = /\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]/gu;

export function answerParts(text: string): AnswerPart[] {
  const parts: AnswerPart[] = [];
  let at = 0;
  for (const match of text.matchAll(CITATION_GROUP)) {
    if (match.index > at) parts.push({ kind: 'text', text: text.slice(at, match.index) });
    const refs = [...match[0].matchAll(/\d+/gu)].map((digits) => Number(digits[0]));
    parts.push({ kind: 'refs', text: match[0], refs });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}

/**
 * Deterministic English-like prose for the benchmark corpus: common business words in sentences of
 * 8-18 words, so token counts per word are close to real documents (about 1.3 cl100k tokens/word).
 */

const VOCABULARY = (
  'the a of and to in for on with by from at as is was are were be been has have had will would ' +
  'can could should may report quarter results region committee budget forecast staffing plan ' +
  'department annual meeting members supply costs customer feedback schedule year revenue growth ' +
  'market share product service contract vendor invoice payment delivery warehouse inventory ' +
  'shipment order team project milestone review approval policy compliance audit risk control ' +
  'training safety incident maintenance equipment facility office branch regional national ' +
  'quality standard process procedure document record summary analysis estimate target variance ' +
  'increase decrease margin expense capital investment portfolio pricing discount agreement ' +
  'partner supplier logistics transport route fleet fuel energy utility infrastructure network ' +
  'software hardware system upgrade migration release support ticket request response backlog ' +
  'manager director officer analyst engineer consultant employee contractor recruitment ' +
  'performance objective strategy initiative program launch campaign survey research findings ' +
  'north south east west central first second third final initial current previous next ' +
  'weekly monthly quarterly significant moderate minor major critical overall total average ' +
  'improved reduced delayed completed pending approved rejected updated confirmed expected'
).split(/\s+/);

export type Random = () => number;

function pick(random: Random): string {
  return VOCABULARY[Math.floor(random() * VOCABULARY.length)] ?? 'the';
}

export function sentence(random: Random, minWords = 8, maxWords = 18): string {
  const length = minWords + Math.floor(random() * (maxWords - minWords + 1));
  const words = Array.from({ length }, () => pick(random));
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Sentences until about `words` words; at least one. */
export function prose(random: Random, words: number): string {
  const sentences: string[] = [];
  let count = 0;
  while (count < words || sentences.length === 0) {
    const next = sentence(random);
    sentences.push(next);
    count += next.split(' ').length;
  }
  return sentences.join(' ');
}

/** Paragraphs of roughly `wordsPerParagraph` words adding up to about `words`. */
export function paragraphs(random: Random, words: number, wordsPerParagraph = 70): string[] {
  const result: string[] = [];
  let remaining = words;
  while (remaining > 0 || result.length === 0) {
    const size = Math.min(Math.max(remaining, 12), wordsPerParagraph);
    const text = prose(random, size);
    result.push(text);
    remaining -= text.split(' ').length;
  }
  return result;
}

export function title(random: Random, label: string): string {
  const words = Array.from({ length: 3 }, () => pick(random));
  return `${label}: ${words.join(' ')}`;
}

/** Lines of at most `maxChars` characters (word wrap) for images and scans, which draw line by line. */
export function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && candidate.length > maxChars) {
      lines.push(current);
      current = word;
    } else current = candidate;
  }
  if (current) lines.push(current);
  return lines;
}

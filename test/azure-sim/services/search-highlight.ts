/** Hit highlighting and sentence picking shared by highlights, captions and answers. */
import { fieldText } from './search-index-store';
import { tokenize } from './search-text';

export interface Tags {
  readonly pre: string;
  readonly post: string;
}

export const DEFAULT_TAGS: Tags = { pre: '<em>', post: '</em>' };
const MAX_FRAGMENTS = 5;

/** Sentences (or lines) of a text. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Wraps every token of `text` whose term is in `terms` in the tags. */
export function markTerms(text: string, terms: ReadonlySet<string>, stem: boolean, tags: Tags): string {
  let out = '';
  let last = 0;
  for (const token of tokenize(text, stem)) {
    if (!terms.has(token.term)) continue;
    out += text.slice(last, token.start) + tags.pre + text.slice(token.start, token.end) + tags.post;
    last = token.end;
  }
  return out + text.slice(last);
}

/** How many distinct query terms a text contains. */
export function termHits(text: string, terms: ReadonlySet<string>, stem: boolean): number {
  const found = new Set<string>();
  for (const token of tokenize(text, stem)) if (terms.has(token.term)) found.add(token.term);
  return found.size;
}

/** `@search.highlights` fragments of one field value (undefined when nothing matched). */
export function highlightField(
  value: unknown,
  terms: ReadonlySet<string>,
  stem: boolean,
  tags: Tags,
): string[] | undefined {
  const fragments: string[] = [];
  const parts = Array.isArray(value) ? value.map(fieldText) : [fieldText(value)];
  for (const part of parts) {
    for (const sentence of sentences(part)) {
      if (fragments.length >= MAX_FRAGMENTS) break;
      if (termHits(sentence, terms, stem) > 0) fragments.push(markTerms(sentence, terms, stem, tags));
    }
  }
  return fragments.length > 0 ? fragments : undefined;
}

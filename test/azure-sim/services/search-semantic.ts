/**
 * The semantic ranker, simulated deterministically: `@search.rerankerScore` (0–4) from how much
 * of the query the prioritized fields cover (title weighs most, keywords least), extractive
 * captions (the best sentence) and answers (sentences above the threshold).
 */

import { DEFAULT_TAGS, markTerms, sentences, termHits } from './search-highlight';
import type { SemanticConfig } from './search-index-schema';
import type { StoredDocument } from './search-index-store';
import { fieldText } from './search-index-store';
import type { Scored } from './search-ranking';
import { tokenize } from './search-text';

const STOPWORDS = new Set(
  'a an and are as at be by can do does for from has have how i in is it its of on or that the this to was what when where which who why will with'.split(
    ' ',
  ),
);
/** The semantic ranker considers the top 50 results of the base query. */
export const SEMANTIC_RERANK_WINDOW = 50;

export interface SemanticOptions {
  readonly config: SemanticConfig;
  readonly queryText: string;
  /** `captions: "extractive|highlight-true"` parsed; undefined when not asked. */
  readonly captions: { readonly highlight: boolean } | undefined;
  /** `answers: "extractive|count-3,threshold-0.7"` parsed; undefined when not asked. */
  readonly answers: { readonly count: number; readonly threshold: number } | undefined;
}

export interface RerankedResult extends Scored {
  readonly rerankerScore: number;
  readonly captions?: { text: string; highlights: string | null }[];
}

export interface Answer {
  key: string;
  text: string;
  highlights: string | null;
  score: number;
}

/** `extractive|count-3,threshold-0.7` and `extractive|highlight-false` style options. */
export function parseSemanticOption(value: unknown): Map<string, string> | undefined {
  if (typeof value !== 'string' || !value.toLowerCase().startsWith('extractive')) return undefined;
  const options = new Map<string, string>();
  const rest = value.split('|')[1] ?? '';
  for (const part of rest.split(',')) {
    const [name, setting] = part.split('-');
    if (name && setting !== undefined) options.set(name.trim().toLowerCase(), setting.trim());
  }
  return options;
}

function queryTermSet(text: string): Set<string> {
  return new Set(
    tokenize(text, true)
      .map((t) => t.term)
      .filter((t) => !STOPWORDS.has(t)),
  );
}

function coverage(text: string, terms: ReadonlySet<string>): number {
  return terms.size === 0 ? 0 : termHits(text, terms, true) / terms.size;
}

function contentText(doc: StoredDocument, config: SemanticConfig): string {
  return config.contentFields.map((f) => fieldText(doc.values[f])).join('\n');
}

function bestSentence(doc: StoredDocument, config: SemanticConfig, terms: ReadonlySet<string>) {
  let best: { text: string; score: number } | undefined;
  for (const sentence of sentences(contentText(doc, config))) {
    const score = coverage(sentence, terms);
    if (!best || score > best.score) best = { text: sentence, score };
  }
  return best;
}

/** Reranks the window of base results and attaches captions when asked. */
export function rerank(results: readonly Scored[], options: SemanticOptions): RerankedResult[] {
  const terms = queryTermSet(options.queryText);
  const { config } = options;
  return results
    .slice(0, SEMANTIC_RERANK_WINDOW)
    .map((result) => {
      const title = config.titleField ? coverage(fieldText(result.doc.values[config.titleField]), terms) : 0;
      const content = coverage(contentText(result.doc, config), terms);
      const keywords = coverage(
        config.keywordFields.map((f) => fieldText(result.doc.values[f])).join('\n'),
        terms,
      );
      const combined = (1.5 * title + content + 0.5 * keywords) / 3;
      // A small share of the base score breaks ties between equally covered documents.
      const rerankerScore = Math.min(4, 4 * combined ** 0.7 + Math.min(0.05, result.score / 100));
      const reranked: RerankedResult = { ...result, rerankerScore };
      if (!options.captions) return reranked;
      const sentence = bestSentence(result.doc, config, terms);
      const captions = sentence
        ? [
            {
              text: sentence.text,
              highlights: options.captions.highlight
                ? markTerms(sentence.text, terms, true, DEFAULT_TAGS)
                : null,
            },
          ]
        : [];
      return { ...reranked, captions };
    })
    .sort((a, b) => b.rerankerScore - a.rerankerScore);
}

/** Extractive answers: best sentences of the top documents whose coverage clears the threshold. */
export function extractAnswers(results: readonly RerankedResult[], options: SemanticOptions): Answer[] {
  if (!options.answers) return [];
  const terms = queryTermSet(options.queryText);
  const answers: Answer[] = [];
  for (const result of results) {
    const sentence = bestSentence(result.doc, options.config, terms);
    if (!sentence || sentence.score < options.answers.threshold) continue;
    answers.push({
      key: result.doc.key,
      text: sentence.text,
      highlights: markTerms(sentence.text, terms, true, DEFAULT_TAGS),
      score: sentence.score,
    });
    if (answers.length >= options.answers.count) break;
  }
  return answers;
}

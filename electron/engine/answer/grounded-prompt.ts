/**
 * The grounded prompt: the question and the retrieved passages as numbered sources [1], [2], ...,
 * within the model's context window. Room is kept for the answer; when the passages do not all
 * fit, the lowest-ranked go first (the last one that partly fits is cut to the room left).
 */
import type { SearchResult } from '../../contract/model';
import { countTokens, decodeTokens, encodeTokens } from '../pipeline/token-count';
import type { ChatMessage } from './answerer';

/** A retrieved passage: the search hit (for the citation) and the chunk's full text. */
export interface RetrievedPassage {
  hit: SearchResult;
  text: string;
}

export interface PromptBudget {
  /** The model's window: prompt and answer together. */
  contextTokens: number;
  /** Room wanted for the answer (capped at a quarter of the window). */
  maxAnswerTokens?: number;
}

export interface GroundedPrompt {
  messages: ChatMessage[];
  /** The sources in the prompt: `sources[n - 1]` is the one numbered [n]. */
  sources: RetrievedPassage[];
  /** Passages left out because they did not fit. */
  dropped: number;
  promptTokens: number;
  maxAnswerTokens: number;
}

export const DEFAULT_MAX_ANSWER_TOKENS = 1_000;
/** OpenAI's chat format: a few tokens per message, a few to prime the reply. */
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING_TOKENS = 3;
/** Quarry counts with cl100k; the model's own tokenizer may count a little more. */
const SAFETY_RATIO = 0.05;
/** A cut passage shorter than this is not worth its header. */
const MIN_PARTIAL_PASSAGE_TOKENS = 64;

export const SYSTEM_PROMPT = [
  "You answer questions using only the numbered sources below: passages from the user's own files.",
  'After every claim, cite the source it comes from by its number in square brackets, like [1] or [2][3].',
  'Cite only numbers that appear in the source list.',
  'If the sources do not contain the answer, say so plainly instead of guessing.',
  'Answer in the language of the question, concisely.',
].join('\n');

export function buildGroundedPrompt(
  question: string,
  passages: readonly RetrievedPassage[],
  budget: PromptBudget,
): GroundedPrompt {
  const maxAnswerTokens = Math.max(
    16,
    Math.min(budget.maxAnswerTokens ?? DEFAULT_MAX_ANSWER_TOKENS, Math.floor(budget.contextTokens / 4)),
  );
  const questionPart = `Question: ${question.trim()}`;
  const fixed =
    countTokens(SYSTEM_PROMPT) +
    countTokens(`Sources:\n\n\n\n${questionPart}`) +
    2 * TOKENS_PER_MESSAGE +
    REPLY_PRIMING_TOKENS;
  let room = budget.contextTokens - maxAnswerTokens - Math.ceil(budget.contextTokens * SAFETY_RATIO) - fixed;
  const sources: RetrievedPassage[] = [];
  const blocks: string[] = [];
  for (const passage of passages) {
    const header = `[${sources.length + 1}] ${describeSource(passage.hit)}`;
    const headerTokens = countTokens(header) + 2;
    const body = neutraliseCitations(passage.text.trim());
    const bodyTokens = countTokens(body);
    if (headerTokens + bodyTokens <= room) {
      blocks.push(`${header}\n${body}`);
      sources.push(passage);
      room -= headerTokens + bodyTokens;
      continue;
    }
    const left = room - headerTokens;
    if (left >= MIN_PARTIAL_PASSAGE_TOKENS) {
      blocks.push(`${header}\n${truncateToTokens(body, left)}`);
      sources.push(passage);
    }
    break;
  }
  const user = `Sources:\n\n${blocks.join('\n\n')}\n\n${questionPart}`;
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: user },
  ];
  const promptTokens =
    messages.reduce((sum, message) => sum + countTokens(message.content) + TOKENS_PER_MESSAGE, 0) +
    REPLY_PRIMING_TOKENS;
  return { messages, sources, dropped: passages.length - sources.length, promptTokens, maxAnswerTokens };
}

/** `report.pdf, page 3` — what the model (and the person reading citations) knows a source by. */
export function describeSource(hit: Pick<SearchResult, 'sourceName' | 'page'>): string {
  return hit.page === null ? hit.sourceName : `${hit.sourceName}, page ${hit.page}`;
}

/**
 * Reference marks inside documents ("as shown in [12]") would read as citations of our sources:
 * they become "(12)", and no line of a passage can look like a source header.
 */
export function neutraliseCitations(text: string): string {
  return text.replace(/\[(\s*\d+(?:\s*[-–,;]\s*\d+)*\s*)\]/gu, '($1)');
}

function truncateToTokens(text: string, maxTokens: number): string {
  const tokens = encodeTokens(text);
  if (tokens.length <= maxTokens) return text;
  // A cut inside a character decodes to U+FFFD: drop it.
  return `${decodeTokens(tokens.slice(0, maxTokens)).replace(/\uFFFD+$/u, '')}…`;
}

/**
 * The two chat refusals that need their own advice, recognised by the service's machine code
 * (`error.code` in the OpenAI envelope), never by message text.
 */
import { QuarryError } from '../../contract/errors';

export interface ChatRefusalContext {
  /** Who answers, e.g. `Azure OpenAI deployment "gpt-4o-mini"`. */
  label: string;
  /** The context window Quarry assumed, for the advice. */
  contextTokens: number;
  /** The HTTP status the service sent (400 for both refusals). */
  status: number | undefined;
  requestId?: string | undefined;
  cause: unknown;
}

/** The refusal for a service error code, or undefined when the code needs no special message. */
export function chatRefusal(code: string | undefined, context: ChatRefusalContext): QuarryError | undefined {
  const ids = context.requestId ? { requestId: context.requestId } : {};
  if (code === 'context_length_exceeded') {
    return new QuarryError(
      'invalid_input',
      `The question and its sources do not fit the context window of ${context.label} (Quarry assumed ` +
        `${context.contextTokens} tokens). Set QUARRY_CHAT_CONTEXT_TOKENS to the model's real window, ` +
        'or ask with fewer sources (--top).',
      { reason: 'context_length_exceeded', retryable: false, ...ids, cause: context.cause },
    );
  }
  if (code === 'content_filter') {
    return new QuarryError(
      'invalid_input',
      `The content filter of ${context.label} refused the question or its sources` +
        `${context.status ? ` (HTTP ${context.status})` : ''}. Rephrase the question, or ask about other files.`,
      { reason: 'content_filter', retryable: false, ...ids, cause: context.cause },
    );
  }
  return undefined;
}

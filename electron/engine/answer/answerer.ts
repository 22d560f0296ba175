/**
 * The `Answerer` provider (DESIGN.md "Providers are interfaces"): streams a chat model's answer
 * to a grounded prompt. Azure OpenAI and any OpenAI-compatible server (Ollama, LM Studio)
 * implement it; the ask flow sees only this interface.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Tokens as the service reported them (Azure may not report them on a stream). */
export interface ReportedUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface AnswerRequest {
  messages: ChatMessage[];
  /** Upper bound on the answer's tokens (`max_tokens`). */
  maxAnswerTokens: number;
  /** The prompt's tokens as Quarry counted them, for token-per-minute pacing. */
  promptTokens: number;
}

export interface AnswerStreamOptions {
  abortSignal?: AbortSignal;
  /** Called with each piece of answer text as it arrives. */
  onDelta(text: string): void;
}

/**
 * How a stream that reached its end ended: `stop` (the model finished) or `length` (it hit
 * `maxAnswerTokens`). Truncated streams, content-filter stops and aborts are thrown as QuarryErrors.
 */
export interface AnswerStreamEnd {
  finishReason: 'stop' | 'length';
  usage: ReportedUsage | null;
}

export interface Answerer {
  /** The deployment or model name, for messages. */
  readonly model: string;
  /** Tokens the model reads and writes in one request (prompt + answer). */
  readonly contextTokens: number;
  /**
   * Streams the answer, calling `onDelta` as text arrives. Rejects with a QuarryError: `cancelled`
   * when aborted, `network` (reason `stream_truncated`) when the stream broke off, `invalid_input`
   * (reason `content_filter` / `context_length_exceeded`), throttling codes, and so on. Text
   * already passed to `onDelta` stays valid: the caller keeps it as a partial answer.
   */
  stream(request: AnswerRequest, options: AnswerStreamOptions): Promise<AnswerStreamEnd>;
}

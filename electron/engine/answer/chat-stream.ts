/**
 * Reads an OpenAI-style chat completion stream (Azure OpenAI and OpenAI-compatible servers): text
 * deltas out as they come, then how it ended. Tolerates Azure's extras (an empty-choices first
 * event with prompt filter results, per-chunk filter results) and tells a finished stream from
 * one that broke off: only a chunk with a `finish_reason` proves the model got to the end.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { QuarryError } from '../../contract/errors';
import type { AnswerStreamEnd, AnswerStreamOptions, ReportedUsage } from './answerer';

export interface ReadChatStreamOptions extends AnswerStreamOptions {
  /** Who answers, for messages: e.g. `Azure OpenAI deployment "gpt-4o-mini"`. */
  label: string;
  /** Maps what the iteration threw (socket errors, service error events) into a QuarryError. */
  mapError(error: unknown): QuarryError;
  /** Ends the HTTP request under the stream (the SDK's `stream.controller.abort()`). */
  cancel?: () => void;
  /** A stream silent this long has stalled: it is cancelled and reported as broken. Default 60 s. */
  idleTimeoutInMs?: number;
}

const DEFAULT_IDLE_TIMEOUT_IN_MS = 60_000;

export async function readChatStream(
  stream: AsyncIterable<ChatCompletionChunk>,
  options: ReadChatStreamOptions,
): Promise<AnswerStreamEnd> {
  let finishReason: string | null = null;
  let usage: ReportedUsage | null = null;
  let delivered = false;
  // The SDK's timeout ends when the response starts; a body that stops flowing needs its own.
  const idle = new IdleWatch(options.idleTimeoutInMs ?? DEFAULT_IDLE_TIMEOUT_IN_MS, () => options.cancel?.());
  try {
    for await (const chunk of stream) {
      idle.poke();
      const reported = usageOf(chunk);
      if (reported) usage = reported;
      // Azure's first event has no choices (prompt filter results only); so does the usage chunk.
      for (const choice of chunk.choices ?? []) {
        if (choice.index !== 0) continue;
        const text = choice.delta?.content;
        if (text) {
          delivered = true;
          options.onDelta(text);
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
    }
  } catch (error) {
    if (options.abortSignal?.aborted) throw stopped(options.abortSignal);
    if (!idle.fired) throw afterDelivery(broken(options.mapError(error), options.label), delivered);
  } finally {
    idle.stop();
  }
  // The SDK ends the iteration quietly when the request is aborted.
  if (options.abortSignal?.aborted) throw stopped(options.abortSignal);
  if (idle.fired) {
    throw afterDelivery(
      new QuarryError(
        'network',
        `The answer from ${options.label} broke off: nothing arrived for ${Math.round(idle.timeoutInMs / 1000)} s. The text so far is kept.`,
        { reason: 'stream_truncated', retryable: true },
      ),
      delivered,
    );
  }
  if (finishReason === null) {
    throw afterDelivery(
      new QuarryError(
        'network',
        `The answer from ${options.label} broke off: the stream ended before the model finished. The text so far is kept.`,
        { reason: 'stream_truncated', retryable: true },
      ),
      delivered,
    );
  }
  if (finishReason === 'content_filter') {
    throw new QuarryError(
      'invalid_input',
      `The content filter of ${options.label} stopped the answer. Rephrase the question, or ask about other files.`,
      { reason: 'content_filter', retryable: false },
    );
  }
  return { finishReason: finishReason === 'length' ? 'length' : 'stop', usage };
}

function usageOf(chunk: ChatCompletionChunk): ReportedUsage | null {
  const usage = chunk.usage;
  if (!usage || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') {
    return null;
  }
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
  };
}

/** A failure while reading the body is a broken stream, whatever the socket said. */
function broken(error: QuarryError, label: string): QuarryError {
  if (error.code !== 'network') return error;
  return new QuarryError('network', `The answer from ${label} broke off: ${error.message}`, {
    reason: 'stream_truncated',
    retryable: error.retryable,
    ...(error.requestId ? { requestId: error.requestId } : {}),
    cause: error,
  });
}

/**
 * Once text has been shown, the request must not be retried (the answer would start over on top
 * of itself): the limiter retries only retryable errors.
 */
function afterDelivery(error: QuarryError, delivered: boolean): QuarryError {
  if (!delivered || !error.retryable) return error;
  return new QuarryError(error.code, error.message, {
    retryable: false,
    ...(error.requestId ? { requestId: error.requestId } : {}),
    ...(error.reason ? { reason: error.reason } : {}),
    cause: error,
  });
}

/** Fires `onIdle` once when `poke` has not been called for `timeoutInMs`. */
class IdleWatch {
  fired = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly timeoutInMs: number,
    private readonly onIdle: () => void,
  ) {
    this.poke();
  }

  poke(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.onIdle();
    }, this.timeoutInMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export function stopped(signal: AbortSignal): QuarryError {
  return new QuarryError('cancelled', 'Stopped before the answer was finished.', {
    reason: 'stopped',
    retryable: false,
    cause: signal.reason,
  });
}

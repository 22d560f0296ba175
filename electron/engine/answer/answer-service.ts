/**
 * The `ask` flow: retrieve with the search mode asked for, build a grounded prompt within the
 * model's window, stream the answer (`answer.delta` events, batched briefly), then `answer.done`
 * with the citations the answer actually makes. `ask` returns its id at once; `stop` aborts the
 * model request, and whatever text had arrived is kept as a partial answer.
 */
import { randomUUID } from 'node:crypto';
import type { AnswerDone, EngineEvent, ParsedCallInput } from '../../contract/api';
import { QuarryError, toErrorInfo } from '../../contract/errors';
import type { AnswerUsage } from '../../contract/model';
import type { Backend } from '../backend';
import { countTokens } from '../pipeline/token-count';
import type { Answerer, ReportedUsage } from './answerer';
import { stopped } from './chat-stream';
import { citationsFor } from './citations';
import { DeltaBatcher } from './delta-batcher';
import { buildGroundedPrompt, type RetrievedPassage } from './grounded-prompt';
import { retrievePassages } from './retrieval';

export interface AnswerServiceOptions {
  backend: () => Promise<Backend>;
  /** Sends an answer event to every listener now (not through the file-progress coalescer). */
  emit: (event: Extract<EngineEvent, { type: 'answer.delta' | 'answer.done' }>) => void;
  /** Tokens arriving within this window share one `answer.delta` event. Default 30 ms. */
  deltaFlushIntervalInMs?: number;
  /** Room kept for the answer (default: grounded-prompt's). */
  maxAnswerTokens?: number;
}

export interface AnswerService {
  /** Starts answering; fails at once (`unsupported`) when no chat model is configured. */
  ask(input: ParsedCallInput<'ask'>): Promise<{ askId: string }>;
  /** Stops a running answer; false when it had already finished or is unknown. */
  stop(askId: string): { stopped: boolean };
  /** Stops every running answer and waits until each has sent its `answer.done`. */
  close(): Promise<void>;
}

interface RunningAnswer {
  controller: AbortController;
  done: Promise<void>;
}

export function createAnswerService(options: AnswerServiceOptions): AnswerService {
  const running = new Map<string, RunningAnswer>();
  const flushIntervalInMs = options.deltaFlushIntervalInMs ?? 30;
  let closed = false;

  async function answer(
    askId: string,
    input: ParsedCallInput<'ask'>,
    backend: Backend,
    answerer: Answerer,
    abortSignal: AbortSignal,
  ): Promise<void> {
    let text = '';
    let sources: RetrievedPassage[] = [];
    let notice: string | null = null;
    let promptTokens: number | null = null;
    let reported: ReportedUsage | null = null;
    let failure: QuarryError | null = null;
    const deltas = new DeltaBatcher(
      (chunk) => options.emit({ type: 'answer.delta', askId, text: chunk }),
      flushIntervalInMs,
    );
    try {
      const retrieval = await retrievePassages(backend, input, { abortSignal });
      notice = retrieval.notice;
      if (retrieval.passages.length === 0) throw noSources();
      const prompt = buildGroundedPrompt(input.question, retrieval.passages, {
        contextTokens: answerer.contextTokens,
        ...(options.maxAnswerTokens ? { maxAnswerTokens: options.maxAnswerTokens } : {}),
      });
      if (prompt.sources.length === 0) throw noRoom(answerer);
      sources = prompt.sources;
      promptTokens = prompt.promptTokens;
      const end = await answerer.stream(
        { messages: prompt.messages, maxAnswerTokens: prompt.maxAnswerTokens, promptTokens },
        {
          abortSignal,
          onDelta: (piece) => {
            text += piece;
            deltas.push(piece);
          },
        },
      );
      reported = end.usage;
      if (end.finishReason === 'length') failure = cutAtLength(prompt.maxAnswerTokens);
    } catch (error) {
      failure = abortSignal.aborted ? abortReason(abortSignal) : asQuarryError(error);
    }
    deltas.flush();
    const done: AnswerDone = {
      askId,
      answer: text,
      citations: citationsFor(text, sources),
      usage: usageOf(reported, promptTokens, text),
      partial: failure !== null && text.length > 0,
      ...(failure ? { error: failure.toInfo() } : {}),
      notice,
    };
    options.emit({ type: 'answer.done', ...done });
  }

  return {
    async ask(input) {
      if (closed) throw new QuarryError('cancelled', 'Quarry is shutting down.');
      const backend = await options.backend();
      const answerer = backend.answerer;
      if (!answerer) {
        throw new QuarryError(
          'unsupported',
          backend.answerUnavailableReason ?? 'Answers need a chat model, and none is configured.',
          { reason: 'no_chat_model' },
        );
      }
      const askId = randomUUID();
      const controller = new AbortController();
      // Started on the next turn, so the caller has the id before the first event.
      const done = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => answer(askId, input, backend, answerer, controller.signal))
        .finally(() => running.delete(askId));
      running.set(askId, { controller, done });
      return { askId };
    },

    stop(askId) {
      const entry = running.get(askId);
      if (!entry || entry.controller.signal.aborted) return { stopped: false };
      entry.controller.abort(
        new QuarryError('cancelled', 'Stopped before the answer was finished.', { reason: 'stopped' }),
      );
      return { stopped: true };
    },

    async close() {
      closed = true;
      const entries = [...running.values()];
      for (const entry of entries) {
        entry.controller.abort(
          new QuarryError('cancelled', 'Quarry is shutting down.', { reason: 'closed' }),
        );
      }
      await Promise.all(entries.map((entry) => entry.done));
    },
  };
}

function usageOf(
  reported: ReportedUsage | null,
  promptTokens: number | null,
  answer: string,
): AnswerUsage | null {
  if (reported) return { ...reported, estimated: false };
  // No request reached the model: nothing was used.
  if (promptTokens === null) return null;
  const completionTokens = countTokens(answer);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
}

function abortReason(signal: AbortSignal): QuarryError {
  return signal.reason instanceof QuarryError ? signal.reason : stopped(signal);
}

function asQuarryError(error: unknown): QuarryError {
  return error instanceof QuarryError ? error : QuarryError.fromInfo(toErrorInfo(error));
}

function noSources(): QuarryError {
  return new QuarryError(
    'invalid_input',
    'Nothing in the index matches this question, so there is nothing to answer from. Ingest files first, or ask in other words.',
    { reason: 'no_sources' },
  );
}

function noRoom(answerer: Answerer): QuarryError {
  return new QuarryError(
    'invalid_input',
    `The context window of ${answerer.model} (${answerer.contextTokens} tokens) leaves no room for any source. ` +
      "Set QUARRY_CHAT_CONTEXT_TOKENS to the model's real window.",
    { reason: 'context_length_exceeded' },
  );
}

function cutAtLength(maxAnswerTokens: number): QuarryError {
  return new QuarryError(
    'service',
    `The answer reached its length limit (${maxAnswerTokens} tokens) and was cut off.`,
    { reason: 'answer_length', retryable: false },
  );
}

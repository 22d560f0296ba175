/**
 * The Azure OpenAI `Answerer`: chat completions on the configured chat deployment, streamed over
 * SSE through the `chat` limiter (which owns pacing, throttle pauses and retries; SDK retries are
 * off). The whole generation holds one limiter slot; a request is retried only while no text has
 * been shown.
 */
import type { AzureOpenAI } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { Stream } from 'openai/streaming';
import type { QuarryError } from '../../../contract/errors';
import type { Answerer, AnswerRequest, AnswerStreamEnd, AnswerStreamOptions } from '../../answer/answerer';
import { chatRefusal } from '../../answer/chat-errors';
import { readChatStream } from '../../answer/chat-stream';
import type { ServiceLimiter } from '../../pipeline/scheduler/types';
import type { OpenAiConfig } from './azure-config';
import { AzureServiceError, headerReader, toQuarryError } from './errors';
import { createAzureOpenAiClient } from './openai-client';

export interface AzureAnswererOptions {
  config: Pick<OpenAiConfig, 'endpoint' | 'auth' | 'apiVersion'>;
  deployment: string;
  limiter: ServiceLimiter;
  /** The deployment's context window in tokens (prompt + answer). */
  contextTokens: number;
  /** Per-attempt wait for the response to start (the stream itself may run longer). */
  timeoutInMs?: number;
  /** A stream silent this long is given up as broken (default: readChatStream's). */
  idleTimeoutInMs?: number;
}

/** Azure sends a usage chunk for `stream_options.include_usage` from api-version 2024-09-01 on. */
const FIRST_VERSION_WITH_STREAM_USAGE = '2024-09-01';

export function createAzureAnswerer(options: AzureAnswererOptions): Answerer {
  const client: AzureOpenAI = createAzureOpenAiClient({
    endpoint: options.config.endpoint,
    auth: options.config.auth,
    apiVersion: options.config.apiVersion,
    deployment: options.deployment,
    timeoutInMs: options.timeoutInMs ?? 120_000,
  });
  const label = `Azure OpenAI deployment "${options.deployment}"`;
  const context = {
    service: 'chat',
    resource: `deployment '${options.deployment}'`,
    endpoint: options.config.endpoint,
  };
  const includeUsage = streamsUsage(options.config.apiVersion);

  const toChatError = (error: unknown): QuarryError => {
    const mapped = toQuarryError(error, context);
    if (!(mapped instanceof AzureServiceError)) return mapped;
    return (
      chatRefusal(mapped.serviceCode, {
        label,
        contextTokens: options.contextTokens,
        status: mapped.status,
        requestId: mapped.requestId,
        cause: mapped,
      }) ?? mapped
    );
  };

  return {
    model: options.deployment,
    contextTokens: options.contextTokens,
    stream(request: AnswerRequest, streamOptions: AnswerStreamOptions): Promise<AnswerStreamEnd> {
      const body: ChatCompletionCreateParamsStreaming = {
        model: options.deployment,
        messages: request.messages,
        max_tokens: request.maxAnswerTokens,
        stream: true,
        ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
      };
      return options.limiter.run(
        async (signal) => {
          let stream: Stream<ChatCompletionChunk>;
          try {
            const { data, response } = await client.chat.completions.create(body, { signal }).withResponse();
            options.limiter.observeHeaders?.(headerReader(response.headers));
            stream = data;
          } catch (error) {
            throw toChatError(error);
          }
          return readChatStream(stream, {
            onDelta: streamOptions.onDelta,
            abortSignal: signal,
            label,
            mapError: toChatError,
            cancel: () => stream.controller.abort(),
            ...(options.idleTimeoutInMs ? { idleTimeoutInMs: options.idleTimeoutInMs } : {}),
          });
        },
        {
          tokens: request.promptTokens + request.maxAnswerTokens,
          ...(streamOptions.abortSignal ? { abortSignal: streamOptions.abortSignal } : {}),
        },
      );
    },
  };
}

/** Date-shaped api-versions before 2024-09-01 reject `stream_options`; `v1`/`preview` accept it. */
export function streamsUsage(apiVersion: string): boolean {
  const date = /^\d{4}-\d{2}-\d{2}/.exec(apiVersion)?.[0];
  return date === undefined || date >= FIRST_VERSION_WITH_STREAM_USAGE;
}

import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { setUpAnswerer } from '../../electron/engine/answer/answerer-setup';
import { readChatStream } from '../../electron/engine/answer/chat-stream';
import { DeltaBatcher } from '../../electron/engine/answer/delta-batcher';
import { createServiceLimiters } from '../../electron/engine/pipeline/scheduler/limiter-registry';
import { streamsUsage } from '../../electron/engine/providers/azure/azure-answerer';
import type { OpenAiConfig } from '../../electron/engine/providers/azure/azure-config';

type Choice = ChatCompletionChunk['choices'][number];

function chunk(choices: Partial<Choice>[], extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
    choices: choices.map((choice) => ({ index: 0, delta: {}, finish_reason: null, ...choice })),
    ...extra,
  };
}

/** Azure's first event: no choices, only prompt filter results. */
const PROMPT_FILTER_EVENT = { ...chunk([]), id: '', model: '', created: 0 } as ChatCompletionChunk;

async function* events(
  items: ChatCompletionChunk[],
  options: { thenThrow?: unknown } = {},
): AsyncIterable<ChatCompletionChunk> {
  for (const item of items) yield item;
  if (options.thenThrow !== undefined) throw options.thenThrow;
}

const mapError = (error: unknown): QuarryError =>
  error instanceof QuarryError
    ? error
    : new QuarryError('network', 'socket closed', { reason: 'connection' });

describe('reading a chat stream', () => {
  it("passes text on as it comes, skips Azure's empty-choices event and keeps the reported usage", async () => {
    const deltas: string[] = [];
    const end = await readChatStream(
      events([
        PROMPT_FILTER_EVENT,
        chunk([{ delta: { role: 'assistant', content: '' } }]),
        chunk([{ delta: { content: 'Forty' } }]),
        chunk([{ delta: { content: ' trees [1].' } }]),
        chunk([{ delta: {}, finish_reason: 'stop' }]),
        chunk([], { usage: { prompt_tokens: 50, completion_tokens: 6, total_tokens: 56 } }),
      ]),
      { label: 'the model', mapError, onDelta: (text) => deltas.push(text) },
    );
    expect(deltas).toEqual(['Forty', ' trees [1].']);
    expect(end).toEqual({
      finishReason: 'stop',
      usage: { promptTokens: 50, completionTokens: 6, totalTokens: 56 },
    });
  });

  it('reports a stream that ends without a finish reason as truncated, and a length cut as such', async () => {
    const cut = await readChatStream(events([PROMPT_FILTER_EVENT, chunk([{ delta: { content: 'Half' } }])]), {
      label: 'the model',
      mapError,
      onDelta: () => {},
    }).catch((error: unknown) => error);
    expect(cut).toMatchObject({ code: 'network', reason: 'stream_truncated', retryable: false });

    const nothingShown = await readChatStream(events([PROMPT_FILTER_EVENT]), {
      label: 'the model',
      mapError,
      onDelta: () => {},
    }).catch((error: unknown) => error);
    // Nothing was shown yet, so the limiter may try the request again.
    expect(nothingShown).toMatchObject({ code: 'network', reason: 'stream_truncated', retryable: true });

    const long = await readChatStream(
      events([chunk([{ delta: { content: 'x' }, finish_reason: 'length' }])]),
      {
        label: 'the model',
        mapError,
        onDelta: () => {},
      },
    );
    expect(long).toEqual({ finishReason: 'length', usage: null });
  });

  it('turns a socket error mid-stream into a broken-stream error that is not retried', async () => {
    const error = await readChatStream(
      events([chunk([{ delta: { content: 'Some' } }])], { thenThrow: new Error('terminated') }),
      { label: 'the model', mapError, onDelta: () => {} },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network', reason: 'stream_truncated', retryable: false });
    expect((error as Error).message).toContain('broke off');
  });

  it('maps a content-filter stop, and an abort (which the SDK ends quietly) to cancelled', async () => {
    const filtered = await readChatStream(
      events([chunk([{ delta: { content: 'A' } }]), chunk([{ finish_reason: 'content_filter' }])]),
      { label: 'the model', mapError, onDelta: () => {} },
    ).catch((e: unknown) => e);
    expect(filtered).toMatchObject({ code: 'invalid_input', reason: 'content_filter' });

    const controller = new AbortController();
    const stopped = await readChatStream(
      events([chunk([{ delta: { content: 'A' } }]), chunk([{ delta: { content: 'B' } }])]),
      {
        label: 'the model',
        mapError,
        abortSignal: controller.signal,
        onDelta: () => controller.abort(),
      },
    ).catch((e: unknown) => e);
    expect(stopped).toMatchObject({ code: 'cancelled', reason: 'stopped' });
  });
});

describe('a stream that stops flowing', () => {
  it('is cancelled after the idle timeout and reported as broken, keeping what arrived', async () => {
    let cancelled = false;
    let wake: () => void = () => {};
    async function* stalls(): AsyncIterable<ChatCompletionChunk> {
      yield chunk([{ delta: { content: 'Half an' } }]);
      // Like the SDK after an abort: the iteration just ends.
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    const deltas: string[] = [];
    const error = await readChatStream(stalls(), {
      label: 'the model',
      mapError,
      onDelta: (text) => deltas.push(text),
      idleTimeoutInMs: 40,
      cancel: () => {
        cancelled = true;
        wake();
      },
    }).catch((e: unknown) => e);
    expect(cancelled).toBe(true);
    expect(deltas).toEqual(['Half an']);
    expect(error).toMatchObject({ code: 'network', reason: 'stream_truncated', retryable: false });
    expect((error as Error).message).toContain('nothing arrived');
  });
});

describe('answer delta batching', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends tokens arriving within the interval as one event, and the rest on flush', () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const batcher = new DeltaBatcher((text) => sent.push(text), 30);
    batcher.push('The');
    batcher.push(' orchard');
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(30);
    expect(sent).toEqual(['The orchard']);
    batcher.push(' has');
    batcher.push('');
    batcher.flush();
    expect(sent).toEqual(['The orchard', ' has']);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
  });
});

describe('choosing the answerer', () => {
  const openai: OpenAiConfig = {
    endpoint: 'http://127.0.0.1:9',
    auth: { kind: 'key', key: 'k' },
    apiVersion: '2024-10-21',
    embeddingDeployment: 'text-embedding-3-small',
    chatDeployment: 'gpt-4o-mini',
    embeddingDimensions: 1536,
  };

  it('prefers the Azure chat deployment, sized by its known model or QUARRY_CHAT_CONTEXT_TOKENS', () => {
    const limiters = createServiceLimiters();
    try {
      const azure = setUpAnswerer({ env: {}, azure: { config: openai, limiter: limiters.get('chat') } });
      expect(azure.answerer).toMatchObject({ model: 'gpt-4o-mini', contextTokens: 128_000 });
      const custom = setUpAnswerer({
        env: { QUARRY_CHAT_CONTEXT_TOKENS: '32000' },
        azure: { config: { ...openai, chatDeployment: 'my-chat' }, limiter: limiters.get('chat') },
      });
      expect(custom.answerer).toMatchObject({ model: 'my-chat', contextTokens: 32_000 });
      const unknown = setUpAnswerer({
        env: {},
        azure: { config: { ...openai, chatDeployment: 'my-chat' }, limiter: limiters.get('chat') },
      });
      expect(unknown.answerer?.contextTokens).toBe(16_384);
    } finally {
      limiters.dispose();
    }
  });

  it('falls back to an OpenAI-compatible server, and explains what is missing otherwise', () => {
    const local = setUpAnswerer({
      env: { QUARRY_CHAT_ENDPOINT: 'http://127.0.0.1:11434/v1', QUARRY_CHAT_MODEL: 'llama3.1' },
    });
    expect(local.answerer).toMatchObject({ model: 'llama3.1', contextTokens: 4_096 });
    expect(local.unavailableReason).toBeNull();

    const none = setUpAnswerer({ env: {} });
    expect(none.answerer).toBeNull();
    expect(none.unavailableReason).toContain('Answers need a chat model');
    expect(none.unavailableReason).not.toContain('AZURE_OPENAI_CHAT_DEPLOYMENT');

    const bad = setUpAnswerer({
      env: {
        QUARRY_CHAT_ENDPOINT: 'http://127.0.0.1:1234/v1',
        QUARRY_CHAT_MODEL: 'm',
        QUARRY_CHAT_CONTEXT_TOKENS: 'lots',
      },
    });
    expect(bad.answerer).toBeNull();
    expect(bad.unavailableReason).toContain('QUARRY_CHAT_CONTEXT_TOKENS');
  });

  it('asks Azure for a usage chunk only on api-versions that accept stream_options', () => {
    expect(streamsUsage('2024-10-21')).toBe(true);
    expect(streamsUsage('2025-04-01-preview')).toBe(true);
    expect(streamsUsage('v1')).toBe(true);
    expect(streamsUsage('2024-06-01')).toBe(false);
    expect(streamsUsage('2024-02-15-preview')).toBe(false);
  });
});

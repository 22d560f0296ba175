import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { OpenAiDeployment, SimContext, SimResponse } from '../core/types';
import { answerFor, type ChatMessageText } from './openai-answer';
import { openAiStyleError } from './openai-errors';
import { chatTokens } from './openai-tokens';

/** Limits from quotas-limits.md. */
export const CHAT_LIMITS = { maxMessages: 2048, maxTools: 128 } as const;

const ContentPart = z.object({ type: z.string(), text: z.string().optional() }).passthrough();
const ChatMessage = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
    content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
  })
  .passthrough();

const ChatBody = z
  .object({
    messages: z.array(ChatMessage),
    max_tokens: z.number().int().positive().nullable().optional(),
    max_completion_tokens: z.number().int().positive().nullable().optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
    tools: z.array(z.unknown()).optional(),
    model: z.string().optional(),
  })
  .passthrough();

export interface ChatRequest {
  readonly messages: readonly ChatMessageText[];
  readonly maxTokens: number | undefined;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  /** Prompt tokens as the service counts them (content + 3 per message + 3 priming). */
  readonly promptTokens: number;
}

function messageText(content: z.infer<typeof ChatMessage>['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((part) => part.text ?? '').join('\n');
}

export function parseChatRequest(json: unknown): { error: SimResponse } | ChatRequest {
  const parsed = ChatBody.safeParse(json);
  if (!parsed.success) {
    const param = parsed.error.issues[0]?.path.join('.') ?? 'messages';
    return { error: openAiStyleError(400, `Invalid value for '${param}'.`, { param }) };
  }
  const body = parsed.data;
  if (body.messages.length === 0) {
    return {
      error: openAiStyleError(
        400,
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        {
          param: 'messages',
          code: 'empty_array',
        },
      ),
    };
  }
  if (body.messages.length > CHAT_LIMITS.maxMessages) {
    return {
      error: openAiStyleError(
        400,
        `Invalid 'messages': array too long. Expected an array with maximum length ${CHAT_LIMITS.maxMessages}, but got an array with length ${body.messages.length} instead.`,
        { param: 'messages', code: 'array_above_max_length' },
      ),
    };
  }
  if ((body.tools?.length ?? 0) > CHAT_LIMITS.maxTools) {
    return {
      error: openAiStyleError(
        400,
        `Invalid 'tools': array too long. Expected an array with maximum length ${CHAT_LIMITS.maxTools}, but got an array with length ${body.tools?.length} instead.`,
        { param: 'tools', code: 'array_above_max_length' },
      ),
    };
  }
  const messages = body.messages.map((m) => ({ role: m.role, text: messageText(m.content) }));
  const promptTokens = messages.reduce((sum, m) => sum + chatTokens(m.text) + 3, 3);
  return {
    messages,
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
    stream: body.stream === true,
    includeUsage: body.stream_options?.include_usage === true,
    promptTokens,
  };
}

const SAFE = { filtered: false, severity: 'safe' } as const;
export const CONTENT_FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE } as const;
/** What Azure reports for a filtered piece (the category is the sim's choice). */
export const FILTERED_RESULTS = {
  ...CONTENT_FILTER_RESULTS,
  violence: { filtered: true, severity: 'high' },
} as const;

/** Default context window of a chat deployment (gpt-4o-mini). */
export const DEFAULT_CHAT_CONTEXT_TOKENS = 128_000;
const PROMPT_FILTER_RESULTS = [{ prompt_index: 0, content_filter_results: CONTENT_FILTER_RESULTS }];

interface Completion {
  readonly id: string;
  readonly created: number;
  readonly pieces: readonly string[];
  readonly finishReason: 'stop' | 'length' | 'content_filter';
  readonly completionTokens: number;
}

/** The answer cut into stream pieces (" word" style, as the service streams), capped at max tokens. */
export function completeChat(request: ChatRequest, nowMs: number): Completion {
  const answer = answerFor(request.messages);
  const pieces: string[] = [];
  let tokens = 0;
  let finishReason: Completion['finishReason'] = 'stop';
  for (const match of answer.matchAll(/\s*\S+/g)) {
    const pieceTokens = chatTokens(match[0]);
    if (request.maxTokens !== undefined && tokens + pieceTokens > request.maxTokens) {
      finishReason = 'length';
      break;
    }
    pieces.push(match[0]);
    tokens += pieceTokens;
  }
  return {
    id: `chatcmpl-${randomBytes(15).toString('base64url').slice(0, 29)}`,
    created: Math.floor(nowMs / 1000),
    pieces,
    finishReason,
    completionTokens: tokens,
  };
}

/** The completion as Azure's content filter cuts it: `keptPieces` pieces, then `content_filter`. */
export function filterCompletion(completion: Completion, keptPieces: number): Completion {
  const pieces = completion.pieces.slice(0, Math.max(0, keptPieces));
  return {
    ...completion,
    pieces,
    finishReason: 'content_filter',
    completionTokens: pieces.reduce((sum, piece) => sum + chatTokens(piece), 0),
  };
}

/**
 * Azure's 400 when the prompt (plus `max_tokens`) exceeds the model's window, as OpenAI words it
 * (kernel-memory#516 has the messages-only variant).
 */
export function contextLengthExceeded(request: ChatRequest, contextTokens: number): SimResponse | undefined {
  const requested = request.promptTokens + (request.maxTokens ?? 0);
  if (requested <= contextTokens) return undefined;
  const message =
    request.maxTokens === undefined
      ? `This model's maximum context length is ${contextTokens} tokens. However, your messages resulted in ${request.promptTokens} tokens. Please reduce the length of the messages.`
      : `This model's maximum context length is ${contextTokens} tokens. However, you requested ${requested} tokens (${request.promptTokens} in the messages, ${request.maxTokens} in the completion). Please reduce the length of the messages or completion.`;
  return openAiStyleError(400, message, { param: 'messages', code: 'context_length_exceeded' });
}

/** Azure's 400 for a prompt its content filter refuses (code `content_filter`, innererror RAI). */
export function promptFiltered(): SimResponse {
  return {
    status: 400,
    body: {
      kind: 'json',
      value: {
        error: {
          message:
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
          type: null,
          param: 'prompt',
          code: 'content_filter',
          status: 400,
          innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: FILTERED_RESULTS },
        },
      },
    },
  };
}

function usage(request: ChatRequest, completion: Completion) {
  return {
    completion_tokens: completion.completionTokens,
    prompt_tokens: request.promptTokens,
    total_tokens: request.promptTokens + completion.completionTokens,
  };
}

/** Non-streaming `chat.completion`, Azure's field set (keys sorted as the service sends them). */
export function chatCompletionBody(
  request: ChatRequest,
  completion: Completion,
  deployment: OpenAiDeployment,
): unknown {
  return {
    choices: [
      {
        content_filter_results:
          completion.finishReason === 'content_filter' ? FILTERED_RESULTS : CONTENT_FILTER_RESULTS,
        finish_reason: completion.finishReason,
        index: 0,
        logprobs: null,
        message: { content: completion.pieces.join(''), refusal: null, role: 'assistant' },
      },
    ],
    created: completion.created,
    id: completion.id,
    model: deployment.model,
    object: 'chat.completion',
    prompt_filter_results: PROMPT_FILTER_RESULTS,
    system_fingerprint: null,
    usage: usage(request, completion),
  };
}

function sse(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/**
 * SSE events as Azure sends them: the empty-choices prompt-filter event, a role chunk, one
 * chunk per piece (with content_filter_results), a finish chunk, optional usage, `[DONE]`.
 * `pace` runs before each content piece (per-token latency in the realistic profile).
 */
export async function* chatCompletionEvents(
  request: ChatRequest,
  completion: Completion,
  deployment: OpenAiDeployment,
  pace: () => Promise<void>,
): AsyncIterable<string> {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    choices,
    created: completion.created,
    id: completion.id,
    model: deployment.model,
    object: 'chat.completion.chunk',
    system_fingerprint: null,
    ...extra,
  });
  const choice = (delta: unknown, finishReason: string | null, filters: unknown) => ({
    content_filter_results: filters,
    delta,
    finish_reason: finishReason,
    index: 0,
    logprobs: null,
  });
  yield sse({
    choices: [],
    created: 0,
    id: '',
    model: '',
    object: '',
    prompt_filter_results: PROMPT_FILTER_RESULTS,
  });
  yield sse(chunk([choice({ content: '', role: 'assistant' }, null, {})]));
  for (const piece of completion.pieces) {
    await pace();
    yield sse(chunk([choice({ content: piece }, null, CONTENT_FILTER_RESULTS)]));
  }
  const finishFilters = completion.finishReason === 'content_filter' ? FILTERED_RESULTS : {};
  yield sse(chunk([choice({}, completion.finishReason, finishFilters)]));
  if (request.includeUsage) yield sse(chunk([], { usage: usage(request, completion) }));
  yield 'data: [DONE]\n\n';
}

/** Simulated generation time for a non-streamed completion. */
export function chatWork(ctx: SimContext, completionTokens: number): Promise<void> {
  return ctx.work('openai.chat', completionTokens);
}

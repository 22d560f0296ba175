import { z } from 'zod';
import type { OpenAiDeployment, SimContext, SimResponse } from '../core/types';
import { embedText, vectorToBase64 } from './openai-embedding-vector';
import { openAiStyleError } from './openai-errors';
import { decodeEmbeddingTokens, embeddingTokens } from './openai-tokens';

/** Limits from the protocol doc (quotas-limits.md and the v1 reference). */
export const EMBEDDING_LIMITS = {
  maxInputs: 2048,
  maxTokensPerInput: 8192,
  maxTokensPerRequest: 300_000,
} as const;

const EmbeddingsBody = z.object({
  input: z.union([
    z.string(),
    z.array(z.string()),
    z.array(z.number().int()),
    z.array(z.array(z.number().int())),
  ]),
  dimensions: z.number().int().optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
  input_type: z.string().optional(),
  model: z.string().optional(),
});

const INVALID_INPUT =
  "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";

/** Each input as text plus its token count. */
function normaliseInputs(input: z.infer<typeof EmbeddingsBody>['input']): { text: string; tokens: number }[] {
  if (typeof input === 'string') return [{ text: input, tokens: embeddingTokens(input) }];
  if (input.length === 0) return [];
  if (typeof input[0] === 'number') {
    const ids = input as number[];
    return [{ text: decodeEmbeddingTokens(ids), tokens: ids.length }];
  }
  if (typeof input[0] === 'string')
    return (input as string[]).map((text) => ({ text, tokens: embeddingTokens(text) }));
  return (input as number[][]).map((ids) => ({ text: decodeEmbeddingTokens(ids), tokens: ids.length }));
}

function isEmptyInput(input: z.infer<typeof EmbeddingsBody>['input']): boolean {
  if (typeof input === 'string') return input.length === 0;
  if (input.length === 0) return true;
  return input.some((item) =>
    typeof item === 'string' ? item.length === 0 : Array.isArray(item) && item.length === 0,
  );
}

/** Validates inputs and `dimensions`; returns an error reply or the work to do. */
function validate(
  body: z.infer<typeof EmbeddingsBody>,
  deployment: OpenAiDeployment,
): SimResponse | { inputs: { text: string; tokens: number }[]; dimensions: number } {
  if (isEmptyInput(body.input)) return openAiStyleError(400, INVALID_INPUT);
  const itemCount = Array.isArray(body.input) && typeof body.input[0] !== 'number' ? body.input.length : 1;
  if (itemCount > EMBEDDING_LIMITS.maxInputs) {
    return openAiStyleError(
      400,
      `Too many inputs. The max number of inputs is ${EMBEDDING_LIMITS.maxInputs}.  We hope to increase the number of inputs per request soon. Please contact us through an Azure support request at: https://go.microsoft.com/fwlink/?linkid=2213926 for further questions.`,
    );
  }
  const inputs = normaliseInputs(body.input);
  const longest = inputs.reduce((max, item) => Math.max(max, item.tokens), 0);
  if (longest > EMBEDDING_LIMITS.maxTokensPerInput) {
    return openAiStyleError(
      400,
      `This model's maximum context length is ${EMBEDDING_LIMITS.maxTokensPerInput} tokens, however you requested ${longest} tokens (${longest} in your prompt; 0 for the completion). Please reduce your prompt; or completion length.`,
    );
  }
  const total = inputs.reduce((sum, item) => sum + item.tokens, 0);
  if (total > EMBEDDING_LIMITS.maxTokensPerRequest) {
    return openAiStyleError(
      400,
      `Requested ${total} tokens, max ${EMBEDDING_LIMITS.maxTokensPerRequest} tokens per request`,
      { code: 'max_tokens_per_request' },
    );
  }
  const native = deployment.dimensions ?? 1536;
  if (body.dimensions !== undefined) {
    if (!deployment.model.startsWith('text-embedding-3')) {
      return openAiStyleError(400, 'This model does not support specifying dimensions.');
    }
    if (body.dimensions < 1 || body.dimensions > native) {
      return openAiStyleError(
        400,
        `Invalid value for 'dimensions' = ${body.dimensions}. Must be between 1 and ${native}.`,
        { param: 'dimensions' },
      );
    }
  }
  return { inputs, dimensions: body.dimensions ?? native };
}

/** POST …/embeddings for one deployment; quota already resolved by the caller. */
export function parseEmbeddingsRequest(
  json: unknown,
  deployment: OpenAiDeployment,
):
  | { error: SimResponse }
  | { inputs: { text: string; tokens: number }[]; dimensions: number; base64: boolean } {
  const parsed = EmbeddingsBody.safeParse(json);
  if (!parsed.success) return { error: openAiStyleError(400, INVALID_INPUT, { param: 'input' }) };
  const checked = validate(parsed.data, deployment);
  if ('status' in checked) return { error: checked };
  return { ...checked, base64: parsed.data.encoding_format === 'base64' };
}

/** The 200 body: one embedding per input, float array or base64 float32. */
export function embeddingsResponseBody(
  inputs: readonly { text: string; tokens: number }[],
  deployment: OpenAiDeployment,
  dimensions: number,
  base64: boolean,
): unknown {
  const native = deployment.dimensions ?? 1536;
  const tokens = inputs.reduce((sum, item) => sum + item.tokens, 0);
  return {
    object: 'list',
    data: inputs.map((item, index) => {
      const vector = embedText(item.text, native, dimensions);
      return { object: 'embedding', index, embedding: base64 ? vectorToBase64(vector) : Array.from(vector) };
    }),
    model: deployment.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

/** Simulated model time for the batch. */
export function embeddingsWork(ctx: SimContext, tokens: number): Promise<void> {
  return ctx.work('openai.embeddings', tokens);
}

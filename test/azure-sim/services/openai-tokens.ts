import { countTokens as countCl100k, decode as decodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

/** Special-token strings in user text are ordinary text to the service, so allow none as special. */
const plainText = { disallowedSpecial: new Set<string>() };

/** Token count as the embedding models (cl100k_base) see it. */
export function embeddingTokens(text: string): number {
  return countCl100k(text, plainText);
}

/** Token ids (the `input` may be pre-tokenised) back to text, for the embedding vector. */
export function decodeEmbeddingTokens(tokens: readonly number[]): string {
  try {
    return decodeCl100k(tokens);
  } catch {
    return tokens.join(' ');
  }
}

/** Token count for chat models (gpt-4o family: o200k_base). */
export function chatTokens(text: string): number {
  return countO200k(text, plainText);
}

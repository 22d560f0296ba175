import { countTokens as countCl100kTokens, decode, encode } from 'gpt-tokenizer/encoding/cl100k_base';

/** Special-token markers inside documents are ordinary text here, never control tokens. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens of `text` in cl100k_base, the encoding of OpenAI's text-embedding-3 models. */
export function countTokens(text: string): number {
  return countCl100kTokens(text, PLAIN_TEXT);
}

export function encodeTokens(text: string): number[] {
  return encode(text, PLAIN_TEXT);
}

/** Text of tokens; a token sequence cut inside a character ends in U+FFFD. */
export function decodeTokens(tokens: readonly number[]): string {
  return decode(tokens);
}

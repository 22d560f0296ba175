/**
 * Token counts as the embedding models see them (cl100k_base for text-embedding-3-* and
 * ada-002), and cutting an over-long input to the per-input limit.
 */
import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';

export type EmbeddingEncoding = 'cl100k_base' | 'o200k_base';

/** Special-token markers inside documents are ordinary text to the service. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export interface TokenizedInput {
  text: string;
  tokens: number;
  /** True when the text was cut to the per-input limit. */
  truncated: boolean;
}

export class EmbeddingTokenizer {
  private readonly codec: typeof cl100k;

  constructor(encoding: EmbeddingEncoding = 'cl100k_base') {
    this.codec = encoding === 'o200k_base' ? o200k : cl100k;
  }

  count(text: string): number {
    return this.codec.countTokens(text, PLAIN_TEXT);
  }

  /** The text within `maxTokens` (cut at a token boundary), with its token count. */
  fit(text: string, maxTokens: number): TokenizedInput {
    // Cheap pre-check: a token is at least one character, so short texts need no full encode.
    if (text.length <= maxTokens) return { text, tokens: this.count(text), truncated: false };
    const tokens = this.codec.encode(text, PLAIN_TEXT);
    if (tokens.length <= maxTokens) return { text, tokens: tokens.length, truncated: false };
    // Re-encoding a decoded prefix can merge differently: shrink until it fits.
    let keep = maxTokens;
    for (;;) {
      const cut = this.codec.decode(tokens.slice(0, keep)).replace(/\uFFFD+$/u, '');
      const count = this.count(cut);
      if (count <= maxTokens || keep <= 1) return { text: cut, tokens: count, truncated: true };
      keep -= Math.max(1, count - maxTokens);
    }
  }
}

import { createHash } from 'node:crypto';
import type { Chunk, ExtractedDocument, TextBlock } from '../types';
import { splitByTokens, splitSentences, tailByTokens } from './text-splitting';
import { countTokens } from './token-count';

export interface ChunkOptions {
  sourcePath: string;
  contentHash: string;
  /** Upper bound of a chunk's size in cl100k tokens (overlap included). */
  targetTokens?: number;
  /** Tokens repeated from the end of the previous chunk on the same page. Default ~12% of the target. */
  overlapTokens?: number;
}

export const DEFAULT_TARGET_TOKENS = 500;
const DEFAULT_OVERLAP_RATIO = 0.12;
/** Cost of the blank line between two blocks. */
const BLOCK_SEPARATOR_TOKENS = 1;

/** Index key of a chunk: stable across runs, 32 hex chars (a valid Azure Search key). */
export function chunkId(sourcePath: string, contentHash: string, chunkIndex: number): string {
  return createHash('sha256')
    .update(`${sourcePath}\u0000${contentHash}\u0000${chunkIndex}`)
    .digest('hex')
    .slice(0, 32);
}

/** An indivisible unit of a chunk, with its token count computed once. */
interface Piece {
  text: string;
  tokens: number;
  kind: 'heading' | 'prose' | 'table';
  /** False when the piece continues the previous piece's block (text joins without a separator). */
  startsBlock: boolean;
  /** A whole paragraph that may still be cut into sentences to fill a chunk. */
  splittable: boolean;
  /** Index of the page block the piece comes from (for the chunk's regions). */
  block?: number;
}

/** What one page's packing produces: the text and which of the page's blocks it covers. */
interface PageChunk {
  content: string;
  blocks: ReadonlySet<number>;
}

function piece(text: string, kind: Piece['kind'], startsBlock: boolean, tokens = countTokens(text)): Piece {
  return { text, tokens, kind, startsBlock, splittable: false };
}

/** Sentences of a text; a sentence over the limit is cut by tokens (never inside a character). */
function sentencePieces(text: string, maxTokens: number, kind: Piece['kind'], startsBlock: boolean): Piece[] {
  const pieces: Piece[] = [];
  for (const sentence of splitSentences(text)) {
    const tokens = countTokens(sentence);
    const parts = tokens <= maxTokens ? [sentence] : splitByTokens(sentence, maxTokens);
    for (const part of parts) {
      const partTokens = parts.length === 1 ? tokens : countTokens(part);
      pieces.push(piece(part, kind, pieces.length === 0 && startsBlock, partTokens));
    }
  }
  return pieces;
}

/** A table larger than the target is split by rows; every part repeats the header row. */
function tablePieces(text: string, tokens: number, maxTokens: number): Piece[] {
  if (tokens <= maxTokens) return [piece(text, 'table', true, tokens)];
  const [header = '', ...rows] = text.split('\n');
  const headerTokens = countTokens(header);
  const rowBudget = maxTokens - headerTokens - BLOCK_SEPARATOR_TOKENS;
  if (rowBudget < maxTokens / 4) return sentencePieces(text, maxTokens, 'table', true); // header alone is huge
  const pieces: Piece[] = [];
  let group: string[] = [];
  let groupTokens = 0;
  const emit = () => {
    if (group.length > 0)
      pieces.push(piece([header, ...group].join('\n'), 'table', true, headerTokens + groupTokens));
    group = [];
    groupTokens = 0;
  };
  for (const row of rows) {
    const rowTokens = countTokens(row) + BLOCK_SEPARATOR_TOKENS;
    if (rowTokens > rowBudget) {
      // One row bigger than a chunk: it stands alone, cut into pieces.
      emit();
      pieces.push(...sentencePieces(row, maxTokens, 'table', true));
      continue;
    }
    if (groupTokens + rowTokens > rowBudget) emit();
    group.push(row);
    groupTokens += rowTokens;
  }
  emit();
  return pieces;
}

function blockPieces(block: TextBlock, maxTokens: number): Piece[] {
  const text = block.text.trim();
  if (!text) return [];
  const tokens = countTokens(text);
  if (block.kind === 'table') return tablePieces(text, tokens, maxTokens);
  const kind = block.kind === 'heading' ? 'heading' : 'prose';
  if (tokens > maxTokens) return sentencePieces(text, maxTokens, 'prose', true);
  return [{ ...piece(text, kind, true, tokens), splittable: kind === 'prose' }];
}

function render(pieces: readonly Piece[]): string {
  let content = '';
  for (const { text, startsBlock } of pieces) {
    if (!content) content = text;
    else if (startsBlock) content = `${content.trimEnd()}\n\n${text.trimStart()}`;
    else content += text;
  }
  return content.trim();
}

function cost(pieces: readonly Piece[], next: Piece): number {
  return next.tokens + (pieces.length > 0 && next.startsBlock ? BLOCK_SEPARATOR_TOKENS : 0);
}

function totalTokens(pieces: readonly Piece[]): number {
  let total = 0;
  for (let i = 0; i < pieces.length; i++)
    total += (pieces[i]?.tokens ?? 0) + (i > 0 && pieces[i]?.startsBlock ? 1 : 0);
  return total;
}

/** Trailing sentences of the chunk's last prose piece, within `maxTokens`; cut by tokens if needed. */
function overlapFrom(body: readonly Piece[], maxTokens: number): Piece[] {
  const last = body.at(-1);
  if (last?.kind !== 'prose' || maxTokens <= 0) return [];
  const sentences = splitSentences(last.text);
  const tail: Piece[] = [];
  let used = 0;
  for (let i = sentences.length - 1; i >= 0; i--) {
    const sentence = sentences[i] ?? '';
    const tokens = countTokens(sentence);
    if (used + tokens > maxTokens) break;
    tail.unshift(piece(sentence, 'prose', false, tokens));
    used += tokens;
  }
  if (tail.length === 0) {
    const text = tailByTokens(last.text, maxTokens);
    if (text.trim()) tail.push(piece(text, 'prose', false));
  }
  for (let i = 0; i < tail.length; i++) tail[i] = { ...(tail[i] as Piece), block: last.block };
  if (tail[0]) tail[0] = { ...tail[0], startsBlock: true };
  return tail;
}

/** Chunks of one page: greedy packing of pieces, headings kept with what follows, prose overlapping. */
function chunkPage(blocks: readonly TextBlock[], target: number, overlapTokens: number): PageChunk[] {
  // Work stack (reversed) so a whole paragraph can be replaced by its sentences in place.
  const stack: Piece[] = blocks
    .flatMap((block, index) => blockPieces(block, target).map((p) => ({ ...p, block: index })))
    .reverse();
  const contents: PageChunk[] = [];
  const emitChunk = (pieces: readonly Piece[]) =>
    contents.push({
      content: render(pieces),
      blocks: new Set(pieces.flatMap((p) => (p.block === undefined ? [] : [p.block]))),
    });
  let overlap: Piece[] = [];
  let body: Piece[] = [];

  const current = () => [...overlap, ...body];
  const flush = (next: Piece | undefined) => {
    // A heading never ends a chunk when it can open the next one together with its content.
    const carried: Piece[] = [];
    while (body.length > 1 && body.at(-1)?.kind === 'heading') {
      const heading = body.at(-1) as Piece;
      if (next && totalTokens([heading, ...carried]) + cost([heading], next) > target) break;
      carried.unshift(heading);
      body.pop();
    }
    emitChunk(current());
    overlap = carried.length === 0 && next?.kind === 'prose' ? overlapFrom(body, overlapTokens) : [];
    body = carried;
  };

  while (stack.length > 0) {
    const next = stack.pop() as Piece;
    const used = totalTokens(current());
    if (used + cost(current(), next) <= target) {
      if (next.kind === 'heading' && body.length > 0) {
        // Start a new chunk at a heading when there is no room left for the start of its section.
        const following = stack.at(-1);
        const room = target - used - cost(current(), next);
        if (following && room < Math.min(following.tokens, target / 4)) {
          flush(next);
          stack.push(next);
          continue;
        }
      }
      body.push(next);
      continue;
    }
    if (body.length === 0) {
      // Only the overlap is in the way: a whole block matters more than repeated context.
      overlap = [];
      body.push(next);
      continue;
    }
    if (next.splittable && used < target / 2) {
      // Mostly empty chunk: fill it with the paragraph's first sentences instead of leaving a gap.
      stack.push(
        ...sentencePieces(next.text, target, 'prose', next.startsBlock)
          .map((p) => ({ ...p, block: next.block }))
          .reverse(),
      );
      continue;
    }
    flush(next);
    stack.push(next);
  }
  if (body.length > 0) emitChunk(current());
  return contents.filter((chunk) => chunk.content.length > 0);
}

/**
 * Cuts a document into chunks of at most `targetTokens` (cl100k). Chunks never span pages;
 * headings, paragraphs and tables stay whole where they fit; bigger paragraphs split on sentence
 * boundaries (CJK punctuation included), bigger tables by rows with the header repeated. Each chunk
 * after the first on a page repeats ~12% of the previous one's closing sentences as overlap.
 */
export function chunkDocument(document: ExtractedDocument, options: ChunkOptions): Chunk[] {
  const target = Math.max(16, Math.floor(options.targetTokens ?? DEFAULT_TARGET_TOKENS));
  const overlapTokens = Math.min(
    Math.floor(target / 2),
    Math.max(0, Math.floor(options.overlapTokens ?? target * DEFAULT_OVERLAP_RATIO)),
  );
  const chunks: Chunk[] = [];
  for (const page of document.pages) {
    for (const { content, blocks } of chunkPage(page.blocks, target, overlapTokens)) {
      const chunkIndex = chunks.length;
      const regions = [...blocks].flatMap((index) => page.blocks[index]?.regions ?? []);
      chunks.push({
        id: chunkId(options.sourcePath, options.contentHash, chunkIndex),
        content,
        page: page.page,
        chunkIndex,
        tokenCount: countTokens(content),
        ...(regions.length > 0 ? { regions } : {}),
      });
    }
  }
  return chunks;
}

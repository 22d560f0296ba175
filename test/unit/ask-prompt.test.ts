import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../../electron/contract';
import { citationsFor, citedNumbers, claimBefore } from '../../electron/engine/answer/citations';
import {
  buildGroundedPrompt,
  neutraliseCitations,
  type RetrievedPassage,
  SYSTEM_PROMPT,
} from '../../electron/engine/answer/grounded-prompt';
import { countTokens } from '../../electron/engine/pipeline/token-count';

function passage(rank: number, text: string, page: number | null = rank): RetrievedPassage {
  const hit: SearchResult = {
    id: `chunk-${rank}`,
    sourcePath: `/docs/file-${rank}.pdf`,
    sourceName: `file-${rank}.pdf`,
    page,
    chunkIndex: rank,
    score: 1 / rank,
    snippet: text.slice(0, 40),
    highlights: [],
    mimeType: 'application/pdf',
  };
  return { hit, text };
}

const words = (count: number, word: string): string => Array.from({ length: count }, () => word).join(' ');

describe('grounded prompt', () => {
  it('numbers the sources in rank order and ends with the question', () => {
    const prompt = buildGroundedPrompt(
      'What grows in May?',
      [passage(1, 'Tomatoes are planted in May.'), passage(2, 'The garden opens at seven.', null)],
      { contextTokens: 8_192 },
    );
    expect(prompt.messages[0]).toEqual({ role: 'system', content: SYSTEM_PROMPT });
    const user = prompt.messages[1]?.content ?? '';
    expect(user).toContain('[1] file-1.pdf, page 1\nTomatoes are planted in May.');
    expect(user).toContain('[2] file-2.pdf\nThe garden opens at seven.');
    expect(user.endsWith('Question: What grows in May?')).toBe(true);
    expect(prompt.sources.map((source) => source.hit.id)).toEqual(['chunk-1', 'chunk-2']);
    expect(prompt.dropped).toBe(0);
    expect(prompt.maxAnswerTokens).toBe(1_000);
  });

  it('keeps within the window, dropping the lowest-ranked passages first and cutting the last that partly fits', () => {
    const passages = [1, 2, 3, 4, 5].map((rank) => passage(rank, words(400, `word${rank}`)));
    const contextTokens = 4_096;
    const prompt = buildGroundedPrompt('Which words?', passages, { contextTokens });
    expect(prompt.maxAnswerTokens).toBe(1_000);
    expect(prompt.promptTokens + prompt.maxAnswerTokens).toBeLessThanOrEqual(contextTokens);
    // The best passages are in; the worst are out.
    expect(prompt.sources[0]?.hit.id).toBe('chunk-1');
    expect(prompt.sources.length).toBeLessThan(5);
    expect(prompt.dropped).toBe(5 - prompt.sources.length);
    const kept = prompt.sources.map((source) => source.hit.id);
    expect(kept).toEqual(passages.slice(0, kept.length).map((p) => p.hit.id));
    // The last source in the prompt was cut to the room left (it ends with an ellipsis).
    const user = prompt.messages[1]?.content ?? '';
    expect(user).toMatch(/…\n\nQuestion: Which words\?$/u);
    // What the prompt says it costs is what it counts.
    const counted = prompt.messages.reduce((sum, m) => sum + countTokens(m.content) + 3, 3);
    expect(prompt.promptTokens).toBe(counted);
  });

  it('leaves a small window a quarter for the answer, and no source when nothing fits', () => {
    const prompt = buildGroundedPrompt('Why?', [passage(1, words(2_000, 'long'))], { contextTokens: 1_024 });
    expect(prompt.maxAnswerTokens).toBe(256);
    expect(prompt.promptTokens + prompt.maxAnswerTokens).toBeLessThanOrEqual(1_024);
    expect(prompt.sources).toHaveLength(1);

    const none = buildGroundedPrompt(words(300, 'question'), [passage(1, 'text')], { contextTokens: 300 });
    expect(none.sources).toEqual([]);
    expect(none.dropped).toBe(1);
  });

  it("turns a document's own reference marks into plain parentheses", () => {
    expect(neutraliseCitations('See [7] and [2, 3] or [4-6]; keep [note] and a[1]b.')).toBe(
      'See (7) and (2, 3) or (4-6); keep [note] and a(1)b.',
    );
    const prompt = buildGroundedPrompt('q', [passage(1, 'As shown in [12], costs fell.')], {
      contextTokens: 8_192,
    });
    expect(prompt.messages[1]?.content).toContain('As shown in (12), costs fell.');
  });
});

describe('citations', () => {
  it('reads [n], lists, ranges and runs, in order of first mention, once each', () => {
    expect(citedNumbers('A [2]. B [1, 3]. C [4-5][2]. D [1]')).toEqual([2, 1, 3, 4, 5]);
    expect(citedNumbers('No refs [a] [ ] [1.5] here')).toEqual([]);
    expect(citedNumbers('Wild [1-900]')).toEqual([1]);
  });

  it('keeps only numbers of sources that were in the prompt, with their chunk details', () => {
    const sources = [passage(1, 'one'), passage(2, 'two'), passage(3, 'three', null)];
    const citations = citationsFor('Yes [3]. Also [7] and [0] and [2].', sources);
    expect(citations.map((citation) => citation.ref)).toEqual([3, 2]);
    expect(citations[0]).toEqual({
      ref: 3,
      chunkId: 'chunk-3',
      sourcePath: '/docs/file-3.pdf',
      sourceName: 'file-3.pdf',
      page: null,
      chunkIndex: 3,
      snippet: 'three',
      mimeType: 'application/pdf',
    });
    expect(citationsFor('Nothing cited.', sources)).toEqual([]);
  });

  it('shows, for each citation, the part of its chunk that matches the claim it backs', () => {
    const answer = 'Pears ripen in late August [1]. The club keeps two boats at the pier [2][1].';
    expect(claimBefore(answer, answer.indexOf('[2]'))).toBe('The club keeps two boats at the pier');
    const long = `${words(60, 'filler')} The sailing club keeps two boats at the northern pier. ${words(60, 'more')}`;
    const citations = citationsFor(answer, [
      passage(1, 'The pear harvest starts in late August and lasts three weeks.'),
      passage(2, long),
    ]);
    expect(citations.map((citation) => citation.ref)).toEqual([1, 2]);
    expect(citations[1]?.snippet).toContain('keeps two boats at the northern pier');
    expect(citations[1]?.snippet.length).toBeLessThan(long.length);
  });
});

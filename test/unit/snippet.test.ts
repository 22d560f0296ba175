import { describe, expect, it } from 'vitest';
import { buildSnippet } from '../../electron/engine/search/snippet';

const FILLER = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. ';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

function highlighted(result: { snippet: string; highlights: [number, number][] }): string[] {
  return result.highlights.map(([start, end]) => result.snippet.slice(start, end));
}

function expectWellFormed(result: { snippet: string; highlights: [number, number][] }): void {
  let previousEnd = 0;
  for (const [start, end] of result.highlights) {
    expect(start).toBeGreaterThanOrEqual(previousEnd);
    expect(end).toBeGreaterThan(start);
    expect(end).toBeLessThanOrEqual(result.snippet.length);
    previousEnd = end;
  }
}

describe('buildSnippet', () => {
  it('prefers the window with the exact phrase over earlier scattered terms', () => {
    const content = `${FILLER}The brown dog was quick. ${FILLER.repeat(4)}Then a quick brown fox jumped. ${FILLER.repeat(3)}`;
    const result = buildSnippet(content, 'quick brown fox');
    expect(result.snippet).toContain('a quick brown fox jumped');
    expect(highlighted(result)).toEqual(['quick', 'brown', 'fox']);
    expectWellFormed(result);
  });

  it('prefers the window holding the most distinct terms when there is no phrase', () => {
    const content = `alpha alpha alpha alpha. ${FILLER.repeat(4)}Here alpha meets gamma and beta. ${FILLER.repeat(4)}`;
    const result = buildSnippet(content, 'alpha beta gamma');
    expect(result.snippet).toContain('alpha meets gamma and beta');
    expect(new Set(highlighted(result))).toEqual(new Set(['alpha', 'gamma', 'beta']));
  });

  it('trims on word boundaries, marks cuts with ellipses and respects maxChars', () => {
    const content = `${FILLER.repeat(5)}The needle sits here. ${FILLER.repeat(5)}`;
    const result = buildSnippet(content, 'needle', { maxChars: 100 });
    expect(result.snippet.startsWith('…')).toBe(true);
    expect(result.snippet.endsWith('…')).toBe(true);
    const body = result.snippet.slice(1, -1);
    expect(body.length).toBeLessThanOrEqual(100);
    // Edges fall between words: every word of the body is a whole word of the content.
    for (const word of body.split(' '))
      expect(content).toMatch(new RegExp(`(^|\\s)${escapeRegExp(word)}(\\s|$)`));
    expect(highlighted(result)).toEqual(['needle']);
  });

  it('matches regardless of case and accents, and highlights the original text', () => {
    const result = buildSnippet('Un CAFÉ, deux cafés et le café noir; cafe\u0301 aussi.', 'Cafe');
    expect(highlighted(result)).toEqual(['CAFÉ', 'café', 'cafe\u0301']);
  });

  it('highlights whole words only in spaced scripts', () => {
    const result = buildSnippet('The foxes met a fox and a fox-hunter.', 'fox');
    expect(highlighted(result)).toEqual(['fox', 'fox']);
  });

  it('matches Chinese and Japanese terms as substrings', () => {
    const chinese = buildSnippet(
      `${'其他内容'.repeat(80)}我们研究机器学习的方法。${'其他内容'.repeat(80)}`,
      '机器学习方法',
      {
        maxChars: 60,
      },
    );
    expect(chinese.snippet).toContain('机器学习的方法');
    expect(highlighted(chinese)).toEqual(['机器学习', '方法']);
    const japanese = buildSnippet('今日は東京都に住んでいます。', '東京');
    expect(highlighted(japanese)).toEqual(['東京']);
  });

  it('never splits a surrogate pair', () => {
    const emoji = '😀𝒳🎉';
    const content = `${emoji.repeat(60)} target ${emoji.repeat(60)}`;
    for (const maxChars of [17, 20, 33, 50]) {
      const result = buildSnippet(content, 'target', { maxChars });
      expect(result.snippet).not.toMatch(LONE_SURROGATE);
      expect(highlighted(result)).toEqual(['target']);
    }
    const astral = buildSnippet(`${'𠀀'.repeat(50)}𠀁𠀂${'𠀀'.repeat(50)}`, '𠀁𠀂', { maxChars: 21 });
    expect(astral.snippet).not.toMatch(LONE_SURROGATE);
    expect(highlighted(astral)).toEqual(['𠀁𠀂']);
  });

  it('starts at the beginning without highlights when nothing matches', () => {
    const content = `${FILLER.repeat(4)}`;
    const result = buildSnippet(content, 'absent', { maxChars: 80 });
    expect(result.snippet.startsWith('Lorem ipsum')).toBe(true);
    expect(result.snippet.endsWith('…')).toBe(true);
    expect(result.highlights).toEqual([]);
  });

  it('collapses whitespace and keeps highlight offsets right', () => {
    const result = buildSnippet('first line\n\n   second\tline with   the key   word', 'key word');
    expect(result.snippet).toBe('first line second line with the key word');
    expect(highlighted(result)).toEqual(['key', 'word']);
  });

  it('returns short content whole', () => {
    expect(buildSnippet('Just a note.', 'note')).toEqual({ snippet: 'Just a note.', highlights: [[7, 11]] });
    expect(buildSnippet('', 'note')).toEqual({ snippet: '', highlights: [] });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

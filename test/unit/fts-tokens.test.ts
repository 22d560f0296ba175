import { describe, expect, it } from 'vitest';
import { ftsText, ftsTokens } from '../../electron/engine/providers/local/fts-tokens';
import { queryTerms } from '../../electron/engine/search/query-terms';

describe('ftsTokens', () => {
  it('folds case, accents and full-width forms in spaced scripts', () => {
    expect(ftsTokens('Café au LAIT, ＦＵＬＬ width!')).toEqual(['cafe', 'au', 'lait', 'full', 'width']);
    expect(ftsTokens("don't stop-me now 3.14")).toEqual(["don't", 'stop', 'me', 'now', '3', '14']);
  });

  it('cuts Chinese and Japanese runs into overlapping bigrams, separate from Latin words', () => {
    expect(ftsTokens('我们研究机器学习。')).toEqual(['我们', '们研', '研究', '究机', '机器', '器学', '学习']);
    expect(ftsTokens('GPU加速计算')).toEqual(['gpu', '加速', '速计', '计算']);
    expect(ftsTokens('コンピューター')).toEqual(['コン', 'ンピ', 'ピュ', 'ュー', 'ータ', 'ター']);
    expect(ftsTokens('猫')).toEqual(['猫']);
    // Astral ideographs count as one character each.
    expect(ftsTokens('𠀀𠀁𠀂')).toEqual(['𠀀𠀁', '𠀁𠀂']);
  });

  it('tokenises a phrase exactly as the same words inside a longer text', () => {
    const text = '研究表明，机器学习方法在东京都的大规模实验中有效。';
    for (const phrase of ['机器学习', '学习方法', '东京都', '大规模实验']) {
      const inner = ftsTokens(phrase).join(' ');
      expect(` ${ftsText(text)} `).toContain(` ${inner} `);
    }
  });

  it('segments Thai with the dictionary', () => {
    expect(ftsTokens('สวัสดีครับ')).toEqual(['สวัสดี', 'ครับ']);
  });

  it('drops punctuation and keeps Korean words whole', () => {
    expect(ftsTokens('— 안녕하세요, 세계! —')).toEqual(['안녕하세요', '세계']);
    expect(ftsTokens('...!!!')).toEqual([]);
  });
});

describe('queryTerms', () => {
  it('returns distinct folded words, segmenting CJK with the dictionary', () => {
    expect(queryTerms('Café au LAIT! café')).toEqual(['cafe', 'au', 'lait']);
    expect(queryTerms('机器学习方法')).toEqual(['机器', '学习', '方法']);
    expect(queryTerms('  ')).toEqual([]);
  });
});

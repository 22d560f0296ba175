import { describe, expect, it } from 'vitest';
import { joinLines, removeCjkSpaces } from '../../electron/engine/providers/local/ocr/cjk-spacing';

describe('removeCjkSpaces', () => {
  it('removes the spaces Tesseract puts between Chinese characters and CJK punctuation', () => {
    expect(removeCjkSpaces('我 们 在 北京 大 学 学 习 中 文 。')).toBe('我们在北京大学学习中文。');
    expect(removeCjkSpaces('今天 天 气 很 好 ， 适 合 出 去 散步 。')).toBe('今天天气很好，适合出去散步。');
    expect(removeCjkSpaces('カタ カナ と ひらがな')).toBe('カタカナとひらがな');
  });

  it('keeps spaces next to Latin words and numbers, and in Korean', () => {
    expect(removeCjkSpaces('使用 Python 编 程')).toBe('使用 Python 编程');
    expect(removeCjkSpaces('第 3 章')).toBe('第 3 章');
    expect(removeCjkSpaces('한국어 문장 입니다')).toBe('한국어 문장 입니다');
    expect(removeCjkSpaces('plain English text')).toBe('plain English text');
  });

  it('leaves line breaks alone', () => {
    expect(removeCjkSpaces('中 文\n中 文')).toBe('中文\n中文');
  });
});

describe('joinLines', () => {
  it('joins CJK lines without a space and others with one', () => {
    expect(joinLines('我们在北京', '大学学习。')).toBe('我们在北京大学学习。');
    expect(joinLines('the quick brown', 'fox')).toBe('the quick brown fox');
    expect(joinLines('价格是', '100 元')).toBe('价格是 100 元');
    expect(joinLines('', 'first')).toBe('first');
  });
});

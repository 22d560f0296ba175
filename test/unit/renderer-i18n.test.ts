import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en';
import { languageForLocales } from '../../renderer/src/i18n/index';
import { zhCN } from '../../renderer/src/i18n/zh-CN';

/** Every key path of a resource tree (keys may hold dots themselves) with its text. */
function texts(tree: object, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') found.set(path, value);
    else for (const [inner, text] of texts(value as object, path)) found.set(inner, text);
  }
  return found;
}

/** Every key path with the placeholders its text uses. */
function entries(tree: object): Map<string, string[]> {
  const placeholders = (text: string) =>
    [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]!).sort();
  return new Map([...texts(tree)].map(([key, text]) => [key, placeholders(text)]));
}

describe('UI text in English and Simplified Chinese', () => {
  it('has the same keys and the same placeholders in both languages', () => {
    const english = entries(en);
    const chinese = entries(zhCN);
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, placeholders] of english) expect(chinese.get(key), key).toEqual(placeholders);
  });

  it('actually translates: only names stay the same (brands, formats, language names)', () => {
    const english = texts(en);
    const untranslated = [...texts(zhCN)]
      .filter(([key, text]) => english.get(key) === text)
      .map(([key]) => key)
      .sort();
    expect(untranslated).toEqual([
      'app.backend.azure',
      'search.filters.types.html',
      'search.filters.types.pdf',
      'search.filters.types.word',
      'settings.backends.azure',
      'settings.languages.en',
      'settings.languages.zh-CN',
      'settings.services.openai',
    ]);
  });

  it('follows the system locale: any Chinese locale gets Simplified Chinese, others English', () => {
    expect(languageForLocales(['zh-CN'])).toBe('zh-CN');
    expect(languageForLocales(['en-GB', 'zh-TW'])).toBe('zh-CN');
    expect(languageForLocales(['de-DE', 'en-US'])).toBe('en');
    expect(languageForLocales([])).toBe('en');
  });
});

/**
 * UI text in English and Simplified Chinese (i18next + react-i18next). The language follows the
 * OS / browser locale unless the person picks one in Settings (kept in this browser's storage).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export type LanguageChoice = Language | 'auto';

const STORAGE_KEY = 'quarry.language';

/** The UI language for a locale list such as `navigator.languages`: any Chinese -> zh-CN, else English. */
export function languageForLocales(locales: readonly string[]): Language {
  return locales.some((locale) => locale.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

function readChoice(): LanguageChoice {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === 'en' || stored === 'zh-CN' ? stored : 'auto';
  } catch {
    return 'auto';
  }
}

function systemLanguage(): Language {
  return languageForLocales(
    typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]),
  );
}

export function currentLanguageChoice(): LanguageChoice {
  return readChoice();
}

/** Switches the UI language now and remembers the choice ('auto' follows the system again). */
export async function chooseLanguage(choice: LanguageChoice): Promise<void> {
  try {
    if (choice === 'auto') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage may be unavailable (private windows): the choice then lasts for this page only.
  }
  await i18next.changeLanguage(choice === 'auto' ? systemLanguage() : choice);
}

export function initI18n(): typeof i18next {
  const choice = readChoice();
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    lng: choice === 'auto' ? systemLanguage() : choice,
    fallbackLng: 'en',
    // React escapes what it renders; escaping here too would show entities.
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const syncHtmlLang = (language: string) => {
    document.documentElement.lang = language;
  };
  syncHtmlLang(i18next.language);
  i18next.on('languageChanged', syncHtmlLang);
  return i18next;
}

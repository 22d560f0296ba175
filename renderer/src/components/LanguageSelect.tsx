import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, currentLanguageChoice, type LanguageChoice } from '../i18n';

const CHOICES: readonly LanguageChoice[] = ['auto', 'en', 'zh-CN'];

/** The UI language: the system's by default, or one picked here (remembered by this browser/app). */
export function LanguageSelect() {
  const { t } = useTranslation();
  const id = useId();
  const [choice, setChoice] = useState<LanguageChoice>(currentLanguageChoice);
  return (
    <div className="field">
      <label htmlFor={id}>{t('settings.language')}</label>
      <select
        id={id}
        data-testid="language-select"
        value={choice}
        onChange={(event) => {
          const picked = CHOICES.find((option) => option === event.target.value) ?? 'auto';
          setChoice(picked);
          void chooseLanguage(picked);
        }}
      >
        {CHOICES.map((option) => (
          <option key={option} value={option}>
            {t(`settings.languages.${option}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

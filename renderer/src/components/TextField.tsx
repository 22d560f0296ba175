import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../lib/settings-form';

interface TextFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: FieldError | undefined;
  hint?: string;
  placeholder?: string;
  type?: 'text' | 'url' | 'number';
  testId?: string;
  readOnly?: boolean;
}

/** A labelled input with its hint and validation message wired for screen readers. */
export function TextField(props: TextFieldProps) {
  const { label, value, onChange, error, hint, placeholder, type = 'text', testId, readOnly } = props;
  const { t } = useTranslation();
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        placeholder={placeholder}
        readOnly={readOnly}
        spellCheck={false}
        autoComplete="off"
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint && (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {t(`settings.errors.${error.problem}`, { max: error.max?.toLocaleString() })}
        </span>
      )}
    </div>
  );
}

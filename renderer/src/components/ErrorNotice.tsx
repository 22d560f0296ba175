import { useTranslation } from 'react-i18next';
import type { QuarryErrorInfo } from '../../../electron/contract/errors';

interface ErrorNoticeProps {
  error: QuarryErrorInfo;
  onDismiss?: () => void;
  /** Which advice to give: about files and jobs (default), a service connection, or an answer. */
  hints?: 'hint' | 'connectionHint' | 'askHint';
}

/** A failed command: what happened, its code, and what to do next. */
export function ErrorNotice({ error, onDismiss, hints = 'hint' }: ErrorNoticeProps) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-error" role="alert" data-error-code={error.code}>
      <p>
        <strong>{error.message}</strong> <code className="error-code">{error.code}</code>
      </p>
      <p className="notice-hint">{t(`errors.${hints}.${error.code}`)}</p>
      {onDismiss && (
        <button type="button" className="button-quiet" onClick={onDismiss}>
          {t('errors.dismiss')}
        </button>
      )}
    </div>
  );
}

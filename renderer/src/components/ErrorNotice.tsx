import type { QuarryErrorInfo } from '../../../electron/contract/errors';
import { ERROR_HINTS } from '../lib/error-hints';

interface ErrorNoticeProps {
  error: QuarryErrorInfo;
  onDismiss?: () => void;
}

/** A failed command: what happened, its code, and what to do next. */
export function ErrorNotice({ error, onDismiss }: ErrorNoticeProps) {
  return (
    <div className="notice notice-error" role="alert" data-error-code={error.code}>
      <p>
        <strong>{error.message}</strong> <code className="error-code">{error.code}</code>
      </p>
      <p className="notice-hint">{ERROR_HINTS[error.code]}</p>
      {onDismiss && (
        <button type="button" className="button-quiet" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}

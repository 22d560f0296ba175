import { useTranslation } from 'react-i18next';
import type { AzureServiceKey } from '../../../electron/contract/model';
import { useAppStores, useSettings } from '../stores/use-stores';

/** "Test connection" and what it found: ok with the latency, or the specific problem and what to do. */
export function ConnectionTest({ service }: { service: AzureServiceKey }) {
  const { t } = useTranslation();
  const { settings: store } = useAppStores();
  const test = useSettings((state) => state.tests[service]);
  const running = test?.status === 'running';
  const result = test?.status === 'done' ? test.result : null;
  const error = test?.status === 'failed' ? test.error : (result?.error ?? null);
  return (
    <div className="connection-test" data-testid={`connection-test-${service}`}>
      <button
        type="button"
        className="button"
        data-testid={`test-${service}`}
        disabled={running}
        onClick={() => void store.getState().testConnection(service)}
      >
        {t(running ? 'settings.test.running' : 'settings.test.button')}
      </button>
      <output
        className={error ? 'test-result test-failed' : 'test-result test-ok'}
        data-testid={`test-result-${service}`}
        data-outcome={running ? 'running' : result?.ok ? 'ok' : error ? error.code : undefined}
        aria-live="polite"
      >
        {result?.ok && (
          <>
            <strong>{t('settings.test.connected')}</strong>
            {result.latencyInMs !== null && t('settings.test.latency', { ms: result.latencyInMs })} ·{' '}
            {result.message}
          </>
        )}
        {error && (
          <>
            <code className="error-code">{error.code}</code> {error.message}{' '}
            <span className="notice-hint">{t(`errors.connectionHint.${error.code}`)}</span>
          </>
        )}
      </output>
    </div>
  );
}

import type { AzureServiceKey } from '../../../electron/contract/model';
import { CONNECTION_HINTS } from '../lib/error-hints';
import { useAppStores, useSettings } from '../stores/use-stores';

/** "Test connection" and what it found: ok with the latency, or the specific problem and what to do. */
export function ConnectionTest({ service }: { service: AzureServiceKey }) {
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
        {running ? 'Testing…' : 'Test connection'}
      </button>
      <output
        className={error ? 'test-result test-failed' : 'test-result test-ok'}
        data-testid={`test-result-${service}`}
        data-outcome={running ? 'running' : result?.ok ? 'ok' : error ? error.code : undefined}
        aria-live="polite"
      >
        {result?.ok && (
          <>
            <strong>Connected</strong>
            {result.latencyInMs !== null && ` in ${result.latencyInMs} ms`} · {result.message}
          </>
        )}
        {error && (
          <>
            <code className="error-code">{error.code}</code> {error.message}{' '}
            <span className="notice-hint">{CONNECTION_HINTS[error.code]}</span>
          </>
        )}
      </output>
    </div>
  );
}

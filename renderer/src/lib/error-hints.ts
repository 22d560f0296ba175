import type { ErrorCode } from '../../../electron/contract/errors';

/** What the person can do about each kind of error (the UI switches on codes, never on messages). */
export const ERROR_HINTS: Record<ErrorCode, string> = {
  auth: 'Check the key and endpoint in Settings.',
  rate_limited: 'The service is throttling requests; Quarry waits and retries by itself.',
  quota_exhausted: 'The service quota is used up: try again later or raise the quota.',
  network: 'Check the network connection, then try again.',
  invalid_input: 'The file could not be read: it may be empty, damaged or password-protected.',
  unsupported: 'This kind of file is not supported.',
  service: 'Something went wrong in Quarry or a service; try again.',
  cancelled: 'Cancelled before it finished.',
};

/** What to do about a failed "Test connection", by code. */
export const CONNECTION_HINTS: Record<ErrorCode, string> = {
  auth: 'Check that the key belongs to this resource (401), or that your account has a role on it (403).',
  rate_limited: 'The service is busy or throttling; try again in a moment.',
  quota_exhausted: 'The quota is used up: raise it in the Azure portal or wait.',
  network: 'Check the endpoint URL (host and port) and that this computer can reach it.',
  invalid_input: 'Check the endpoint, deployment, model or index name for this service.',
  unsupported: 'This setting is not supported here.',
  service: 'The service failed; try again, and check its status in the Azure portal.',
  cancelled: 'The test was cancelled.',
};

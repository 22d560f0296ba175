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

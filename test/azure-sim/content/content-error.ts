import { QuarryError } from '../../../electron/contract/errors';

/** Why the simulator could not read what it was sent; each service maps these to its own envelope. */
export type ContentFailure = 'empty' | 'corrupt' | 'encrypted' | 'unsupported_format';

const failures: readonly ContentFailure[] = ['empty', 'corrupt', 'encrypted', 'unsupported_format'];

export function contentError(failure: ContentFailure, message: string, cause?: unknown): QuarryError {
  return new QuarryError(failure === 'unsupported_format' ? 'unsupported' : 'invalid_input', message, {
    reason: failure,
    retryable: false,
    cause,
  });
}

/** The failure carried by an error from a content reader, or undefined for anything else. */
export function contentFailureOf(error: unknown): ContentFailure | undefined {
  if (!(error instanceof QuarryError)) return undefined;
  return failures.find((failure) => failure === error.reason);
}

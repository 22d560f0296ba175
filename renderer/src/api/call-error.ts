import type { ErrorCode, QuarryErrorInfo } from '../../../electron/contract/errors';

/**
 * What a failed engine call throws in the renderer. It carries the engine's error info so the UI
 * switches on `code`, never on message text. (The engine's own QuarryError lives next to zod, which
 * the renderer bundle does without.)
 */
export class QuarryCallError extends Error {
  readonly info: QuarryErrorInfo;

  constructor(info: QuarryErrorInfo) {
    super(info.message);
    this.name = 'QuarryCallError';
    this.info = info;
  }

  get code(): ErrorCode {
    return this.info.code;
  }
}

/** The error info of anything a call may throw; unknown errors become `service`. */
export function errorInfoOf(error: unknown): QuarryErrorInfo {
  if (error instanceof QuarryCallError) return error.info;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'service', message, retryable: false };
}

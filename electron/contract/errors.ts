import { z } from 'zod';

/** The one error union every layer maps into; the UI switches on `code`, never on message text. */
export const ErrorCode = z.enum([
  'auth',
  'rate_limited',
  'quota_exhausted',
  'network',
  'invalid_input',
  'unsupported',
  'service',
  'cancelled',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const QuarryErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
  retryable: z.boolean(),
  requestId: z.string().optional(),
  /** HTTP status the service answered with, when the failure came from a response. */
  status: z.number().int().optional(),
  /** Finer machine-readable cause within the code, e.g. `empty_file`, `encrypted`, `corrupt`. */
  reason: z.string().optional(),
});
export type QuarryErrorInfo = z.infer<typeof QuarryErrorInfo>;

/** Error thrown inside the engine; carries a code so nothing downstream parses messages. */
export class QuarryError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly requestId: string | undefined;
  readonly reason: string | undefined;
  /** How long the service asked the client to wait (Retry-After and friends), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      retryable?: boolean;
      requestId?: string;
      reason?: string;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'QuarryError';
    this.code = code;
    this.retryable = options.retryable ?? (code === 'rate_limited' || code === 'network');
    this.requestId = options.requestId;
    this.reason = options.reason;
    this.retryAfterMs = options.retryAfterMs;
  }

  static fromInfo(info: QuarryErrorInfo): QuarryError {
    return new QuarryError(info.code, info.message, {
      retryable: info.retryable,
      ...(info.requestId ? { requestId: info.requestId } : {}),
      ...(info.reason ? { reason: info.reason } : {}),
    });
  }

  toInfo(): QuarryErrorInfo {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.requestId ? { requestId: this.requestId } : {}),
      ...(this.reason ? { reason: this.reason } : {}),
    };
  }
}

/** Maps anything thrown into the union; unknown errors become `service`. */
export function toErrorInfo(error: unknown): QuarryErrorInfo {
  if (error instanceof QuarryError) return error.toInfo();
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: 'cancelled', message: 'Cancelled', retryable: false };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'service', message, retryable: false };
}

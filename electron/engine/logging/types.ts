/**
 * What the engine writes to its diagnostic log: named events with flat, small fields (service,
 * durations, status, request ids, counts). Never keys, never document text — the redaction layer
 * enforces that whatever a caller passes.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogValue = string | number | boolean | null | undefined;

export type LogFields = Readonly<Record<string, LogValue | readonly LogValue[]>>;

/** The hook the limiters, the Azure backend and the job manager write through. */
export interface EngineLog {
  write(level: LogLevel, event: string, fields?: LogFields): void;
}

/** An EngineLog backed by a file; `close()` flushes and releases it. */
export interface EngineLogFile extends EngineLog {
  readonly filePath: string;
  close(): Promise<void>;
}

/** A log that drops everything, for callers that were given none. */
export const SILENT_LOG: EngineLog = { write() {} };

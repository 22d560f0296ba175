/**
 * The engine's log file: pino writing JSON lines straight into a size-rotated file stream (no
 * transport worker thread, so records leave the process as soon as the stream writes them).
 * `<dataDir>/logs/quarry.log`, rotated to time-stamped files at 10 MB, five of them kept.
 */

import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { createStream } from 'rotating-file-stream';
import { redactFields, scrubText } from './redact';
import type { EngineLogFile, LogFields, LogLevel } from './types';

export const LOG_FILE_NAME = 'quarry.log';
export const LOG_HISTORY_FILE_NAME = 'quarry.log.history';
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_LOG_MAX_FILES = 5;

export interface OpenLogFileOptions {
  /** The folder the file lives in (the engine passes `<dataDir>/logs`). */
  directory: string;
  /** Rotate when the file reaches this size. */
  maxBytes?: number;
  /** Rotated files kept besides the current one. */
  maxFiles?: number;
  level?: LogLevel;
  /** Values that must never appear in the file (configured keys), scrubbed from every string. */
  secrets?: readonly string[];
}

/** Rotated files carry the time they were rotated, so names sort oldest to newest. */
function rotatedName(time: number | Date | null, index?: number): string {
  if (!time) return LOG_FILE_NAME;
  const stamp = new Date().toISOString().replace(/[:.]/gu, '-');
  return `${LOG_FILE_NAME}.${stamp}.${index ?? 1}`;
}

export function openLogFile(options: OpenLogFileOptions): EngineLogFile {
  mkdirSync(options.directory, { recursive: true });
  const stream = createStream(rotatedName, {
    path: options.directory,
    size: `${Math.max(1, Math.ceil((options.maxBytes ?? DEFAULT_LOG_MAX_BYTES) / 1024))}K`,
    maxFiles: options.maxFiles ?? DEFAULT_LOG_MAX_FILES,
    // The stream's own list of rotated files (it deletes the oldest from it).
    history: LOG_HISTORY_FILE_NAME,
  });
  // A failing disk must not take the engine down: the log is best effort.
  stream.on('error', () => {});
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  const secrets = options.secrets ?? [];
  let closed: Promise<void> | null = null;
  return {
    filePath: path.join(options.directory, LOG_FILE_NAME),
    write(level: LogLevel, event: string, fields: LogFields = {}) {
      if (closed) return;
      logger[level]({ event: scrubText(event, secrets), ...redactFields(fields, secrets) });
    },
    close() {
      closed ??= (async () => {
        const finished = once(stream, 'finish').catch(() => undefined);
        stream.end();
        await finished;
      })();
      return closed;
    },
  };
}

import type { AnalyzeResult } from './document-intelligence-result';

/**
 * Analyze operations and their lifecycle. An operation is `notStarted` for the first tenth of
 * its processing time, `running` until the time is up, then `succeeded` (or `failed` when a
 * fault said so); an operation under the never-finishes fault stays `running`. Status depends
 * only on the sim's clock, so every poll shows where the operation stands.
 */

export type OperationStatus = 'notStarted' | 'running' | 'succeeded' | 'failed';

export interface OperationError {
  code: string;
  message: string;
  details?: { code: string; message: string; target?: string }[];
}

export type OperationOutcome =
  | { kind: 'succeeded'; result: AnalyzeResult }
  | { kind: 'failed'; error: OperationError }
  | { kind: 'neverFinishes' };

export interface AnalyzeOperation {
  resultId: string;
  modelId: string;
  createdAtMs: number;
  startedAtMs: number;
  readyAtMs: number;
  outcome: OperationOutcome;
}

/** How long results stay retrievable, as the service keeps them. */
export const resultRetentionMs = 24 * 60 * 60 * 1000;

export function newOperation(
  resultId: string,
  modelId: string,
  createdAtMs: number,
  processingMs: number,
  outcome: OperationOutcome,
): AnalyzeOperation {
  return {
    resultId,
    modelId,
    createdAtMs,
    startedAtMs: createdAtMs + Math.round(processingMs / 10),
    readyAtMs: createdAtMs + processingMs,
    outcome,
  };
}

export function statusAt(operation: AnalyzeOperation, nowMs: number): OperationStatus {
  if (nowMs < operation.startedAtMs) return 'notStarted';
  if (nowMs < operation.readyAtMs || operation.outcome.kind === 'neverFinishes') return 'running';
  return operation.outcome.kind === 'succeeded' ? 'succeeded' : 'failed';
}

/** DI timestamps: UTC, whole seconds, `Z` suffix. */
const timestamp = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The poll body: `{status, createdDateTime, lastUpdatedDateTime, analyzeResult? | error?}`. */
export function operationBody(operation: AnalyzeOperation, nowMs: number): Record<string, unknown> {
  const status = statusAt(operation, nowMs);
  const updatedAtMs =
    status === 'notStarted'
      ? operation.createdAtMs
      : status === 'running'
        ? operation.startedAtMs
        : operation.readyAtMs;
  const body: Record<string, unknown> = {
    status,
    createdDateTime: timestamp(operation.createdAtMs),
    lastUpdatedDateTime: timestamp(updatedAtMs),
  };
  if (status === 'succeeded' && operation.outcome.kind === 'succeeded')
    body.analyzeResult = operation.outcome.result;
  if (status === 'failed' && operation.outcome.kind === 'failed') body.error = operation.outcome.error;
  return body;
}

export class OperationStore {
  private readonly operations = new Map<string, AnalyzeOperation>();

  add(operation: AnalyzeOperation): void {
    this.operations.set(operation.resultId, operation);
  }

  /** The operation, unless unknown or past retention (expired ones are dropped). */
  get(resultId: string, nowMs: number): AnalyzeOperation | undefined {
    const operation = this.operations.get(resultId);
    if (operation && nowMs > operation.readyAtMs + resultRetentionMs) {
      this.operations.delete(resultId);
      return undefined;
    }
    return operation;
  }

  delete(resultId: string): boolean {
    return this.operations.delete(resultId);
  }

  clear(): void {
    this.operations.clear();
  }
}

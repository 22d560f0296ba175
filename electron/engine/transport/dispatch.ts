import type { z } from 'zod';
import type { CallHandlers, CallOutput, CallResult, ParsedCallInput } from '../../contract/api';
import { calls } from '../../contract/api';
import type { CallName } from '../../contract/call-names';
import { type QuarryErrorInfo, toErrorInfo } from '../../contract/errors';

export interface DispatchOptions {
  /** When already aborted (e.g. the client went away), the handler is not called. */
  abortSignal?: AbortSignal;
}

/**
 * The contract's input schemas re-typed as a mapped type, so that for a generic call name K the
 * parsed value is known to be exactly what `handlers[K]` takes (checked here, per name, by tsc).
 */
const inputSchemas: { [K in CallName]: z.ZodType<ParsedCallInput<K>> } = {
  startIngest: calls.startIngest.input,
  cancelJob: calls.cancelJob.input,
  pauseJob: calls.pauseJob.input,
  resumeJob: calls.resumeJob.input,
  retryFailed: calls.retryFailed.input,
  getSnapshot: calls.getSnapshot.input,
  search: calls.search.input,
  getSettings: calls.getSettings.input,
  updateSettings: calls.updateSettings.input,
  getPreview: calls.getPreview.input,
  locateIndexedFile: calls.locateIndexedFile.input,
  estimateIngest: calls.estimateIngest.input,
  testConnection: calls.testConnection.input,
  ask: calls.ask.input,
  stopAnswer: calls.stopAnswer.input,
};

/**
 * The one boundary every transport (Electron IPC, the browser host's WebSocket) goes through:
 * validate the raw input against the contract, call the engine's handler with the parsed value,
 * and return an envelope. Never throws: every failure comes back serialised.
 */
export async function dispatchCall<K extends CallName>(
  handlers: CallHandlers,
  name: K,
  rawInput: unknown,
  options: DispatchOptions = {},
): Promise<CallResult<CallOutput<K>>> {
  const schema: z.ZodType<ParsedCallInput<K>> = inputSchemas[name];
  const parsed = schema.safeParse(rawInput);
  if (!parsed.success) return { ok: false, error: invalidInputError(name, parsed.error) };
  if (options.abortSignal?.aborted) {
    return { ok: false, error: { code: 'cancelled', message: 'Cancelled', retryable: false } };
  }
  try {
    const handler: CallHandlers[K] = handlers[name];
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}

/** An `invalid_input` error whose message names every offending field, e.g. `query: Too small`. */
export function invalidInputError(name: string, error: z.ZodError): QuarryErrorInfo {
  const problems = error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)';
    return `${field}: ${issue.message}`;
  });
  return {
    code: 'invalid_input',
    message: `Invalid input for ${name}: ${problems.join('; ')}`,
    retryable: false,
    reason: 'schema',
  };
}

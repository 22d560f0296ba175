/**
 * What the HTTP layer saw during one limiter attempt (status, the service's request id). The
 * limiter opens an observation around each attempt; client hooks (an Azure pipeline policy, a
 * fetch wrapper for openai) fill it in through async context, so every SDK call is covered
 * without the providers passing anything along.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface AttemptObservation {
  status?: number;
  requestId?: string;
  /** HTTP exchanges made inside the attempt (an SDK call may make more than one). */
  responses: number;
}

const current = new AsyncLocalStorage<AttemptObservation>();

export function observeAttempt<T>(observation: AttemptObservation, run: () => Promise<T>): Promise<T> {
  return current.run(observation, run);
}

/** Called by HTTP hooks for each response; the last response of an attempt wins. */
export function recordResponse(status: number, requestId: string | undefined): void {
  const observation = current.getStore();
  if (!observation) return;
  observation.status = status;
  observation.responses += 1;
  if (requestId) observation.requestId = requestId;
}

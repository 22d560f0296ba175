import { QuarryError } from '../../../../contract';

/** The error every embedding path rejects with once its abort signal fires. */
export function cancelledError(signal?: AbortSignal): QuarryError {
  return new QuarryError('cancelled', 'Cancelled', { reason: 'aborted', cause: signal?.reason });
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError(signal);
}

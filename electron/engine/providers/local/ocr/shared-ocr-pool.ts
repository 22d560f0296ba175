import { createOcrPool, type OcrPool } from './ocr-pool';

let shared: OcrPool | null = null;

/**
 * One process-wide pool with the default languages, for extractors built without their own.
 * Created on first use; its idle workers never keep the process alive and stop after a while.
 */
export function sharedOcrPool(): OcrPool {
  shared ??= createOcrPool();
  return shared;
}

/** Stops the shared pool's workers (app shutdown, tests); the next use creates a new pool. */
export async function closeSharedOcrPool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Scenario } from './types';

const RetryAfterVariantSchema = z.enum(['seconds', 'httpDate', 'ms', 'xMsMs', 'none']);

const FaultRuleSchema = z
  .object({
    route: z.string().min(1),
    fault: z.enum([
      'throttle',
      'quotaExhausted',
      'unavailable',
      'internalError',
      'connectionReset',
      'stall',
      'truncateStream',
      'itemErrors',
      'lroFailed',
      'lroNeverFinishes',
      'contentFilter',
    ]),
    probability: z.number().min(0).max(1).optional(),
    after: z.number().int().min(0).optional(),
    times: z.number().int().min(0).optional(),
    retryAfter: z.union([RetryAfterVariantSchema, z.array(RetryAfterVariantSchema)]).optional(),
    retryAfterMs: z.number().min(0).optional(),
    stallMs: z.number().min(0).optional(),
    afterChunks: z.number().int().min(0).optional(),
    ending: z.enum(['reset', 'end']).optional(),
    itemStatus: z.number().int().min(400).max(599).optional(),
    itemFraction: z.number().min(0).max(1).optional(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
    filterStage: z.enum(['prompt', 'completion']).optional(),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    seed: z.number().int().optional(),
    rules: z.array(FaultRuleSchema),
  })
  .strict();

/** Validates a scenario object (throws a readable error naming the bad field). */
export function parseScenario(value: unknown): Scenario {
  const result = ScenarioSchema.safeParse(value);
  if (!result.success) throw new Error(`Invalid sim scenario: ${z.prettifyError(result.error)}`);
  return result.data;
}

export async function loadScenarioFile(filePath: string): Promise<Scenario> {
  const text = await readFile(filePath, 'utf8');
  return parseScenario(JSON.parse(text));
}

export const EMPTY_SCENARIO: Scenario = { rules: [] };

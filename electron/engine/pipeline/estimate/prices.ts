/**
 * Prices an estimate uses, from the environment (USD). Defaults are Azure's public list prices
 * for the standard tiers: Document Intelligence prebuilt-layout, Vision image analysis and
 * text-embedding-3-small; a deployment with other prices sets the variables.
 */
import { QuarryError } from '../../../contract';

export interface EstimatePrices {
  currency: 'USD';
  documentIntelligencePer1000Pages: number;
  visionPer1000Images: number;
  embeddingsPer1MTokens: number;
}

export const PRICE_ENV = {
  documentIntelligencePer1000Pages: 'QUARRY_PRICE_DI_PER_1000_PAGES',
  visionPer1000Images: 'QUARRY_PRICE_VISION_PER_1000_IMAGES',
  embeddingsPer1MTokens: 'QUARRY_PRICE_EMBEDDING_PER_1M_TOKENS',
} as const;

const DEFAULT_PRICES: Omit<EstimatePrices, 'currency'> = {
  documentIntelligencePer1000Pages: 10,
  visionPer1000Images: 1,
  embeddingsPer1MTokens: 0.02,
};

function priceFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new QuarryError('invalid_input', `${name} must be a non-negative number (USD), got "${raw}"`);
  }
  return value;
}

export function resolveEstimatePrices(env: NodeJS.ProcessEnv = process.env): EstimatePrices {
  const prices = { currency: 'USD' as const, ...DEFAULT_PRICES };
  for (const key of Object.keys(PRICE_ENV) as (keyof typeof PRICE_ENV)[]) {
    prices[key] = priceFrom(env, PRICE_ENV[key], DEFAULT_PRICES[key]);
  }
  return prices;
}

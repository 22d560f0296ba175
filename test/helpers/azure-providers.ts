/** Shared set-up for the Azure provider tests: configs pointing at the simulator, limiters, files. */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { detectMimeType, MIME_SNIFF_BYTES } from '../../electron/engine/pipeline/mime';
import {
  createServiceLimiters,
  type LimiterRegistry,
} from '../../electron/engine/pipeline/scheduler/limiter-registry';
import {
  DEFAULT_API_VERSIONS,
  DOCUMENT_INTELLIGENCE_TIERS,
  type DocumentIntelligenceConfig,
  type DocumentIntelligenceTier,
  type SearchConfig,
  type VisionConfig,
} from '../../electron/engine/providers/azure/azure-config';
import { toQuarryError } from '../../electron/engine/providers/azure/errors';
import type { SourceFile } from '../../electron/engine/types';
import type { AzureSim } from '../azure-sim/index';

export function searchConfig(sim: AzureSim, indexName = 'quarry'): SearchConfig {
  return {
    endpoint: sim.endpoints.search,
    auth: { kind: 'key', key: sim.keys.search },
    apiVersion: DEFAULT_API_VERSIONS.search,
    indexName,
  };
}

export function documentIntelligenceConfig(
  sim: AzureSim,
  tier: DocumentIntelligenceTier = 'S0',
): DocumentIntelligenceConfig {
  return {
    endpoint: sim.endpoints.documentIntelligence,
    auth: { kind: 'key', key: sim.keys.documentIntelligence },
    apiVersion: DEFAULT_API_VERSIONS.documentIntelligence,
    modelId: 'prebuilt-layout',
    tier,
    limits: DOCUMENT_INTELLIGENCE_TIERS[tier],
  };
}

export function visionConfig(sim: AzureSim): VisionConfig {
  return {
    endpoint: sim.endpoints.vision,
    auth: { kind: 'key', key: sim.keys.vision },
    apiVersion: DEFAULT_API_VERSIONS.vision,
    features: ['caption', 'tags', 'read'],
  };
}

/** The engine's real limiters with the Azure error mapping; dispose them after the test. */
export function testLimiters(): LimiterRegistry {
  return createServiceLimiters({}, { mapError: (error, service) => toQuarryError(error, { service }) });
}

export interface TempFolder {
  dir: string;
  write(name: string, bytes: Uint8Array | string): Promise<SourceFile>;
  remove(): Promise<void>;
}

export async function tempFolder(prefix: string): Promise<TempFolder> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  return {
    dir,
    async write(name, bytes) {
      const filePath = path.join(dir, name);
      await writeFile(filePath, bytes);
      return sourceFileFor(filePath);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A SourceFile as the pipeline would build it (MIME type sniffed from name and bytes). */
export async function sourceFileFor(filePath: string): Promise<SourceFile> {
  const info = await stat(filePath);
  const head = (await readFile(filePath)).subarray(0, MIME_SNIFF_BYTES);
  return {
    diskPath: filePath,
    sourcePath: filePath,
    name: path.basename(filePath),
    size: info.size,
    mtimeMs: info.mtimeMs,
    mimeType: detectMimeType(filePath, head) ?? 'application/octet-stream',
  };
}

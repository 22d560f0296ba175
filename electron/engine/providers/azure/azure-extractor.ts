/**
 * The Azure backend's DocumentExtractor: sends each file to Document Intelligence, Vision or the
 * local reader by the rule in azure-routing.ts. Only images need a look at their header (pixel
 * size) to be routed; nothing is sent anywhere to decide.
 */
import { open } from 'node:fs/promises';
import type { DocumentExtractor } from '../../backend';
import type { ServiceLimiter, ServiceName } from '../../pipeline/scheduler/types';
import type { CallOptions, ExtractedDocument, Extractor, SourceFile } from '../../types';
import { createLocalExtractor } from '../local/local-extractor';
import type { AzureConfig } from './azure-config';
import { type AvailableServices, type Route, routeFile } from './azure-routing';
import { createDocumentIntelligenceExtractor } from './document-intelligence-extractor';
import { readImageSize } from './image-fit';
import { createVisionExtractor } from './vision-extractor';

export interface AzureExtractorOptions {
  /** Null when Document Intelligence is not configured. */
  documentIntelligence: Extractor | null;
  /** Null when Vision is not configured. */
  vision: Extractor | null;
  /** Reads plain-text formats (and what no Azure service is configured for); default: the local extractor. */
  local?: Extractor;
}

export interface AzureExtractor extends DocumentExtractor {
  /** Where a file would go; exposed for estimates and tests. */
  routeOf(file: SourceFile): Promise<Route>;
}

/** Enough of the file for any image header (JPEG EXIF blocks come before the frame size). */
const HEADER_BYTES = 512 * 1024;

async function readHead(diskPath: string): Promise<Uint8Array> {
  const handle = await open(diskPath, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead);
  } finally {
    await handle.close();
  }
}

export function createAzureExtractor(options: AzureExtractorOptions): AzureExtractor {
  const local = options.local ?? createLocalExtractor();
  const available: AvailableServices = {
    documentIntelligence: options.documentIntelligence !== null,
    vision: options.vision !== null,
  };

  async function routeOf(file: SourceFile): Promise<Route> {
    const imageSize =
      file.mimeType.startsWith('image/') && file.size > 0
        ? readImageSize(await readHead(file.diskPath))
        : undefined;
    return routeFile(
      { name: file.name, mimeType: file.mimeType, ...(imageSize ? { imageSize } : {}) },
      available,
    );
  }

  function extractorFor(route: Route): Extractor {
    if (route === 'documentIntelligence' && options.documentIntelligence) return options.documentIntelligence;
    if (route === 'vision' && options.vision) return options.vision;
    return local;
  }

  return {
    routeOf,
    async extract(file: SourceFile, callOptions: CallOptions = {}): Promise<ExtractedDocument> {
      callOptions.abortSignal?.throwIfAborted();
      return extractorFor(await routeOf(file)).extract(file, callOptions);
    },
  };
}

/** The Azure extractor for a resolved configuration, its calls through the engine's limiters. */
export function createAzureExtractorFromConfig(
  config: Pick<AzureConfig, 'documentIntelligence' | 'vision'>,
  limiters: { get(service: ServiceName): ServiceLimiter },
): AzureExtractor {
  return createAzureExtractor({
    documentIntelligence: config.documentIntelligence
      ? createDocumentIntelligenceExtractor({
          config: config.documentIntelligence,
          limiters: {
            analyze: limiters.get('documentIntelligence.analyze'),
            poll: limiters.get('documentIntelligence.poll'),
          },
        })
      : null,
    vision: config.vision
      ? createVisionExtractor({ config: config.vision, limiter: limiters.get('vision') })
      : null,
  });
}

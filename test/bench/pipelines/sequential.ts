/**
 * The sequential way (the seed's "sync" sample): one file at a time and one call at a time. For
 * each file: Document Intelligence analyze + poll until done (Vision for photos, plain text read
 * locally), then one embeddings call per chunk, then one upload per chunk. Same SDKs as Quarry,
 * with their default retry settings.
 *
 * Run as a child process: `node --import tsx sequential.ts <config.json>`.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SearchIndex } from '@azure/search-documents';
import { isUnexpected } from '@azure-rest/ai-vision-image-analysis';
import { type CorpusFile, readManifest } from '../corpus';
import { analyzeDocument, type PageText } from './document-intelligence';
import {
  errorMessage,
  isMainModule,
  type PipelineChildResult,
  type PipelineConfig,
  type PipelineFailure,
  printResult,
  readPipelineConfig,
} from './protocol';
import {
  documentIntelligenceClient,
  openAiClient,
  required,
  searchClient,
  searchIndexClient,
  visionClient,
} from './sdk-clients';

/** About 500 tokens of English prose. */
const CHUNK_CHARS = 2000;
const EMBEDDING_DIMENSIONS = 1536;

interface ChunkDocument {
  id: string;
  content: string;
  embedding: number[];
  sourcePath: string;
  page: number | null;
  chunkIndex: number;
}

export function sequentialIndexDefinition(name: string): SearchIndex {
  return {
    name,
    fields: [
      { name: 'id', type: 'Edm.String', key: true, filterable: true },
      { name: 'content', type: 'Edm.String', searchable: true },
      {
        name: 'embedding',
        type: 'Collection(Edm.Single)',
        searchable: true,
        vectorSearchDimensions: EMBEDDING_DIMENSIONS,
        vectorSearchProfileName: 'vector-profile',
      },
      { name: 'sourcePath', type: 'Edm.String', filterable: true },
      { name: 'page', type: 'Edm.Int32', filterable: true },
      { name: 'chunkIndex', type: 'Edm.Int32' },
    ],
    vectorSearch: {
      algorithms: [{ name: 'hnsw', kind: 'hnsw' }],
      profiles: [{ name: 'vector-profile', algorithmConfigurationName: 'hnsw' }],
    },
  };
}

/** Cuts text into pieces of at most CHUNK_CHARS characters at whitespace. */
export function splitText(text: string): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > CHUNK_CHARS) {
    const cut = rest.lastIndexOf(' ', CHUNK_CHARS);
    const at = cut > CHUNK_CHARS / 2 ? cut : CHUNK_CHARS;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at).trim();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

interface Clients {
  documentIntelligence: ReturnType<typeof documentIntelligenceClient>;
  vision: ReturnType<typeof visionClient>;
  openai: ReturnType<typeof openAiClient>;
  search: ReturnType<typeof searchClient<ChunkDocument>>;
  deployment: string;
}

function createClients(config: PipelineConfig): Clients {
  return {
    documentIntelligence: documentIntelligenceClient(config.azureEnv),
    vision: visionClient(config.azureEnv),
    openai: openAiClient(config.azureEnv),
    search: searchClient<ChunkDocument>(config.azureEnv, config.indexName),
    deployment: required(config.azureEnv, 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT'),
  };
}

async function readVision(clients: Clients, bytes: Uint8Array): Promise<PageText[]> {
  const response = await clients.vision.path('/imageanalysis:analyze').post({
    contentType: 'application/octet-stream',
    body: bytes,
    queryParameters: { features: ['Caption', 'Read'], language: 'en' },
  });
  if (isUnexpected(response)) throw new Error(`vision failed: ${response.body.error.message}`);
  const caption = response.body.captionResult?.text ?? '';
  const lines = (response.body.readResult?.blocks ?? []).flatMap((block) => block.lines.map((l) => l.text));
  return [{ pageNumber: 1, text: [caption, ...lines].join('\n') }];
}

async function readPages(clients: Clients, file: CorpusFile): Promise<PageText[]> {
  const bytes = await readFile(file.path);
  if (file.route === 'local') return [{ pageNumber: 1, text: bytes.toString('utf8') }];
  if (file.route === 'vision') return readVision(clients, bytes);
  return analyzeDocument(clients.documentIntelligence, bytes);
}

async function ingestFile(clients: Clients, file: CorpusFile): Promise<number> {
  const pages = await readPages(clients, file);
  const pieces = pages.flatMap((page) =>
    splitText(page.text).map((content) => ({
      content,
      page: file.route === 'local' ? null : page.pageNumber,
    })),
  );
  const documents: ChunkDocument[] = [];
  for (const [chunkIndex, piece] of pieces.entries()) {
    const response = await clients.openai.embeddings.create({
      model: clients.deployment,
      input: piece.content,
      encoding_format: 'float',
    });
    const embedding = response.data[0]?.embedding;
    if (!embedding) throw new Error('embeddings answered without a vector');
    const id = createHash('sha1').update(`${file.path}\u0000${chunkIndex}`).digest('hex');
    documents.push({ id, ...piece, embedding, sourcePath: file.path, chunkIndex });
  }
  for (const document of documents) {
    const result = await clients.search.uploadDocuments([document]);
    if (result.results.some((item) => !item.succeeded)) throw new Error('upload failed');
  }
  return documents.length;
}

export async function runSequential(config: PipelineConfig): Promise<PipelineChildResult> {
  const corpus = await readManifest(config.manifestPath);
  const wanted = new Set(config.files);
  const files = corpus.files.filter((file) => wanted.has(file.path));
  const started = performance.now();
  await searchIndexClient(config.azureEnv).createIndex(sequentialIndexDefinition(config.indexName));
  const clients = createClients(config);
  const failures: PipelineFailure[] = [];
  let chunks = 0;
  for (const file of files) {
    try {
      chunks += await ingestFile(clients, file);
    } catch (error) {
      failures.push({ path: file.path, message: errorMessage(error) });
    }
  }
  return {
    workMs: performance.now() - started,
    files: files.length,
    indexedFiles: files.length - failures.length,
    chunks,
    failures,
  };
}

if (isMainModule(import.meta.url)) {
  printResult(await runSequential(await readPipelineConfig(process.argv)));
}

/**
 * A LangChain.js pipeline scripted the way its documentation suggests: load every file (Document
 * Intelligence through its SDK, one file at a time; plain text read as is), split with
 * RecursiveCharacterTextSplitter (chunkSize 1000, chunkOverlap 200), then
 * `vectorStore.addDocuments(splits)` on an AzureAISearchVectorStore over AzureOpenAIEmbeddings,
 * both with their default settings.
 *
 * The one deviation: the store is given a SearchClient (a documented option) because the client
 * it builds itself refuses plain http, which the simulator speaks; it then creates its index with
 * its own definition, as it would have.
 *
 * Run as a child process: `node --import tsx langchain.ts <config.json>`.
 */
import { readFile } from 'node:fs/promises';
import type { SearchIndexClient } from '@azure/search-documents';
import {
  AzureAISearchQueryType,
  AzureAISearchVectorStore,
} from '@langchain/community/vectorstores/azure_aisearch';
import { Document } from '@langchain/core/documents';
import { AzureOpenAIEmbeddings } from '@langchain/openai';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { readManifest } from '../corpus';
import { analyzeDocument } from './document-intelligence';
import {
  errorMessage,
  isMainModule,
  type PipelineChildResult,
  type PipelineConfig,
  type PipelineFailure,
  printResult,
  readPipelineConfig,
} from './protocol';
import { documentIntelligenceClient, required, searchClient, searchIndexClient } from './sdk-clients';

class LoopbackAzureAISearchVectorStore extends AzureAISearchVectorStore {
  /** What the store does on its own when it builds its client from an endpoint and key. */
  createIndexWith(indexClient: SearchIndexClient): Promise<void> {
    return this.ensureIndexExists(indexClient);
  }
}

export async function runLangChain(config: PipelineConfig): Promise<PipelineChildResult> {
  const corpus = await readManifest(config.manifestPath);
  const wanted = new Set(config.files);
  const files = corpus.files.filter((file) => wanted.has(file.path));
  const env = config.azureEnv;
  const started = performance.now();

  const documentIntelligence = documentIntelligenceClient(env);
  const docs: Document[] = [];
  const failures: PipelineFailure[] = [];
  for (const file of files) {
    try {
      const bytes = await readFile(file.path);
      const pages =
        file.route === 'local'
          ? [{ pageNumber: 1, text: bytes.toString('utf8') }]
          : await analyzeDocument(documentIntelligence, bytes);
      for (const page of pages) {
        docs.push(
          new Document({ pageContent: page.text, metadata: { source: file.path, page: page.pageNumber } }),
        );
      }
    } catch (error) {
      failures.push({ path: file.path, message: errorMessage(error) });
    }
  }
  const loadedAt = performance.now();

  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
  const splits = await splitter.splitDocuments(docs);
  const splitAt = performance.now();

  const embeddings = new AzureOpenAIEmbeddings({
    azureOpenAIApiKey: required(env, 'AZURE_OPENAI_API_KEY'),
    azureOpenAIApiVersion: required(env, 'AZURE_OPENAI_API_VERSION'),
    azureOpenAIApiDeploymentName: required(env, 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT'),
    azureOpenAIBasePath: `${required(env, 'AZURE_OPENAI_ENDPOINT')}/openai/deployments`,
  });
  const store = new LoopbackAzureAISearchVectorStore(embeddings, {
    client: searchClient(env, config.indexName),
    indexName: config.indexName,
    search: { type: AzureAISearchQueryType.SimilarityHybrid },
  });
  const loaded = new Set(splits.map((split) => String(split.metadata.source)));
  let indexedFiles = 0;
  try {
    await store.createIndexWith(searchIndexClient(env));
    await store.addDocuments(splits);
    indexedFiles = loaded.size;
  } catch (error) {
    // One call indexes everything, so one failure loses every loaded file.
    for (const source of loaded) failures.push({ path: source, message: errorMessage(error) });
  }
  const finishedAt = performance.now();
  return {
    workMs: finishedAt - started,
    files: files.length,
    indexedFiles,
    chunks: splits.length,
    failures,
    phasesMs: { load: loadedAt - started, split: splitAt - loadedAt, embedAndUpload: finishedAt - splitAt },
  };
}

if (isMainModule(import.meta.url)) {
  printResult(await runLangChain(await readPipelineConfig(process.argv)));
}

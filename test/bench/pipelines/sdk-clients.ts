/**
 * The Azure SDK clients the baselines use, built the way their samples build them (SDK defaults,
 * key credentials), pointed at the simulator. `allowInsecureConnection` is only there because the
 * simulator speaks plain http on 127.0.0.1.
 */

import { AzureKeyCredential, SearchClient, SearchIndexClient } from '@azure/search-documents';
import DocumentIntelligence, { type DocumentIntelligenceClient } from '@azure-rest/ai-document-intelligence';
import imageAnalysisDefault, { type ImageAnalysisClient } from '@azure-rest/ai-vision-image-analysis';
import { AzureOpenAI } from 'openai';

type ImageAnalysisFactory = (
  endpoint: string,
  credential: AzureKeyCredential,
  options: { allowInsecureConnection: boolean },
) => ImageAnalysisClient;
// The package's ESM build exposes its factory as `default.default` under Node's CJS interop.
const createImageAnalysisClient: ImageAnalysisFactory =
  typeof imageAnalysisDefault === 'function'
    ? (imageAnalysisDefault as unknown as ImageAnalysisFactory)
    : (imageAnalysisDefault as unknown as { default: ImageAnalysisFactory }).default;

export function required(env: Record<string, string>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export function documentIntelligenceClient(env: Record<string, string>): DocumentIntelligenceClient {
  return DocumentIntelligence(
    required(env, 'AZURE_DOCUMENTINTELLIGENCE_ENDPOINT'),
    { key: required(env, 'AZURE_DOCUMENTINTELLIGENCE_KEY') },
    { allowInsecureConnection: true },
  );
}

export function visionClient(env: Record<string, string>): ImageAnalysisClient {
  return createImageAnalysisClient(
    required(env, 'AZURE_VISION_ENDPOINT'),
    new AzureKeyCredential(required(env, 'AZURE_VISION_KEY')),
    { allowInsecureConnection: true },
  );
}

export function openAiClient(env: Record<string, string>): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: required(env, 'AZURE_OPENAI_ENDPOINT'),
    apiKey: required(env, 'AZURE_OPENAI_API_KEY'),
    apiVersion: required(env, 'AZURE_OPENAI_API_VERSION'),
    deployment: required(env, 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT'),
  });
}

export function searchIndexClient(env: Record<string, string>): SearchIndexClient {
  return new SearchIndexClient(
    required(env, 'AZURE_SEARCH_ENDPOINT'),
    new AzureKeyCredential(required(env, 'AZURE_SEARCH_API_KEY')),
    { allowInsecureConnection: true },
  );
}

export function searchClient<T extends object>(
  env: Record<string, string>,
  indexName: string,
): SearchClient<T> {
  return new SearchClient<T>(
    required(env, 'AZURE_SEARCH_ENDPOINT'),
    indexName,
    new AzureKeyCredential(required(env, 'AZURE_SEARCH_API_KEY')),
    { allowInsecureConnection: true },
  );
}

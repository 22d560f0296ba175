/**
 * One Document Intelligence analysis the way the SDK's samples do it: POST the bytes, then let the
 * SDK's poller poll until the operation is done. Returns the text of each page.
 */
import {
  type AnalyzeOperationOutput,
  type DocumentIntelligenceClient,
  getLongRunningPoller,
  isUnexpected,
} from '@azure-rest/ai-document-intelligence';

export interface PageText {
  pageNumber: number;
  text: string;
}

export async function analyzeDocument(
  client: DocumentIntelligenceClient,
  bytes: Uint8Array,
  modelId = 'prebuilt-layout',
): Promise<PageText[]> {
  const initial = await client.path('/documentModels/{modelId}:analyze', modelId).post({
    contentType: 'application/octet-stream',
    body: bytes,
  });
  if (isUnexpected(initial)) throw new Error(`analyze failed: ${initial.body.error.message}`);
  const done = await getLongRunningPoller(client, initial).pollUntilDone();
  if (isUnexpected(done)) throw new Error(`analyze failed: ${done.body.error.message}`);
  const operation = done.body as AnalyzeOperationOutput;
  const result = operation.analyzeResult;
  if (operation.status !== 'succeeded' || !result) throw new Error(`analyze ended ${operation.status}`);
  const content = result.content;
  return result.pages.map((page) => ({
    pageNumber: page.pageNumber,
    text: page.spans.map((span) => content.slice(span.offset, span.offset + span.length)).join(''),
  }));
}

/**
 * Conformance of the simulated Document Intelligence with the real recordings in
 * ../shared/azure-recordings/document-intelligence, driven by the real
 * `@azure-rest/ai-document-intelligence` client and its long-running-operation poller.
 */

import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import DocumentIntelligence, {
  type AnalyzeOperationOutput,
  type DocumentIntelligenceClient,
  getLongRunningPoller,
  isUnexpected,
} from '@azure-rest/ai-document-intelligence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../azure-sim/content/fixture-server';
import { makePdf } from '../../azure-sim/content/fixtures';
import { instantProfile } from '../../azure-sim/core/profiles';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';
import {
  HAS_RECORDINGS,
  noteIfRecordingsMissing,
  type RecordedExchange,
  readRecording,
  shapeDifferences,
} from './helpers/recordings';

noteIfRecordingsMissing('document-intelligence-conformance');

interface RecordedFlow {
  entries: RecordedExchange[];
}

interface Captured {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Records every exchange the real client makes, as it saw it on the wire. */
function capture(client: DocumentIntelligenceClient): Captured[] {
  const exchanges: Captured[] = [];
  const policy: PipelinePolicy = {
    name: 'capture-exchanges',
    async sendRequest(request, next) {
      const response = await next(request);
      const text = response.bodyAsText ?? '';
      exchanges.push({
        method: request.method,
        url: request.url,
        status: response.status,
        headers: response.headers.toJSON(),
        body: text ? JSON.parse(text) : null,
      });
      return response;
    },
  };
  client.pipeline.addPolicy(policy);
  return exchanges;
}

/** Headers the Azure clients and Quarry read, present in both recordings' responses. */
const expectHeadersLike = (
  actual: Record<string, string>,
  recorded: Record<string, string>,
  names: string[],
): void => {
  const lower = Object.fromEntries(
    Object.entries(recorded).map(([name, value]) => [name.toLowerCase(), value]),
  );
  for (const name of names) {
    if (name in lower) expect(actual, `header ${name}`).toHaveProperty(name);
    else expect(actual, `header ${name} (absent in the recording)`).not.toHaveProperty(name);
  }
};

/** A document like the recorded ones: a header line, a title-less body and (for layout) a table. */
const invoicePdf = (): Promise<Uint8Array> =>
  makePdf([
    {
      kind: 'text',
      paragraphs: [
        'Contoso Address: 1 Redmond way Suite 6000 Redmond, WA 99243',
        'Invoice For: Microsoft 1020 Enterprise Way',
      ],
      table: [
        ['Invoice Number', 'Invoice Date', 'Charges'],
        ['34278587', '6/18/2017', '$56,651.49'],
      ],
    },
  ]);

describe.skipIf(!HAS_RECORDINGS)('Document Intelligence conformance with the recordings', () => {
  let sim: AzureSim;
  let files: FixtureServer;

  beforeAll(async () => {
    // 1.5 s of processing: the first poll finds the operation queued, the next one running.
    sim = await startAzureSim({
      profile: {
        ...instantProfile,
        latency: { 'documentIntelligence.analyze': { baseMs: 1_500, perUnitMs: 0, jitterRatio: 0 } },
      },
    });
    files = await startFixtureServer();
  });
  afterAll(async () => {
    await sim?.close();
    await files?.close();
  });

  const client = (apiVersion?: string): DocumentIntelligenceClient =>
    DocumentIntelligence(
      sim.endpoints.documentIntelligence,
      { key: sim.keys.documentIntelligence },
      { allowInsecureConnection: true, ...(apiVersion ? { apiVersion } : {}) },
    );

  it('prebuilt-read from base64Source (2024-11-30): 202, polls with Retry-After, same result shape', async () => {
    const recording = readRecording<RecordedFlow>('document-intelligence/read-base64-flow-2024-11-30.json');
    const [recordedPost, recordedRunning, recordedDone] = recording.entries;
    const reader = client();
    const exchanges = capture(reader);
    const pdf = await makePdf([
      {
        kind: 'text',
        paragraphs: ['This is the header of the document.', 'Latin refers to an ancient Italic language.'],
      },
    ]);

    const initial = await reader
      .path('/documentModels/{modelId}:analyze', 'prebuilt-read')
      .post({ contentType: 'application/json', body: { base64Source: Buffer.from(pdf).toString('base64') } });
    expect(initial.status).toBe(String(recordedPost!.response.status));
    const poller = getLongRunningPoller(reader, initial);
    const done = await poller.pollUntilDone();
    if (isUnexpected(done)) throw new Error('analyze failed');
    const operation = done.body as AnalyzeOperationOutput;

    const [post, ...polls] = exchanges;
    // 202: absolute Operation-Location on the sim's own origin; resultId = the POST's request id.
    const requestId = post!.headers['apim-request-id']!;
    expect(post!.headers['operation-location']).toBe(
      `${sim.baseUrl}/documentintelligence/documentModels/prebuilt-read/analyzeResults/${requestId}?api-version=2024-11-30`,
    );
    expect(post!.headers['content-length']).toBe('0');
    expectHeadersLike(post!.headers, recordedPost!.response.headers, [
      'apim-request-id',
      'x-ms-region',
      'operation-location',
      'retry-after',
    ]);

    // Polls: notStarted -> running (Retry-After: 1 each) -> succeeded (no Retry-After).
    const statuses = polls.map((poll) => (poll.body as { status: string }).status);
    expect(statuses[0]).toBe('notStarted');
    expect(statuses).toContain('running');
    expect(statuses.at(-1)).toBe('succeeded');
    const running = polls.find((poll) => (poll.body as { status: string }).status === 'running')!;
    expect(running.status).toBe(200);
    expect(running.headers['retry-after']).toBe('1');
    expect(running.headers['content-type']).toBe(recordedRunning!.response.headers['Content-Type']);
    expect(shapeDifferences(running.body, recordedRunning!.response.body)).toEqual([]);
    const final = polls.at(-1)!;
    expectHeadersLike(final.headers, recordedDone!.response.headers, [
      'apim-request-id',
      'x-ms-region',
      'content-type',
      'retry-after',
    ]);
    expect(shapeDifferences(final.body, recordedDone!.response.body)).toEqual([]);
    expect(shapeDifferences(operation, recordedDone!.response.body)).toEqual([]);

    // And the content is what the PDF says.
    expect(operation.analyzeResult?.content).toBe(
      'This is the header of the document.\nLatin refers to an ancient Italic language.',
    );
    expect(operation.analyzeResult?.pages.map((page) => page.pageNumber)).toEqual([1]);
  });

  it('prebuilt-layout from urlSource with a locale (2024-02-29-preview): tables, sections, no poll Retry-After', async () => {
    const recording = readRecording<RecordedFlow>(
      'document-intelligence/layout-url-flow-2024-02-29-preview.json',
    );
    const [recordedPost, recordedRunning, recordedDone] = recording.entries;
    const layout = client('2024-02-29-preview');
    const exchanges = capture(layout);
    const urlSource = files.put('invoice.pdf', await invoicePdf(), 'application/pdf');

    const initial = await layout
      .path('/documentModels/{modelId}:analyze', 'prebuilt-layout')
      .post({ contentType: 'application/json', body: { urlSource }, queryParameters: { locale: 'en-IN' } });
    expect(initial.status).toBe('202');
    const done = await getLongRunningPoller(layout, initial).pollUntilDone();
    if (isUnexpected(done)) throw new Error('analyze failed');

    const [post, ...polls] = exchanges;
    expect(post!.headers['operation-location']).toMatch(
      new RegExp(
        `^${sim.baseUrl}/documentintelligence/documentModels/prebuilt-layout/analyzeResults/[0-9a-f-]{36}\\?api-version=2024-02-29-preview$`,
      ),
    );
    expectHeadersLike(post!.headers, recordedPost!.response.headers, [
      'apim-request-id',
      'x-ms-region',
      'operation-location',
      'retry-after',
    ]);
    // Without a Retry-After the client polls every 2 s: the first poll finds the operation unfinished.
    const unfinished = polls.find((poll) => (poll.body as { status: string }).status !== 'succeeded')!;
    expectHeadersLike(unfinished.headers, recordedRunning!.response.headers, [
      'apim-request-id',
      'content-type',
      'retry-after',
    ]);
    expect(shapeDifferences(unfinished.body, recordedRunning!.response.body)).toEqual([]);
    expect(shapeDifferences(done.body, recordedDone!.response.body)).toEqual([]);

    const result = (done.body as AnalyzeOperationOutput).analyzeResult!;
    expect(result.apiVersion).toBe('2024-02-29-preview');
    expect(result.tables?.[0]?.cells.map((cell) => cell.content)).toEqual([
      'Invoice Number',
      'Invoice Date',
      'Charges',
      '34278587',
      '6/18/2017',
      '$56,651.49',
    ]);
    expect(result.content.startsWith('Contoso Address: 1 Redmond way Suite 6000 Redmond, WA 99243\n')).toBe(
      true,
    );
  });

  it('an invalid locale fails on the POST with the recorded error', async () => {
    const recording = readRecording('document-intelligence/error-400-invalid-locale.json');
    const response = await client('2024-02-29-preview')
      .path('/documentModels/{modelId}:analyze', 'prebuilt-layout')
      .post({
        contentType: 'application/json',
        body: recording.request.body as { urlSource: string },
        queryParameters: { locale: 'thisIsNotAValidLanguage' },
      });
    expect(isUnexpected(response)).toBe(true);
    expect(response.status).toBe('400');
    expect(response.body).toEqual(recording.response.body);
    expect(response.headers['ms-azure-ai-errorcode']).toBe('InvalidArgument');
    expect(response.headers['content-type']).toBe(recording.response.headers['Content-Type']);
    expectHeadersLike(response.headers, recording.response.headers, [
      'apim-request-id',
      'x-ms-region',
      'ms-azure-ai-errorcode',
    ]);
  });

  it('a page range beyond the document fails on the POST with the recorded error', async () => {
    const recording = readRecording('document-intelligence/error-400-invalid-pages.json');
    const urlSource = files.put('one-page.pdf', await invoicePdf(), 'application/pdf');
    const response = await client('2024-02-29-preview')
      .path('/documentModels/{modelId}:analyze', 'prebuilt-layout')
      .post({
        contentType: 'application/json',
        body: { urlSource },
        queryParameters: { locale: 'en-IN', pages: '2' },
      });
    expect(response.status).toBe('400');
    expect(response.body).toEqual(recording.response.body);
    expectHeadersLike(response.headers, recording.response.headers, [
      'apim-request-id',
      'x-ms-region',
      'ms-azure-ai-errorcode',
      'content-type',
    ]);
  });
});

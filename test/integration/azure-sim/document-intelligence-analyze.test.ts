/**
 * Document Intelligence simulator behaviour through the real client: content read end to end
 * from raw bytes and base64, page selection, markdown, string index units, limits and the
 * service's errors for unreadable or unacceptable input.
 */
import DocumentIntelligence, {
  type AnalyzeOperationOutput,
  type AnalyzeResultOutput,
  type DocumentIntelligenceClient,
  getLongRunningPoller,
  isUnexpected,
} from '@azure-rest/ai-document-intelligence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeDocx,
  makeEncryptedPdf,
  makeNumberedPdf,
  makePdf,
  makeTextImage,
} from '../../azure-sim/content/fixtures';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';
import { createDocumentIntelligenceService } from '../../azure-sim/services/document-intelligence';
import { DI_TIERS } from '../../azure-sim/services/document-intelligence-analyze';

type RawContentType = 'application/octet-stream' | 'application/pdf' | 'image/png' | 'image/jpeg';

const clientFor = (sim: AzureSim, key = sim.keys.documentIntelligence): DocumentIntelligenceClient =>
  DocumentIntelligence(sim.endpoints.documentIntelligence, { key }, { allowInsecureConnection: true });

async function analyzeBytes(
  client: DocumentIntelligenceClient,
  modelId: 'prebuilt-read' | 'prebuilt-layout',
  bytes: Uint8Array,
  contentType: RawContentType,
  queryParameters: Record<string, string> = {},
): Promise<AnalyzeResultOutput> {
  const initial = await client
    .path('/documentModels/{modelId}:analyze', modelId)
    .post({ contentType, body: bytes, queryParameters });
  if (isUnexpected(initial)) throw new Error(`analyze refused: ${JSON.stringify(initial.body)}`);
  const done = await getLongRunningPoller(client, initial).pollUntilDone();
  if (isUnexpected(done)) throw new Error('analyze failed');
  const result = (done.body as AnalyzeOperationOutput).analyzeResult;
  if (!result) throw new Error('no analyzeResult');
  return result;
}

interface ErrorReply {
  status: string;
  body: { error: { code: string; message: string; innererror?: { code: string; message: string } } };
}

async function postError(
  client: DocumentIntelligenceClient,
  modelId: string,
  request:
    | { contentType: RawContentType; body: Uint8Array }
    | { contentType: 'application/json'; body: object },
  queryParameters: Record<string, string> = {},
): Promise<ErrorReply> {
  const path = client.path('/documentModels/{modelId}:analyze', modelId);
  const response =
    request.contentType === 'application/json'
      ? await path.post({ contentType: 'application/json', body: request.body, queryParameters })
      : await path.post({ contentType: request.contentType, body: request.body, queryParameters });
  return { status: response.status, body: response.body as ErrorReply['body'] };
}

describe('Document Intelligence: content end to end', () => {
  let sim: AzureSim;
  let client: DocumentIntelligenceClient;

  beforeAll(async () => {
    sim = await startAzureSim();
    client = clientFor(sim);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('reads the selected pages of a PDF sent as application/pdf, as markdown with page breaks', async () => {
    const result = await analyzeBytes(
      client,
      'prebuilt-layout',
      await makeNumberedPdf(4),
      'application/pdf',
      {
        pages: '1,3-4',
        outputContentFormat: 'markdown',
      },
    );
    expect(result.pages.map((page) => page.pageNumber)).toEqual([1, 3, 4]);
    expect(result.contentFormat).toBe('markdown');
    expect(result.content).toBe('Page 1\n\n<!-- PageBreak -->\n\nPage 3\n\n<!-- PageBreak -->\n\nPage 4');
    expect(result.paragraphs?.map((paragraph) => paragraph.boundingRegions?.[0]?.pageNumber)).toEqual([
      1, 3, 4,
    ]);
  });

  it('reads tables and headings of a PDF sent as octet-stream (layout, text content)', async () => {
    const pdf = await makePdf([
      {
        kind: 'text',
        heading: 'Stock report',
        paragraphs: ['Counted on Monday.'],
        table: [
          ['Item', 'Count'],
          ['Bolts', '120'],
        ],
      },
    ]);
    const result = await analyzeBytes(client, 'prebuilt-layout', pdf, 'application/octet-stream');
    expect(result.content).toBe('Stock report\nCounted on Monday.\nItem\nCount\nBolts\n120');
    expect(result.paragraphs?.[0]).toMatchObject({ role: 'title', content: 'Stock report' });
    expect(result.tables?.[0]).toMatchObject({ rowCount: 2, columnCount: 2 });
    expect(result.sections?.[0]?.elements).toEqual(['/paragraphs/0', '/paragraphs/1', '/tables/0']);
    const page = result.pages[0]!;
    expect(page).toMatchObject({ width: 8.5, height: 11, unit: 'inch' });
    expect(page.words?.map((word) => word.content)).toEqual([
      'Stock',
      'report',
      'Counted',
      'on',
      'Monday.',
      'Item',
      'Count',
      'Bolts',
      '120',
    ]);
  });

  it('reads a PNG carrying convention text, in pixels', async () => {
    const image = makeTextImage({ lines: ['Receipt 0815', 'Total 12.50 EUR'], width: 640, height: 240 });
    const result = await analyzeBytes(client, 'prebuilt-read', image, 'image/png');
    expect(result.content).toBe('Receipt 0815 Total 12.50 EUR');
    expect(result.pages[0]).toMatchObject({ pageNumber: 1, width: 640, height: 240, unit: 'pixel' });
    for (const word of result.pages[0]!.words ?? []) {
      expect(word.polygon?.every((value) => Number.isInteger(value))).toBe(true);
    }
  });

  it('reads a scanned page (a JPEG with convention text) next to a text page', async () => {
    const pdf = await makePdf([
      { kind: 'text', paragraphs: ['Typed cover page'] },
      { kind: 'scan', lines: ['Handwritten note', '', 'Signed J. Doe'] },
    ]);
    const result = await analyzeBytes(client, 'prebuilt-read', pdf, 'application/pdf');
    expect(result.content).toBe('Typed cover page\nHandwritten note\nSigned J. Doe');
    expect(result.pages[1]!.spans[0]).toEqual({ offset: 17, length: 30 });
  });

  it('reads DOCX headings and tables through base64Source, with no geometry', async () => {
    const docx = await makeDocx({
      title: 'Minutes',
      sections: [{ heading: 'Decisions', paragraphs: ['Budget approved.'] }],
      table: [
        ['Owner', 'Task'],
        ['Ana', 'Draft'],
      ],
    });
    const initial = await client.path('/documentModels/{modelId}:analyze', 'prebuilt-layout').post({
      contentType: 'application/json',
      body: { base64Source: Buffer.from(docx).toString('base64') },
      queryParameters: { outputContentFormat: 'markdown' },
    });
    const done = await getLongRunningPoller(client, initial).pollUntilDone();
    const result = (done.body as AnalyzeOperationOutput).analyzeResult!;
    expect(result.content).toBe(
      '# Minutes\n\n## Decisions\n\nBudget approved.\n\n<table>\n<tr>\n<th>Owner</th>\n<th>Task</th>\n</tr>\n<tr>\n<td>Ana</td>\n<td>Draft</td>\n</tr>\n</table>',
    );
    expect(result.pages[0]).not.toHaveProperty('unit');
    expect(result.paragraphs?.[0]).not.toHaveProperty('boundingRegions');
  });

  it('echoes stringIndexType and counts offsets in that unit', async () => {
    const image = makeTextImage({ lines: ['😀 smile', 'next'] });
    const utf16 = await analyzeBytes(client, 'prebuilt-read', image, 'image/png', {
      stringIndexType: 'utf16CodeUnit',
    });
    const elements = await analyzeBytes(client, 'prebuilt-read', image, 'image/png');
    expect(utf16.stringIndexType).toBe('utf16CodeUnit');
    expect(elements.stringIndexType).toBe('textElements');
    const smile = (result: AnalyzeResultOutput) =>
      result.pages[0]!.words!.find((word) => word.content === 'smile')!.span;
    expect(smile(utf16)).toEqual({ offset: 3, length: 5 });
    expect(smile(elements)).toEqual({ offset: 2, length: 5 });
  });

  it('keeps results until deleted, then answers OperationNotFound', async () => {
    const initial = await client
      .path('/documentModels/{modelId}:analyze', 'prebuilt-read')
      .post({ contentType: 'application/pdf', body: await makeNumberedPdf(1) });
    const resultId = initial.headers['apim-request-id'] as string;
    const path = client.path(
      '/documentModels/{modelId}/analyzeResults/{resultId}',
      'prebuilt-read',
      resultId,
    );
    expect((await path.get()).status).toBe('200');
    expect((await path.delete()).status).toBe('204');
    const gone = await path.get();
    expect(gone.status).toBe('404');
    expect(gone.body).toMatchObject({
      error: { code: 'NotFound', innererror: { code: 'OperationNotFound' } },
    });
    const wrongModel = await client
      .path('/documentModels/{modelId}/analyzeResults/{resultId}', 'prebuilt-layout', 'no-such-result')
      .get();
    expect(wrongModel.status).toBe('404');
  });
});

describe('Document Intelligence: errors for unreadable or unacceptable input', () => {
  let sim: AzureSim;
  let client: DocumentIntelligenceClient;

  beforeAll(async () => {
    sim = await startAzureSim();
    client = clientFor(sim);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('corrupt bytes: 400 InvalidRequest / InvalidContent', async () => {
    const response = await postError(client, 'prebuilt-read', {
      contentType: 'application/octet-stream',
      body: Buffer.from('not a document at all'),
    });
    expect(response.status).toBe('400');
    expect(response.body.error).toMatchObject({
      code: 'InvalidRequest',
      innererror: { code: 'InvalidContent' },
    });
  });

  it('a password-protected PDF: 400 InvalidRequest / UnsupportedContent', async () => {
    const response = await postError(client, 'prebuilt-layout', {
      contentType: 'application/pdf',
      body: makeEncryptedPdf(),
    });
    expect(response.status).toBe('400');
    expect(response.body.error).toMatchObject({
      code: 'InvalidRequest',
      innererror: { code: 'UnsupportedContent' },
    });
  });

  it('an image smaller than 50 px: 400 InvalidContentDimensions', async () => {
    const tiny = makeTextImage({ lines: ['x'], width: 40, height: 40, fontSizePx: 10 });
    const response = await postError(client, 'prebuilt-read', { contentType: 'image/png', body: tiny });
    expect(response.body.error).toMatchObject({
      code: 'InvalidRequest',
      innererror: { code: 'InvalidContentDimensions' },
    });
  });

  it('bad base64, a missing source, an unreachable URL', async () => {
    const badBase64 = await postError(client, 'prebuilt-read', {
      contentType: 'application/json',
      body: { base64Source: '%%%not base64' },
    });
    expect(badBase64.body.error).toMatchObject({
      code: 'InvalidArgument',
      innererror: { code: 'InvalidContentSourceFormat' },
    });
    const missing = await postError(client, 'prebuilt-read', { contentType: 'application/json', body: {} });
    expect(missing.body.error).toMatchObject({
      code: 'InvalidArgument',
      innererror: { code: 'ParameterMissing' },
    });
    const remote = await postError(client, 'prebuilt-read', {
      contentType: 'application/json',
      body: { urlSource: 'https://example.com/never-fetched.pdf' },
    });
    expect(remote.status).toBe('400');
    expect(remote.body.error).toMatchObject({
      code: 'InvalidRequest',
      innererror: { code: 'ContentSourceNotAccessible' },
    });
  });

  it('an unknown model, markdown from prebuilt-read, an unknown feature', async () => {
    const pdf = await makeNumberedPdf(1);
    const model = await postError(client, 'prebuilt-receipt-v9', {
      contentType: 'application/pdf',
      body: pdf,
    });
    expect(model.status).toBe('404');
    expect(model.body.error.innererror?.code).toBe('ModelNotFound');
    const markdown = await postError(
      client,
      'prebuilt-read',
      { contentType: 'application/pdf', body: pdf },
      { outputContentFormat: 'markdown' },
    );
    expect(markdown.body.error).toMatchObject({
      code: 'InvalidArgument',
      innererror: { code: 'InvalidParameter' },
    });
    const feature = await postError(
      client,
      'prebuilt-layout',
      { contentType: 'application/pdf', body: pdf },
      { features: 'telepathy' },
    );
    expect(feature.status).toBe('400');
  });

  it('an unsupported content type: 415; an unknown api-version: 404', async () => {
    const url = `${sim.baseUrl}/documentintelligence/documentModels/prebuilt-read:analyze?api-version=2024-11-30`;
    const headers = { 'Ocp-Apim-Subscription-Key': sim.keys.documentIntelligence };
    const plain = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'text/plain' },
      body: 'hello',
    });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ error: { code: 'UnsupportedMediaType' } });
    const version = await fetch(url.replace('2024-11-30', '2019-01-01'), {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/pdf' },
      body: Buffer.from(await makeNumberedPdf(1)),
    });
    expect(version.status).toBe(404);
  });

  it('a wrong key: the gateway 401, without a region header', async () => {
    const response = await clientFor(sim, 'wrong-key')
      .path('/documentModels/{modelId}:analyze', 'prebuilt-read')
      .post({ contentType: 'application/pdf', body: await makeNumberedPdf(1) });
    expect(response.status).toBe('401');
    expect(response.body).toMatchObject({ error: { code: '401' } });
    expect(response.headers).not.toHaveProperty('x-ms-region');
    expect(response.headers).toHaveProperty('apim-request-id');
  });
});

describe('Document Intelligence: free-tier limits (F0)', () => {
  let sim: AzureSim;
  let client: DocumentIntelligenceClient;

  beforeAll(async () => {
    sim = await startAzureSim({
      serviceFactories: [createDocumentIntelligenceService({ limits: DI_TIERS.F0 })],
    });
    client = clientFor(sim);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('refuses a document over 4 MB with InvalidContentLength', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4 * 1024 * 1024, 0x20)]);
    const response = await postError(client, 'prebuilt-read', { contentType: 'application/pdf', body: big });
    expect(response.status).toBe('400');
    expect(response.body.error).toMatchObject({
      code: 'InvalidRequest',
      innererror: { code: 'InvalidContentLength' },
    });
  });

  it('analyses only the first two pages', async () => {
    const result = await analyzeBytes(client, 'prebuilt-read', await makeNumberedPdf(5), 'application/pdf');
    expect(result.pages.map((page) => page.pageNumber)).toEqual([1, 2]);
    expect(result.content).toBe('Page 1\nPage 2');
  });
});

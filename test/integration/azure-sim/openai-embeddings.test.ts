/** Simulated Azure OpenAI embeddings through the real `openai` client: vectors, routes, limits. */
import { AuthenticationError, AzureOpenAI, BadRequestError, NotFoundError, OpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_401_MESSAGE } from '../../azure-sim/core/envelopes';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? 0;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  });
  return dot / Math.sqrt(aa * bb);
}

describe('Azure OpenAI embeddings', () => {
  let sim: AzureSim;
  let client: AzureOpenAI;

  beforeAll(async () => {
    sim = await startAzureSim();
    client = new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion: '2024-10-21',
      deployment: 'text-embedding-3-small',
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  const embed = async (
    input: string | string[],
    extra: { dimensions?: number; encoding_format?: 'float' | 'base64' } = {},
  ) =>
    (await client.embeddings.create({ model: 'text-embedding-3-small', input, ...extra })).data.map(
      (d) => d.embedding,
    );
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('base64 (the client default) and float give the same deterministic unit vectors', async () => {
    const [viaBase64] = await embed('The quick brown fox');
    const [viaFloat] = await embed('The quick brown fox', { encoding_format: 'float' });
    const [again] = await embed('The quick brown fox');
    expect(viaBase64).toHaveLength(1536);
    expect(viaBase64).toEqual(viaFloat);
    expect(again).toEqual(viaBase64);
    const norm = Math.sqrt((viaBase64 ?? []).reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
  });

  it('texts that share words are closer than texts that do not', async () => {
    const [query, related, unrelated] = await embed([
      'invoice payment due date',
      'The invoice payment is due on the first of the month',
      'Penguins live in the southern hemisphere',
    ]);
    expect(cosine(query ?? [], related ?? [])).toBeGreaterThan(cosine(query ?? [], unrelated ?? []) + 0.2);
  });

  it('dimensions shortens and renormalises; ada-002 refuses dimensions', async () => {
    const [short] = await embed('hello world', { dimensions: 256 });
    expect(short).toHaveLength(256);
    expect(Math.sqrt((short ?? []).reduce((s, x) => s + x * x, 0))).toBeCloseTo(1, 5);
    const ada = new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion: '2024-10-21',
      maxRetries: 0,
    });
    const error = await failure(
      ada.embeddings.create({ model: 'text-embedding-ada-002', input: 'x', dimensions: 256 }),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain('does not support specifying dimensions');
  });

  it('usage counts tokens with the model tokenizer', async () => {
    const result = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['one two three', 'four'],
    });
    expect(result.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    expect(result.data.map((d) => d.index)).toEqual([0, 1]);
  });

  it('more than 2048 inputs: 400 invalid_request_error', async () => {
    const error = (await failure(
      embed(Array.from({ length: 2049 }, (_, i) => `item ${i}`)),
    )) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toContain('The max number of inputs is 2048');
    await expect(embed(Array.from({ length: 2048 }, (_, i) => `item ${i}`))).resolves.toHaveLength(2048);
  });

  it('an input over 8192 tokens: 400 with the context-length message', async () => {
    const long = 'token '.repeat(8200);
    const error = (await failure(embed(['short', long]))) as BadRequestError;
    expect(error.status).toBe(400);
    expect(error.message).toMatch(
      /maximum context length is 8192 tokens, however you requested 820\d tokens/,
    );
  });

  it('more than 300,000 tokens in one request: 400', async () => {
    const chunk = 'word '.repeat(8000);
    const error = (await failure(embed(Array.from({ length: 38 }, () => chunk)))) as BadRequestError;
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/max 300000 tokens per request/);
  });

  it('empty input: 400', async () => {
    const error = (await failure(embed(['ok', '']))) as BadRequestError;
    expect(error.status).toBe(400);
    expect(error.message).toContain("'$.input' is invalid");
  });

  it('unknown deployment: 404 DeploymentNotFound', async () => {
    const noDeployment = new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion: '2024-10-21',
      maxRetries: 0,
    });
    const error = (await failure(
      noDeployment.embeddings.create({ model: 'nope', input: 'x' }),
    )) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe('DeploymentNotFound');
  });

  it('missing api-version on the deployment route: 404 Resource not found', async () => {
    const response = await fetch(`${sim.baseUrl}/openai/deployments/text-embedding-3-small/embeddings`, {
      method: 'POST',
      headers: { 'api-key': sim.keys.openai, 'content-type': 'application/json' },
      body: JSON.stringify({ input: 'x' }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: '404', message: 'Resource not found' } });
  });

  it('v1 route with the plain OpenAI client (Bearer key, model = deployment, no api-version)', async () => {
    const v1 = new OpenAI({ baseURL: `${sim.baseUrl}/openai/v1/`, apiKey: sim.keys.openai, maxRetries: 0 });
    const result = await v1.embeddings.create({ model: 'text-embedding-3-large', input: 'v1 route' });
    expect(result.data[0]?.embedding).toHaveLength(3072);
    expect(result.model).toBe('text-embedding-3-large');
  });

  it('a wrong key gets the gateway 401 envelope without region headers', async () => {
    const bad = new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: 'wrong',
      apiVersion: '2024-10-21',
      maxRetries: 0,
    });
    const error = (await failure(
      bad.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }),
    )) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.error).toEqual({ code: '401', message: GATEWAY_401_MESSAGE });
    expect(error.headers?.get('x-ms-region')).toBeNull();
    expect(error.headers?.get('apim-request-id')).toBeTruthy();
  });

  it('every answer carries x-ratelimit-remaining-* headers', async () => {
    const { response } = await client.embeddings
      .create({ model: 'text-embedding-3-small', input: 'one' })
      .withResponse();
    expect(Number(response.headers.get('x-ratelimit-remaining-requests'))).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBeGreaterThan(0);
  });
});

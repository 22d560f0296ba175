/**
 * The OpenAI-compatible embedder (Ollama, LM Studio) through the real `openai` package, against a
 * small server on 127.0.0.1 that speaks the OpenAI embeddings API.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalEmbedder } from '../../electron/engine/providers/local/embedding/create-local-embedder';
import { OpenAICompatibleEmbedder } from '../../electron/engine/providers/local/embedding/openai-compatible-embedder';

const DIMENSIONS = 8;

/** A deterministic vector per text: letter statistics, so equal texts give equal vectors. */
function vectorOf(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const [i, char] of [...text].entries())
    vector[(char.codePointAt(0) ?? 0) % DIMENSIONS]! += 1 + i / 100;
  return vector;
}

interface EmbeddingsRequest {
  model: string;
  input: string[];
  encoding_format?: string;
  authorization: string | undefined;
}

class EmbeddingsServer {
  readonly requests: EmbeddingsRequest[] = [];
  status = 200;
  delayInMs = 0;
  closedEarly = 0;
  private server!: Server;
  baseURL = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseURL = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":{"message":"not found"}}');
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<
      EmbeddingsRequest,
      'authorization'
    >;
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    this.requests.push({ ...body, input, authorization: request.headers.authorization });
    if (this.delayInMs > 0) {
      const closed = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), this.delayInMs);
        response.on('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (closed) {
        this.closedEarly += 1;
        return;
      }
    }
    if (this.status !== 200) {
      response
        .writeHead(this.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `status ${this.status}`, type: 'test' } }));
      return;
    }
    // Answer out of order: clients must place vectors by `index`.
    const data = input
      .map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text) }))
      .reverse();
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        object: 'list',
        data,
        model: body.model,
        usage: { prompt_tokens: 1, total_tokens: 1 },
      }),
    );
  }
}

let server: EmbeddingsServer;

beforeAll(async () => {
  server = new EmbeddingsServer();
  await server.start();
});

afterAll(async () => {
  await server?.stop();
});

beforeEach(() => {
  server.requests.length = 0;
  server.status = 200;
  server.delayInMs = 0;
});

const dataDir = os.tmpdir(); // the endpoint provider writes nothing

describe('OpenAI-compatible embeddings endpoint', () => {
  it('probes the vector size, sends floats, and returns vectors in input order', async () => {
    const status = await createLocalEmbedder({
      dataDir,
      config: { provider: 'openai-compatible', baseURL: server.baseURL, model: 'nomic-embed-text' },
    });
    try {
      expect(status.reason).toBeNull();
      expect(status).toMatchObject({ modelId: 'nomic-embed-text', dimensions: DIMENSIONS });
      const texts = ['first text', 'second one', 'third'];
      const vectors = await status.embedder!.embed(texts);
      expect(vectors).toEqual(texts.map(vectorOf));
      expect(server.requests.every((request) => request.encoding_format === 'float')).toBe(true);
      expect(server.requests.every((request) => request.model === 'nomic-embed-text')).toBe(true);
    } finally {
      await status.embedder?.close();
    }
  });

  it('shares requests across concurrent calls, up to the batch size', async () => {
    const embedder = new OpenAICompatibleEmbedder({
      baseURL: server.baseURL,
      model: 'm',
      dimensions: DIMENSIONS,
      maxBatchSize: 4,
    });
    const [a, b] = await Promise.all([
      embedder.embed(['a1', 'a2', 'a3']),
      embedder.embed(['b1', 'b2', 'b3']),
    ]);
    expect(a).toEqual(['a1', 'a2', 'a3'].map(vectorOf));
    expect(b).toEqual(['b1', 'b2', 'b3'].map(vectorOf));
    expect(server.requests.map((request) => request.input.length)).toEqual([4, 2]);
  });

  it('adds the configured prefixes and sends the API key', async () => {
    const embedder = new OpenAICompatibleEmbedder({
      baseURL: server.baseURL,
      model: 'm',
      dimensions: DIMENSIONS,
      apiKey: 'local-secret',
      queryPrefix: 'search_query: ',
      documentPrefix: 'search_document: ',
    });
    await embedder.embed(['where is my car'], { inputType: 'query' });
    await embedder.embed(['my car is in the garage']);
    expect(server.requests.map((request) => request.input[0])).toEqual([
      'search_query: where is my car',
      'search_document: my car is in the garage',
    ]);
    expect(server.requests[0]!.authorization).toBe('Bearer local-secret');
  });

  it('cancels the HTTP request when aborted', async () => {
    server.delayInMs = 10_000;
    const embedder = new OpenAICompatibleEmbedder({
      baseURL: server.baseURL,
      model: 'm',
      dimensions: DIMENSIONS,
    });
    const controller = new AbortController();
    const pending = embedder.embed(['slow'], { abortSignal: controller.signal });
    await expect.poll(() => server.requests.length).toBe(1);
    const before = server.closedEarly;
    const startedAt = performance.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    await expect.poll(() => server.closedEarly).toBe(before + 1);
  });

  it('maps HTTP failures to error codes', async () => {
    const embedder = new OpenAICompatibleEmbedder({
      baseURL: server.baseURL,
      model: 'm',
      dimensions: DIMENSIONS,
      maxRetries: 0,
    });
    server.status = 401;
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ code: 'auth' });
    server.status = 404;
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ code: 'invalid_input', reason: 'not_found' });
    server.status = 500;
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ code: 'service', retryable: true });
  });

  it('reports a wrong vector size, an unreachable server and an insecure URL as a status', async () => {
    const wrongSize = await createLocalEmbedder({
      dataDir,
      config: {
        provider: 'openai-compatible',
        baseURL: server.baseURL,
        model: 'm',
        dimensions: DIMENSIONS + 1,
      },
    });
    expect(wrongSize.embedder).toBeNull();
    expect(wrongSize.error?.reason).toBe('embedding_dimensions_mismatch');

    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as AddressInfo).port;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    const unreachable = await createLocalEmbedder({
      dataDir,
      config: { provider: 'openai-compatible', baseURL: `http://127.0.0.1:${port}/v1`, model: 'm' },
    });
    expect(unreachable.embedder).toBeNull();
    expect(unreachable.error?.code).toBe('network');
    expect(unreachable.reason).toContain('keyword search still works');

    const insecure = await createLocalEmbedder({
      dataDir,
      config: { provider: 'openai-compatible', baseURL: 'http://embeddings.example/v1', model: 'm' },
    });
    expect(insecure.embedder).toBeNull();
    expect(insecure.error?.reason).toBe('insecure_endpoint');
  });
});

/**
 * First-use download of the embedding model, against a Hugging Face-like server on 127.0.0.1 that
 * serves the generated tiny model (never the network): progress, checksum verification, resume,
 * failures, and the plain "no model" status when nothing can be fetched.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createLocalEmbedder,
  downloadLocalEmbeddingModel,
  modelsDirectory,
} from '../../electron/engine/providers/local/embedding/create-local-embedder';
import {
  downloadModel,
  type ModelDownloadProgress,
} from '../../electron/engine/providers/local/embedding/model-download';
import { modelDirectory } from '../../electron/engine/providers/local/embedding/model-files';
import {
  builtInEmbeddingModel,
  DEFAULT_EMBEDDING_MODEL_ID,
} from '../../electron/engine/providers/local/embedding/model-registry';
import { buildTinyEmbeddingModel, type TinyEmbeddingModel } from '../fixtures/tiny-embedding-model';

interface ServedRequest {
  path: string;
  range: string | undefined;
}

/** Serves `<id>/resolve/<revision>/<file>` with Range support; knobs to corrupt or cut a file. */
class ModelServer {
  readonly requests: ServedRequest[] = [];
  /** Files whose bytes are altered (checksum mismatch). */
  readonly corrupt = new Set<string>();
  /** Files whose first response is cut after this many bytes (the socket is destroyed). */
  readonly cutAfter = new Map<string, number>();
  private server!: Server;
  baseUrl = '';

  constructor(private readonly model: TinyEmbeddingModel) {}

  async start(): Promise<void> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = decodeURIComponent(request.url ?? '');
    this.requests.push({ path: url, range: request.headers.range });
    const prefix = `/${this.model.spec.id}/resolve/${this.model.spec.revision}/`;
    const file = this.model.files.find((candidate) => `${prefix}${candidate.path}` === url);
    if (!file) {
      response.writeHead(404).end('Entry not found');
      return;
    }
    let bytes = file.bytes;
    if (this.corrupt.has(file.path)) {
      bytes = Buffer.from(bytes);
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    }
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= bytes.length && range) {
      response.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
      return;
    }
    const body = bytes.subarray(start);
    response.writeHead(range ? 206 : 200, {
      'content-length': String(body.length),
      ...(range ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    const cut = this.cutAfter.get(file.path);
    if (cut !== undefined) {
      this.cutAfter.delete(file.path);
      response.write(body.subarray(0, cut), () => response.destroy());
      return;
    }
    response.end(body);
  }
}

const model = buildTinyEmbeddingModel();
const onnxPath = 'onnx/model.onnx';
let server: ModelServer;
let dataDir: string;

beforeAll(async () => {
  server = new ModelServer(model);
  await server.start();
});

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-model-download-'));
  server.requests.length = 0;
  server.corrupt.clear();
  server.cutAfter.clear();
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const localConfig = () => ({ provider: 'local' as const, model: model.spec, baseUrl: server.baseUrl });

describe('model download on first use', () => {
  it('downloads with progress, verifies, then works offline from the data dir', async () => {
    const progress: ModelDownloadProgress[] = [];
    const status = await createLocalEmbedder({
      dataDir,
      config: localConfig(),
      onProgress: (event) => progress.push(event),
    });
    try {
      expect(status.reason).toBeNull();
      expect(status.embedder).not.toBeNull();
      expect(status.dimensions).toBe(model.spec.dimensions);
      const [vector] = await status.embedder!.embed(['car repair']);
      expect(vector).toHaveLength(model.spec.dimensions);
    } finally {
      await status.embedder?.close();
    }

    // Progress: every file reported, bytes growing to the file's size.
    const onnx = progress.filter((event) => event.file === onnxPath);
    const onnxSize = model.files.find((file) => file.path === onnxPath)!.bytes.length;
    expect(onnx.at(-1)).toMatchObject({ loadedBytes: onnxSize, totalBytes: onnxSize, fileCount: 4 });
    expect(onnx.map((event) => event.loadedBytes)).toEqual(
      [...onnx.map((event) => event.loadedBytes)].sort((a, b) => a - b),
    );
    expect(new Set(progress.map((event) => event.file))).toEqual(
      new Set(model.files.map((file) => file.path)),
    );

    // Everything lands in <dataDir>/models/<owner>/<name>/, nothing half-written stays.
    const dir = modelDirectory(modelsDirectory(dataDir), model.spec);
    for (const file of model.files) expect(existsSync(path.join(dir, file.path))).toBe(true);
    expect((await readdir(path.join(dir, 'onnx'))).filter((name) => name.endsWith('.part'))).toEqual([]);
    expect(existsSync(path.join(dir, '.download.lock'))).toBe(false);

    // Second start: no request at all, even with downloads disabled.
    server.requests.length = 0;
    const offline = await createLocalEmbedder({ dataDir, config: localConfig(), download: false });
    try {
      expect(offline.reason).toBeNull();
      expect(server.requests).toEqual([]);
    } finally {
      await offline.embedder?.close();
    }
  });

  it('deletes a file that does not match its pinned checksum and fails clearly', async () => {
    server.corrupt.add(onnxPath);
    await expect(downloadLocalEmbeddingModel({ dataDir, config: localConfig() })).rejects.toMatchObject({
      code: 'service',
      reason: 'model_checksum_mismatch',
    });
    const dir = modelDirectory(modelsDirectory(dataDir), model.spec);
    expect(existsSync(path.join(dir, onnxPath))).toBe(false);
    expect(existsSync(path.join(dir, `${onnxPath}.part`))).toBe(false);

    const status = await createLocalEmbedder({ dataDir, config: localConfig() });
    expect(status.embedder).toBeNull();
    expect(status.error?.reason).toBe('model_checksum_mismatch');
    expect(status.reason).toContain('quarry models download');
    expect(status.reason).toContain('keyword search still works');
  });

  it('resumes an interrupted file with a Range request', async () => {
    const onnxSize = model.files.find((file) => file.path === onnxPath)!.bytes.length;
    const cut = Math.floor(onnxSize / 2);
    server.cutAfter.set(onnxPath, cut);
    const modelsDir = modelsDirectory(dataDir);
    await expect(downloadModel(model.spec, { modelsDir, baseUrl: server.baseUrl })).rejects.toMatchObject({
      code: 'network',
    });
    const partial = path.join(modelDirectory(modelsDir, model.spec), `${onnxPath}.part`);
    expect(existsSync(partial)).toBe(true);

    server.requests.length = 0;
    const result = await downloadModel(model.spec, { modelsDir, baseUrl: server.baseUrl });
    expect(result.downloaded).toEqual([onnxPath]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(server.requests[0]!.range!)![0])).toBeGreaterThan(0);
    expect(result.bytes).toBeLessThan(onnxSize);
    expect(existsSync(partial)).toBe(false);
  });

  it('hashes files placed by hand once and re-fetches only a damaged one', async () => {
    const dir = modelDirectory(modelsDirectory(dataDir), model.spec);
    for (const file of model.files) {
      await mkdir(path.dirname(path.join(dir, file.path)), { recursive: true });
      await writeFile(
        path.join(dir, file.path),
        file.path === 'config.json' ? '{"broken":true}' : file.bytes,
      );
    }
    const result = await downloadModel(model.spec, {
      modelsDir: modelsDirectory(dataDir),
      baseUrl: server.baseUrl,
    });
    expect(result.downloaded).toEqual(['config.json']);
    expect(server.requests.map((request) => request.path)).toEqual([
      `/${model.spec.id}/resolve/main/config.json`,
    ]);
  });

  it('reports a missing file on the server as a configuration problem', async () => {
    const spec = { ...model.spec, revision: 'no-such-revision' };
    await expect(
      downloadModel(spec, { modelsDir: modelsDirectory(dataDir), baseUrl: server.baseUrl }),
    ).rejects.toMatchObject({ code: 'invalid_input', reason: 'model_file_not_found' });
  });

  it('refuses to download while another live process holds the lock, and takes over a stale one', async () => {
    const dir = modelDirectory(modelsDirectory(dataDir), model.spec);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, '.download.lock'), String(process.pid));
    await expect(
      downloadModel(model.spec, { modelsDir: modelsDirectory(dataDir), baseUrl: server.baseUrl }),
    ).rejects.toMatchObject({ reason: 'model_download_in_progress' });

    await writeFile(path.join(dir, '.download.lock'), '2147483646'); // no such process
    const result = await downloadModel(model.spec, {
      modelsDir: modelsDirectory(dataDir),
      baseUrl: server.baseUrl,
    });
    expect(result.downloaded).toHaveLength(model.files.length);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const pending = downloadModel(model.spec, {
      modelsDir: modelsDirectory(dataDir),
      baseUrl: server.baseUrl,
      abortSignal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('no model available', () => {
  it('says why and how to get it, without downloading, when downloads are off', async () => {
    const status = await createLocalEmbedder({ dataDir, download: false });
    expect(status.embedder).toBeNull();
    expect(status.modelId).toBe(DEFAULT_EMBEDDING_MODEL_ID);
    expect(status.dimensions).toBe(builtInEmbeddingModel(DEFAULT_EMBEDDING_MODEL_ID)!.dimensions);
    expect(status.error?.reason).toBe('model_missing');
    expect(status.reason).toMatch(/^No local embedding model: .* is not downloaded yet \(\d+ MB\)\./);
    expect(status.reason).toContain('Run `quarry models download` or connect to the internet once');
    expect(status.reason).toContain('keyword search still works');
  });

  it('reports an unreachable host (offline first run) as a status, never a throw', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const status = await createLocalEmbedder({
      dataDir,
      config: { provider: 'local', model: model.spec, baseUrl: `http://127.0.0.1:${port}` },
    });
    expect(status.embedder).toBeNull();
    expect(status.error?.code).toBe('network');
    expect(status.reason).toMatch(/^No local embedding model: downloading .* failed/);
    expect(status.dimensions).toBe(model.spec.dimensions);
  });

  it('reports invalid settings and "off" plainly', async () => {
    const invalid = await createLocalEmbedder({
      dataDir,
      config: { provider: 'local', model: 'nobody/unknown-model' },
    });
    expect(invalid.embedder).toBeNull();
    expect(invalid.error?.reason).toBe('unknown_embedding_model');

    const off = await createLocalEmbedder({ dataDir, config: { provider: 'off' } });
    expect(off).toMatchObject({ embedder: null, error: null });
    expect(off.reason).toContain('turned off');
  });

  it('reports a model that cannot be loaded', async () => {
    const dir = modelDirectory(modelsDirectory(dataDir), model.spec);
    // Valid files, but a spec that claims another vector size: refused at the probe.
    const wrongSize = { ...model.spec, dimensions: model.spec.dimensions + 1 };
    await downloadModel(model.spec, { modelsDir: modelsDirectory(dataDir), baseUrl: server.baseUrl });
    expect(existsSync(dir)).toBe(true);
    const status = await createLocalEmbedder({
      dataDir,
      config: { provider: 'local', model: wrongSize, baseUrl: server.baseUrl },
    });
    expect(status.embedder).toBeNull();
    expect(status.error?.reason).toBe('embedding_dimensions_mismatch');
    expect(status.reason).toContain('could not be used');
  });
});

/**
 * A Hugging Face-like model host on 127.0.0.1 for tests: serves generated models as
 * `<id>/resolve/<revision>/<file>` (never the network), counts requests, and can hold a file back
 * until released so a test can observe a download in progress.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TinyEmbeddingModel } from '../fixtures/tiny-embedding-model';

export class ModelServer {
  readonly requests: string[] = [];
  baseUrl = '';
  private readonly server: Server;
  private readonly held = new Map<string, Promise<void>>();

  constructor(private readonly models: readonly TinyEmbeddingModel[]) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(models: readonly TinyEmbeddingModel[]): Promise<ModelServer> {
    const server = new ModelServer(models);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    server.baseUrl = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    // Never keeps a test process alive on its own.
    server.server.unref();
    return server;
  }

  /** Answers for `file` of every model wait until the returned function is called. */
  hold(file: string): () => void {
    let release = () => {};
    this.held.set(
      file,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => release();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = decodeURIComponent(request.url ?? '');
    this.requests.push(url);
    for (const model of this.models) {
      const prefix = `/${model.spec.id}/resolve/${model.spec.revision}/`;
      const file = model.files.find((candidate) => `${prefix}${candidate.path}` === url);
      if (!file) continue;
      await this.held.get(file.path);
      response.writeHead(200, { 'content-length': String(file.bytes.length) });
      response.end(file.bytes);
      return;
    }
    response.writeHead(404).end('Entry not found');
  }
}

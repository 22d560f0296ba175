import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A file server on 127.0.0.1 for `urlSource` / `{url}` tests: the simulator fetches loopback
 * URLs only, so a test publishes its generated documents here. Unknown names get 404.
 */
export interface FixtureServer {
  /** Publishes bytes under `name` and returns their URL. */
  put(name: string, bytes: Uint8Array, contentType?: string): string;
  /** The URL a name would have (published or not). */
  url(name: string): string;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const files = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const server = createServer((req, res) => {
    const file = files.get(decodeURIComponent((req.url ?? '/').slice(1).split('?')[0] ?? ''));
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': String(file.bytes.length) });
    res.end(file.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = (name: string): string => `http://127.0.0.1:${port}/${encodeURIComponent(name)}`;
  return {
    url,
    put(name, bytes, contentType = 'application/octet-stream') {
      files.set(name, { bytes, contentType });
      return url(name);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

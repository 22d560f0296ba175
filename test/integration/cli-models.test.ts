/**
 * `quarry models download` against a model host on 127.0.0.1 serving the generated tiny model:
 * downloads and verifies it, embeds what an earlier keyword-only ingest indexed, and then
 * `quarry search` is semantic. Exit codes: 0 ready (also when already there), 1 failed download,
 * 2 nothing to download.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyEmbeddingModel } from '../fixtures/tiny-embedding-model';
import { ModelServer } from '../helpers/model-server';
import { runCli } from '../helpers/run-cli';

const DOCS = {
  paraphrase: 'Fixing a broken truck engine.',
  keywordOnly: 'An automobile museum exhibit of ancient history.',
  fruit: 'Apples and a banana are fruit.',
};

const model = buildTinyEmbeddingModel({ id: 'quarry-test/tiny-cli' });
let root: string;
let server: ModelServer;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'quarry-cli-models-'));
  server = await ModelServer.start([model]);
});

afterAll(async () => {
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

async function dataDirWith(name: string, embeddings: unknown): Promise<string> {
  const dataDir = path.join(root, name);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), `${JSON.stringify({ embeddings }, null, 2)}\n`);
  return dataDir;
}

interface SearchJson {
  mode: string;
  notice: string | null;
  results: { sourcePath: string }[];
}

describe('quarry models download', () => {
  it('downloads the model, embeds the keyword-only index, and search becomes semantic', async () => {
    const dataDir = await dataDirWith('ready', {
      provider: 'local',
      model: model.spec,
      baseUrl: server.baseUrl,
    });
    const docs = path.join(root, 'docs');
    await mkdir(docs, { recursive: true });
    for (const [name, text] of Object.entries(DOCS)) await writeFile(path.join(docs, `${name}.txt`), text);

    const ingest = await runCli(['ingest', docs, '--data-dir', dataDir]);
    expect(ingest.code).toBe(0);
    const before = await runCli([
      'search',
      'automobile repair',
      '--mode',
      'vector',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    const keyword = JSON.parse(before.stdout) as SearchJson;
    expect(keyword.mode).toBe('keyword');
    expect(keyword.notice).toMatch(/semantic search is off.*quarry models download/);
    expect(server.requests).toEqual([]);

    const download = await runCli(['models', 'download', '--data-dir', dataDir]);
    expect(download.stderr).toContain(`Downloaded and verified 4 files`);
    expect(download.stderr).toContain('3 indexed chunks were embedded');
    expect(download.code).toBe(0);
    expect(server.requests).toHaveLength(4);

    const after = await runCli([
      'search',
      'automobile repair',
      '--mode',
      'vector',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    const semantic = JSON.parse(after.stdout) as SearchJson;
    expect(semantic.mode).toBe('vector');
    expect(semantic.notice).toBeNull();
    expect(path.basename(semantic.results[0]?.sourcePath ?? '')).toBe('paraphrase.txt');

    const again = await runCli(['models', 'download', '--data-dir', dataDir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`${model.spec.id} is already downloaded and verified.`);
    expect(server.requests).toHaveLength(4);
  }, 120_000);

  it('exits 1 when the model cannot be downloaded', async () => {
    const missing = { ...model.spec, id: 'quarry-test/not-served' };
    const dataDir = await dataDirWith('missing', {
      provider: 'local',
      model: missing,
      baseUrl: server.baseUrl,
    });
    const result = await runCli(['models', 'download', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/downloading the embedding model failed: .*does not exist/);
  });

  it('exits 2 when embeddings are off: there is nothing to download', async () => {
    const dataDir = await dataDirWith('off', { provider: 'local' });
    const result = await runCli(['models', 'download', '--data-dir', dataDir], {
      env: { QUARRY_EMBEDDINGS: 'off' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/turned off .*no model to download/);
  });
});

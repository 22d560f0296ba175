/**
 * `ask` on the local backend with an OpenAI-compatible chat endpoint (QUARRY_CHAT_ENDPOINT). The
 * simulator's `/openai/v1` route stands in for Ollama or LM Studio: same wire format, Bearer key.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../electron/engine/engine';
import { type AzureSim, startAzureSim } from '../azure-sim/index';
import { askAndWait } from '../helpers/ask';

describe('ask on the local backend through an OpenAI-compatible chat endpoint', () => {
  let sim: AzureSim;
  let root: string;
  let docs: string;
  let engine: Engine;

  const localEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    QUARRY_EMBEDDINGS: 'off',
    QUARRY_EMBEDDING_DOWNLOAD: 'off',
    ...extra,
  });

  beforeAll(async () => {
    sim = await startAzureSim();
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-ask-local-'));
    docs = path.join(root, 'docs');
    await mkdir(docs);
    await writeFile(
      path.join(docs, 'orchard.txt'),
      'The orchard has forty apple trees.\n\nThe pear harvest starts in late August and lasts three weeks.\n',
    );
    await writeFile(path.join(docs, 'boat.txt'), 'The sailing club keeps two boats at the northern pier.\n');
    engine = await openEngine({
      dataDir: path.join(root, 'data'),
      env: localEnv({
        QUARRY_CHAT_ENDPOINT: `${sim.endpoints.openai}/openai/v1`,
        QUARRY_CHAT_MODEL: 'gpt-4o-mini',
        QUARRY_CHAT_API_KEY: sim.keys.openai,
      }),
      eventFlushIntervalInMs: 20,
    });
    const summary = await (await engine.ingest([{ kind: 'path', path: docs }])).done;
    expect(summary.indexed).toBe(2);
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    await sim?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('answers from the retrieved chunks and cites them, with the usage the server reports', async () => {
    const run = await askAndWait(engine, 'When does the pear harvest start?');
    expect(run.done.error).toBeUndefined();
    expect(run.done.answer).toContain('late August');
    expect(run.deltas.join('')).toBe(run.done.answer);
    expect(run.done.citations[0]).toMatchObject({
      sourcePath: path.join(docs, 'orchard.txt'),
      sourceName: 'orchard.txt',
      page: null,
    });
    // Retrieval fell back to keywords (no embedding model here), and says so.
    expect(run.done.notice).toContain('keyword');
    expect(run.done.usage).toMatchObject({ estimated: false });
    // The v1 route was used with the model in the body, as an OpenAI-compatible server expects.
    expect(sim.ledger.entries().some((entry) => entry.path === '/openai/v1/chat/completions')).toBe(true);
  }, 60_000);

  it('keeps the partial answer when the connection drops mid-stream', async () => {
    sim.setScenario({ rules: [{ route: 'openai.chat', fault: 'truncateStream', afterChunks: 4 }] });
    try {
      const run = await askAndWait(engine, 'When does the pear harvest start?');
      expect(run.done.partial).toBe(true);
      expect(run.done.error).toMatchObject({ code: 'network', reason: 'stream_truncated' });
      expect(run.done.answer.length).toBeGreaterThan(0);
    } finally {
      sim.setScenario({ rules: [] });
    }
  }, 60_000);

  it('says how to add a chat model when none is configured, and what is missing when half is', async () => {
    for (const [env, expected] of [
      [localEnv(), 'QUARRY_CHAT_ENDPOINT'],
      [localEnv({ QUARRY_CHAT_ENDPOINT: 'http://127.0.0.1:11434/v1' }), 'QUARRY_CHAT_MODEL'],
      [localEnv({ QUARRY_CHAT_ENDPOINT: 'http://example.com/v1', QUARRY_CHAT_MODEL: 'm' }), 'https://'],
    ] as const) {
      const bare = await openEngine({ dataDir: path.join(root, `data-${expected.length}`), env });
      try {
        const error = await bare.handlers
          .ask({ question: 'anything', mode: 'hybrid', top: 3 })
          .catch((e) => e);
        expect(error).toMatchObject({ code: 'unsupported', reason: 'no_chat_model' });
        expect(String(error.message)).toContain(expected);
      } finally {
        await bare.close();
      }
    }
  }, 60_000);
});

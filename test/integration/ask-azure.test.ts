/**
 * `ask` on the Azure backend against the simulator's chat completions (SSE with Azure's
 * empty-choices first event): answers stream and cite retrieved chunks only; truncated streams,
 * content-filter refusals, throttles and context-length errors end clearly; stop aborts the
 * HTTP request and keeps the partial answer.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../electron/engine/engine';
import { instantProfile } from '../azure-sim/core/profiles';
import { type AzureSim, DEFAULT_OPENAI_DEPLOYMENTS, startAzureSim } from '../azure-sim/index';
import { askAndWait } from '../helpers/ask';

const QUESTION = 'What is the travel budget for 2025?';

function chatEntries(sim: AzureSim) {
  return sim.ledger.entries().filter((entry) => entry.route === 'openai.chat');
}

describe('ask on the Azure backend (simulator)', () => {
  let sim: AzureSim;
  let engine: Engine;
  let root: string;

  beforeAll(async () => {
    // Instant, except that each streamed piece takes 15 ms, so an answer can be stopped midway.
    sim = await startAzureSim({
      profile: {
        ...instantProfile,
        latency: { 'openai.chat': { baseMs: 0, perUnitMs: 15, jitterRatio: 0 } },
      },
      inFlightGraceMs: 250,
      openAiDeployments: [
        ...DEFAULT_OPENAI_DEPLOYMENTS,
        { name: 'small-window', model: 'gpt-4o-mini', kind: 'chat', contextTokens: 600 },
      ],
    });
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-ask-azure-'));
    const docs = path.join(root, 'docs');
    await mkdir(docs);
    await writeFile(
      path.join(docs, 'budget.txt'),
      'The travel budget for 2025 is 48,000 euros. Hotel stays are capped at 140 euros per night.\n',
    );
    await writeFile(
      path.join(docs, 'garden.txt'),
      'The community garden opens at seven in the morning. Tomatoes are planted in May.\n',
    );
    await writeFile(
      path.join(docs, 'handbook.txt'),
      'The quillotine procedure is explained in [7] of the old manual. The quillotine procedure closes the books every month.\n',
    );
    engine = await openEngine({
      dataDir: path.join(root, 'data'),
      env: sim.env(),
      eventFlushIntervalInMs: 20,
    });
    const summary = await (await engine.ingest([{ kind: 'path', path: docs }])).done;
    expect(summary.indexed).toBe(3);
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    await sim?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('streams an answer whose citations are retrieved chunks, with the usage Azure reports', async () => {
    sim.ledger.clear();
    const run = await askAndWait(engine, QUESTION);
    expect(run.done.error).toBeUndefined();
    expect(run.done.partial).toBe(false);
    expect(run.done.answer).toContain('48,000 euros');
    // The deltas are the answer, in order, in more than one event.
    expect(run.deltas.join('')).toBe(run.done.answer);
    expect(run.deltas.length).toBeGreaterThan(1);

    const retrieved = await engine.handlers.search({ query: QUESTION, mode: 'hybrid', top: 3 });
    const retrievedIds = new Set(retrieved.results.map((hit) => hit.id));
    expect(run.done.citations.length).toBeGreaterThan(0);
    for (const citation of run.done.citations) {
      expect(retrievedIds.has(citation.chunkId)).toBe(true);
      expect(run.done.answer).toContain(`[${citation.ref}]`);
    }
    expect(run.done.citations[0]?.sourcePath).toBe(path.join(root, 'docs', 'budget.txt'));
    expect(run.done.citations[0]?.snippet).toContain('travel budget');
    // A citation opens the preview at its chunk (the Azure index reads stored chunks back).
    const cited = run.done.citations[0];
    if (!cited) throw new Error('no citation');
    const preview = await engine.handlers.getPreview({
      sourcePath: cited.sourcePath,
      chunkIndex: cited.chunkIndex,
      query: '',
      maxWidth: 800,
    });
    expect(preview.passages.find((passage) => passage.isHit)?.text).toContain('48,000 euros');

    // api-version 2024-10-21 asks for the usage chunk, so the numbers are the service's.
    expect(run.done.usage?.estimated).toBe(false);
    const [entry] = chatEntries(sim);
    expect(run.done.usage?.promptTokens).toBe(entry?.notes?.promptTokens);
    expect(run.done.usage?.completionTokens).toBe(entry?.notes?.completionTokens);
  }, 60_000);

  it('never cites what was not retrieved: reference marks inside a document are not citations', async () => {
    const run = await askAndWait(engine, 'How does the quillotine procedure work?');
    expect(run.done.error).toBeUndefined();
    expect(run.done.answer).toContain('quillotine');
    // The document's own "[7]" reached the model as "(7)": no citation 7, and none out of range.
    expect(run.done.answer).not.toContain('[7]');
    expect(run.done.citations.map((citation) => citation.ref).every((ref) => ref >= 1 && ref <= 3)).toBe(
      true,
    );
    expect(run.done.citations[0]?.sourceName).toBe('handbook.txt');
  }, 60_000);

  it('keeps a partial answer when the stream is cut (connection reset, or an end without [DONE])', async () => {
    for (const ending of ['reset', 'end'] as const) {
      sim.setScenario({ rules: [{ route: 'openai.chat', fault: 'truncateStream', afterChunks: 5, ending }] });
      sim.ledger.clear();
      const run = await askAndWait(engine, QUESTION);
      expect(run.done.partial, ending).toBe(true);
      expect(run.done.error?.code, ending).toBe('network');
      expect(run.done.error?.reason, ending).toBe('stream_truncated');
      expect(run.done.error?.message, ending).toContain('broke off');
      expect(run.done.answer.length, ending).toBeGreaterThan(0);
      expect(run.deltas.join(''), ending).toBe(run.done.answer);
      // Text had been shown, so the request was not retried (the answer would start over).
      expect(chatEntries(sim), ending).toHaveLength(1);
      expect(chatEntries(sim)[0]?.fault, ending).toBe('truncateStream');
      // Azure sent no usage chunk: Quarry estimates and says so.
      expect(run.done.usage?.estimated, ending).toBe(true);
    }
    sim.setScenario({ rules: [] });
  }, 60_000);

  it("maps Azure's content filter: a refused prompt, and an answer stopped midway", async () => {
    sim.setScenario({ rules: [{ route: 'openai.chat', fault: 'contentFilter', times: 1 }] });
    const refused = await askAndWait(engine, QUESTION);
    expect(refused.done.error?.code).toBe('invalid_input');
    expect(refused.done.error?.reason).toBe('content_filter');
    expect(refused.done.error?.message).toContain('content filter');
    expect(refused.done.partial).toBe(false);
    expect(refused.done.answer).toBe('');

    sim.setScenario({
      rules: [{ route: 'openai.chat', fault: 'contentFilter', filterStage: 'completion', afterChunks: 3 }],
    });
    const cut = await askAndWait(engine, QUESTION);
    expect(cut.done.error?.code).toBe('invalid_input');
    expect(cut.done.error?.reason).toBe('content_filter');
    expect(cut.done.partial).toBe(true);
    expect(cut.done.answer.length).toBeGreaterThan(0);
    sim.setScenario({ rules: [] });
  }, 60_000);

  it('stop aborts the HTTP request and keeps the text so far as a partial answer', async () => {
    sim.ledger.clear();
    let stopping: Promise<unknown> | null = null;
    const run = await askAndWait(engine, QUESTION, {
      onDelta: (askId) => {
        stopping ??= engine.handlers.stopAnswer({ askId });
      },
    });
    expect(await stopping).toEqual({ stopped: true });
    expect(run.done.partial).toBe(true);
    expect(run.done.error?.code).toBe('cancelled');
    expect(run.done.answer.length).toBeGreaterThan(0);
    expect(run.done.answer).not.toContain('48,000 euros');
    // The sim saw the client go away mid-stream.
    await expect.poll(() => chatEntries(sim)[0]?.outcome).toBe('clientAborted');
    expect(await engine.handlers.stopAnswer({ askId: run.askId })).toEqual({ stopped: false });
  }, 60_000);

  it("says what to do when the question and sources exceed the deployment's window", async () => {
    const small = await openEngine({
      dataDir: path.join(root, 'data-small'),
      // Quarry assumes 16K tokens, but this deployment only has 600.
      env: {
        ...sim.env(),
        AZURE_OPENAI_CHAT_DEPLOYMENT: 'small-window',
        QUARRY_CHAT_CONTEXT_TOKENS: '16384',
      },
    });
    try {
      const run = await askAndWait(small, QUESTION);
      expect(run.done.error?.code).toBe('invalid_input');
      expect(run.done.error?.reason).toBe('context_length_exceeded');
      expect(run.done.error?.message).toContain('QUARRY_CHAT_CONTEXT_TOKENS');
      expect(run.done.partial).toBe(false);
    } finally {
      await small.close();
    }
  }, 60_000);

  it('refuses with `unsupported` and says how to add a chat model when none is configured', async () => {
    const { AZURE_OPENAI_CHAT_DEPLOYMENT: _chat, ...env } = sim.env();
    const noChat = await openEngine({ dataDir: path.join(root, 'data-nochat'), env });
    try {
      const error = await noChat.handlers.ask({ question: QUESTION, mode: 'hybrid', top: 3 }).catch((e) => e);
      expect(error).toMatchObject({ code: 'unsupported', reason: 'no_chat_model' });
      expect(String(error.message)).toContain('AZURE_OPENAI_CHAT_DEPLOYMENT');
      expect(String(error.message)).toContain('QUARRY_CHAT_ENDPOINT');
    } finally {
      await noChat.close();
    }
  }, 60_000);

  // Last: an exhausted quota keeps the chat limiter closed for as long as the service asked (a day).
  it('waits out a throttle through the chat limiter, and fails clearly when the quota is exhausted', async () => {
    sim.setScenario({
      rules: [{ route: 'openai.chat', fault: 'throttle', retryAfter: 'ms', retryAfterMs: 300, times: 1 }],
    });
    sim.ledger.clear();
    const waited = await askAndWait(engine, QUESTION);
    expect(waited.done.error).toBeUndefined();
    expect(waited.done.answer).toContain('48,000 euros');
    expect(chatEntries(sim).map((entry) => entry.status)).toEqual([429, 200]);
    expect(sim.ledger.violations()).toEqual([]);

    sim.setScenario({ rules: [{ route: 'openai.chat', fault: 'quotaExhausted', times: 1 }] });
    const exhausted = await askAndWait(engine, QUESTION);
    expect(exhausted.done.error?.code).toBe('quota_exhausted');
    expect(exhausted.done.error?.message).toContain('quota is used up');
    expect(exhausted.done.partial).toBe(false);
    sim.setScenario({ rules: [] });
  }, 60_000);
});

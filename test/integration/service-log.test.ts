import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../electron/engine/engine';
import { type AzureSim, startAzureSim } from '../azure-sim';
import { makeDocx, makePdf, makeTextImage } from '../azure-sim/content/fixtures';
import { createWordMaker } from '../fixtures/generate';

interface LogRecord {
  event: string;
  service?: string;
  outcome?: string;
  requestId?: string;
  status?: number;
  waitInMs?: number;
  retryAfterMs?: number;
  [field: string]: unknown;
}

/** One file per route (DI for PDF and DOCX, Vision for the photo, local text), each with its own phrase. */
async function makeCorpus(dir: string): Promise<string[]> {
  const word = createWordMaker(7070);
  const phrase = () => `${word()} ${word()} ${word()} ${word()}`;
  const phrases = [phrase(), phrase(), phrase(), phrase()];
  const [pdfPhrase, photoPhrase, docxPhrase, notesPhrase] = phrases as [string, string, string, string];
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'report.pdf'),
    await makePdf([{ kind: 'text', heading: 'Report', paragraphs: [`It mentions ${pdfPhrase} here.`] }]),
  );
  await writeFile(path.join(dir, 'photo.png'), makeTextImage({ lines: [`Board: ${photoPhrase}`] }));
  await writeFile(
    path.join(dir, 'memo.docx'),
    await makeDocx({ sections: [{ paragraphs: [`The memo concerns ${docxPhrase} only.`] }] }),
  );
  await writeFile(path.join(dir, 'notes.txt'), `Plain notes about ${notesPhrase}.\n`);
  return phrases;
}

describe('service log of an Azure ingest', () => {
  let sim: AzureSim;
  let root: string;
  let phrases: string[];
  let logText = '';
  let records: LogRecord[] = [];

  beforeAll(async () => {
    sim = await startAzureSim({ profile: 'instant', inFlightGraceMs: 250 });
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-service-log-'));
    phrases = await makeCorpus(path.join(root, 'docs'));
    sim.setScenario({
      rules: [
        {
          route: 'openai.embeddings',
          fault: 'throttle',
          retryAfter: ['seconds'],
          retryAfterMs: 300,
          times: 2,
        },
      ],
    });
    const dataDir = path.join(root, 'data');
    const engine = await openEngine({ dataDir, env: sim.env(), eventFlushIntervalInMs: 20 });
    try {
      const { done } = await engine.ingest([{ kind: 'path', path: path.join(root, 'docs') }]);
      const summary = await done;
      expect(summary.failures).toEqual([]);
      expect(summary.indexed).toBe(4);
    } finally {
      await engine.close();
    }
    const logDir = path.join(dataDir, 'logs');
    const names = (await readdir(logDir)).filter((name) => name.startsWith('quarry.log'));
    logText = (await Promise.all(names.map((name) => readFile(path.join(logDir, name), 'utf8')))).join('\n');
    records = logText
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogRecord);
  }, 120_000);

  afterAll(async () => {
    await sim?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('records each service request with its status and the service request id', () => {
    for (const service of ['documentIntelligence.analyze', 'vision', 'embeddings', 'search.index']) {
      const finished = records.filter(
        (record) =>
          record.event === 'request.finish' && record.service === service && record.outcome === 'ok',
      );
      expect(finished.length, service).toBeGreaterThan(0);
      for (const record of finished) {
        expect(typeof record.requestId, service).toBe('string');
        expect(record.requestId?.length, service).toBeGreaterThan(0);
        expect(record.status, service).toBeGreaterThanOrEqual(200);
        expect(typeof record.durationInMs, service).toBe('number');
      }
      expect(records.some((record) => record.event === 'request.start' && record.service === service)).toBe(
        true,
      );
    }
  });

  it('records the embeddings throttles with the wait asked for, and their retries', () => {
    const throttles = records.filter(
      (record) => record.event === 'service.throttled' && record.service === 'embeddings',
    );
    expect(throttles.length).toBe(2);
    for (const throttle of throttles) {
      expect(throttle.status).toBe(429);
      expect(typeof throttle.requestId).toBe('string');
      // Retry-After in whole seconds: 300 ms rounds up to 1 s.
      expect(throttle.retryAfterMs).toBeGreaterThanOrEqual(300);
      expect(throttle.waitInMs).toBe(throttle.retryAfterMs);
    }
    const failed = records.filter(
      (record) =>
        record.event === 'request.finish' && record.service === 'embeddings' && record.outcome === 'error',
    );
    expect(failed.map((record) => record.status)).toEqual([429, 429]);
    expect(
      records.filter((record) => record.event === 'request.retry' && record.service === 'embeddings').length,
    ).toBe(2);
    expect(
      records.some((record) => record.event === 'service.resumed' && record.service === 'embeddings'),
    ).toBe(true);
  });

  it('summarises the job with counts', () => {
    const finish = records.find((record) => record.event === 'job.finish');
    expect(finish).toMatchObject({ files: 4, indexed: 4, failed: 0 });
    expect(records.some((record) => record.event === 'job.start')).toBe(true);
  });

  it('never contains a key or any document text', () => {
    expect(logText.length).toBeGreaterThan(0);
    for (const key of Object.values(sim.keys)) expect(logText).not.toContain(key);
    for (const phrase of phrases) {
      expect(logText).not.toContain(phrase);
      for (const word of phrase.split(' ')) expect(logText).not.toContain(word);
    }
  });
});

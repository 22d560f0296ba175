import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LanceDbIndex, openLanceDbIndex } from '../../electron/engine/providers/local/lancedb-index';
import type { IndexDocument } from '../../electron/engine/types';

const MARCH = Date.UTC(2024, 2, 10);
const JUNE = Date.UTC(2024, 5, 10);

function doc(sourcePath: string, chunkIndex: number, content: string, modifiedAt: number): IndexDocument {
  return {
    id: `${sourcePath}#${chunkIndex}`,
    content,
    embedding: null,
    sourcePath,
    sourceName: path.basename(sourcePath),
    contentHash: `hash-${sourcePath}`,
    page: null,
    chunkIndex,
    mimeType: 'text/plain',
    title: null,
    modifiedAt,
  };
}

describe('local index: modified-date filters and reading stored chunks', () => {
  let dir: string;
  let index: LanceDbIndex;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'quarry-lancedb-ui-'));
    index = await openLanceDbIndex({ dir, vectorDimensions: 4, writeLingerInMs: 5 });
    await index.replaceFile('/d/march.txt', [
      doc('/d/march.txt', 0, 'The zelkova budget from March.', MARCH),
    ]);
    await index.replaceFile(
      '/d/june.txt',
      ['Opening words.', 'The zelkova budget from June.', 'Closing words.'].map((text, i) =>
        doc('/d/june.txt', i, text, JUNE),
      ),
    );
    await index.flush();
  });

  afterAll(async () => {
    await index?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const paths = async (filters: { modifiedAfter?: number; modifiedBefore?: number }) =>
    (await index.search({ text: 'zelkova budget', mode: 'keyword', top: 10, filters })).map(
      (result) => result.sourcePath,
    );

  it('keeps files modified at or after `modifiedAfter` and before `modifiedBefore`', async () => {
    expect((await paths({})).sort()).toEqual(['/d/june.txt', '/d/march.txt']);
    expect(await paths({ modifiedAfter: Date.UTC(2024, 4, 1) })).toEqual(['/d/june.txt']);
    expect(await paths({ modifiedBefore: Date.UTC(2024, 4, 1) })).toEqual(['/d/march.txt']);
    expect(await paths({ modifiedAfter: JUNE, modifiedBefore: JUNE + 1 })).toEqual(['/d/june.txt']);
    expect(await paths({ modifiedAfter: MARCH + 1, modifiedBefore: JUNE })).toEqual([]);
  });

  it('reads a hit and its neighbours back in chunk order, without other files or missing indexes', async () => {
    const chunks = await index.readChunks('/d/june.txt', [2, 1, 0, 7]);
    expect(chunks.map((chunk) => [chunk.chunkIndex, chunk.content])).toEqual([
      [0, 'Opening words.'],
      [1, 'The zelkova budget from June.'],
      [2, 'Closing words.'],
    ]);
    expect(chunks[1]).toMatchObject({
      sourceName: 'june.txt',
      modifiedAt: JUNE,
      contentHash: 'hash-/d/june.txt',
    });
    expect(await index.readChunks("/d/june.txt' OR '1'='1", [0])).toEqual([]);
    expect(await index.readChunks('/d/march.txt', [-1, 1])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { IngestSource } from '../../electron/contract/api';
import { itemsFromFiles } from '../../renderer/src/lib/dropped-items';
import { formatBytes, formatDuration, stageLabelKey } from '../../renderer/src/lib/format';
import { splitHighlights } from '../../renderer/src/lib/highlight';
import { batchSources, bytesToBase64, toIngestSources } from '../../renderer/src/lib/ingest-sources';

describe('splitHighlights', () => {
  it('splits a snippet into plain and marked parts that cover it exactly', () => {
    const parts = splitHighlights('find the quarry here', [[9, 15]]);
    expect(parts).toEqual([
      { text: 'find the ', highlighted: false },
      { text: 'quarry', highlighted: true },
      { text: ' here', highlighted: false },
    ]);
  });

  it('sorts, merges overlapping and adjacent ranges, and clamps out-of-range ones', () => {
    const snippet = 'abcdefghij';
    const parts = splitHighlights(snippet, [
      [6, 8],
      [0, 2],
      [1, 3],
      [3, 4],
      [9, 99],
      [-5, -1],
      [5, 5],
    ]);
    expect(parts).toEqual([
      { text: 'abcd', highlighted: true },
      { text: 'ef', highlighted: false },
      { text: 'gh', highlighted: true },
      { text: 'i', highlighted: false },
      { text: 'j', highlighted: true },
    ]);
    expect(parts.map((part) => part.text).join('')).toBe(snippet);
  });

  it('keeps markup in the snippet as plain text', () => {
    const parts = splitHighlights('<img src=x onerror=alert(1)>', [[1, 4]]);
    expect(parts.map((part) => part.text).join('')).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('ingest sources', () => {
  it('encodes bytes as base64, including large inputs', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });

  it('reads picked files into uploads named by their relative path, keeping order', async () => {
    const files = [new File(['one'], 'a.txt'), new File(['two'], 'b.txt')];
    const sources = await toIngestSources(itemsFromFiles(files, null));
    expect(sources).toEqual([
      { kind: 'upload', name: 'a.txt', dataBase64: btoa('one'), lastModified: files[0]!.lastModified },
      { kind: 'upload', name: 'b.txt', dataBase64: btoa('two'), lastModified: files[1]!.lastModified },
    ]);
  });

  it('uses the Electron path of a file when it has one', () => {
    const items = itemsFromFiles([new File([], 'real.pdf'), new File([], 'synthetic.txt')], (file) =>
      file.name === 'real.pdf' ? '/home/me/real.pdf' : '',
    );
    expect(items[0]).toEqual({ kind: 'path', path: '/home/me/real.pdf' });
    expect(items[1]).toMatchObject({ kind: 'file', relativePath: 'synthetic.txt' });
  });

  it('splits large drops into calls under the size limit', () => {
    const upload = (name: string, chars: number): IngestSource => ({
      kind: 'upload',
      name,
      dataBase64: 'A'.repeat(chars),
    });
    const batches = batchSources([upload('a', 40), upload('b', 40), upload('c', 150), upload('d', 10)], 100);
    expect(
      batches.map((batch) => batch.map((source) => (source.kind === 'upload' ? source.name : ''))),
    ).toEqual([['a', 'b'], ['c'], ['d']]);
  });
});

describe('formatting', () => {
  it('formats sizes, durations and stages', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatDuration(4_400)).toBe('4 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(200_000, { hours: '小时', minutes: '分', seconds: '秒' })).toBe('3 分 20 秒');
    // A running file works on the stage after the one it completed.
    expect(stageLabelKey('hashed', 'running')).toBe('working.hashed');
    expect(stageLabelKey('indexed', 'done')).toBe('completed.indexed');
    expect(stageLabelKey('discovered', 'queued')).toBe('waiting');
    expect(stageLabelKey('hashed', 'skipped')).toBe('unchanged');
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HighlightRect } from '../../electron/contract';
import { type Engine, openEngine } from '../../electron/engine/engine';
import { dispatchCall } from '../../electron/engine/transport/dispatch';
import { makePdf } from '../fixtures/generate';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(dataUrl: string): { width: number; height: number } {
  const bytes = Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const inside = (rect: HighlightRect): boolean =>
  rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= 1 && rect.y + rect.height <= 1 && rect.width > 0;

describe('engine previews', () => {
  let engine: Engine;
  let root: string;
  let pdfPath: string;
  let textPath: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-preview-'));
    engine = await openEngine({ dataDir: path.join(root, 'data'), env: {}, eventFlushIntervalInMs: 10 });
    pdfPath = path.join(root, 'report.pdf');
    await writeFile(
      pdfPath,
      await makePdf([
        'The first page talks about budgets and plans for the coming year.',
        'Intro line on the second page.\n\nThe vorpaline glossary entry sits here on page two.',
      ]),
    );
    textPath = path.join(root, 'notes.txt');
    const paragraphs = Array.from(
      { length: 60 },
      (_, i) => `Paragraph ${i} holds ordinary words about meetings and schedules number ${i}.`,
    );
    paragraphs[30] = 'Here the quillotine procedure is described in detail for the team.';
    await writeFile(textPath, paragraphs.join('\n\n'));
    const { done } = await engine.ingest([
      { kind: 'path', path: pdfPath },
      { kind: 'path', path: textPath },
    ]);
    const summary = await done;
    expect(summary.failed).toBe(0);
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('renders the PDF page of a hit to a bounded PNG with a highlight inside the page', async () => {
    const { results } = await engine.handlers.search({
      query: 'vorpaline glossary',
      mode: 'keyword',
      top: 5,
    });
    const hit = results[0];
    expect(hit?.page).toBe(2);
    const preview = await engine.handlers.getPreview({
      sourcePath: hit!.sourcePath,
      chunkIndex: hit!.chunkIndex,
      query: 'vorpaline glossary',
      maxWidth: 800,
    });
    expect(preview.page).toBe(2);
    expect(preview.pageCount).toBe(2);
    expect(preview.image).not.toBeNull();
    const size = pngSize(preview.image!.dataUrl);
    expect(size).toEqual({ width: preview.image!.width, height: preview.image!.height });
    expect(size.width).toBeLessThanOrEqual(800);
    expect(size.height).toBeGreaterThan(size.width); // a portrait page
    expect(preview.rects.length).toBeGreaterThanOrEqual(2); // "vorpaline" and "glossary"
    for (const rect of preview.rects) expect(inside(rect)).toBe(true);
    // The hit is the second paragraph, below the first one: its boxes sit in the upper half, not at the top edge.
    expect(preview.rects.every((rect) => rect.y > 0.05 && rect.y < 0.5)).toBe(true);
    expect(preview.passages.find((passage) => passage.isHit)?.text).toContain('vorpaline');
  });

  it('outlines the hit chunk when no query term is on the page', async () => {
    const { results } = await engine.handlers.search({ query: 'vorpaline', mode: 'keyword', top: 1 });
    const preview = await engine.handlers.getPreview({
      sourcePath: results[0]!.sourcePath,
      chunkIndex: results[0]!.chunkIndex,
      query: 'nothing-matches-this',
      maxWidth: 600,
    });
    expect(preview.rects.length).toBeGreaterThan(0);
    for (const rect of preview.rects) expect(inside(rect)).toBe(true);
  });

  it('shows a text hit as its passage with neighbours and marked matches', async () => {
    const { results } = await engine.handlers.search({
      query: 'quillotine procedure',
      mode: 'keyword',
      top: 1,
    });
    const hit = results[0]!;
    const preview = await engine.handlers.getPreview({
      sourcePath: hit.sourcePath,
      chunkIndex: hit.chunkIndex,
      query: 'quillotine procedure',
      maxWidth: 1200,
    });
    expect(preview.image).toBeNull();
    const hitPassage = preview.passages.find((passage) => passage.isHit)!;
    expect(hitPassage.chunkIndex).toBe(hit.chunkIndex);
    const marked = hitPassage.highlights.map(([start, end]) =>
      hitPassage.text.slice(start, end).toLowerCase(),
    );
    expect(marked).toEqual(expect.arrayContaining(['quillotine', 'procedure']));
    expect(preview.passages.map((passage) => passage.chunkIndex)).toEqual(
      [hit.chunkIndex - 1, hit.chunkIndex, hit.chunkIndex + 1].filter((index) => index >= 0),
    );
  });

  it('refuses to preview or locate files the index does not hold', async () => {
    const preview = await dispatchCall(engine.handlers, 'getPreview', {
      sourcePath: '/etc/passwd',
      chunkIndex: 0,
    });
    expect(preview.ok).toBe(false);
    if (!preview.ok) expect(preview.error).toMatchObject({ code: 'invalid_input', reason: 'not_indexed' });
    const located = await dispatchCall(engine.handlers, 'locateIndexedFile', { sourcePath: '/etc/passwd' });
    expect(located.ok).toBe(false);
    const indexed = await engine.handlers.locateIndexedFile({ sourcePath: pdfPath });
    expect(indexed.path).toBe(pdfPath);
  });

  it('finds the stored copy of a browser upload', async () => {
    const bytes = await makePdf(['Uploaded copy mentions the zanthoric index.']);
    const { done } = await engine.ingest([
      { kind: 'upload', name: 'inbox/upload.pdf', dataBase64: bytes.toString('base64') },
    ]);
    await done;
    const { results } = await engine.handlers.search({ query: 'zanthoric', mode: 'keyword', top: 1 });
    expect(results[0]?.sourcePath).toBe('inbox/upload.pdf');
    const preview = await engine.handlers.getPreview({
      sourcePath: 'inbox/upload.pdf',
      chunkIndex: results[0]!.chunkIndex,
      query: 'zanthoric',
      maxWidth: 400,
    });
    expect(preview.notice).toBeNull();
    expect(preview.rects.length).toBe(1);
    const located = await engine.handlers.locateIndexedFile({ sourcePath: 'inbox/upload.pdf' });
    expect(located.path.startsWith(path.join(root, 'data', 'uploads'))).toBe(true);
  });
});

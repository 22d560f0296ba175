import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkDocument, chunkId } from '../../electron/engine/pipeline/chunking';
import { countTokens } from '../../electron/engine/pipeline/token-count';
import type { Chunk, ExtractedDocument, ExtractedPage, TextBlock } from '../../electron/engine/types';
import { CHINESE_SAMPLE, createWordMaker, fillerSentences, seededRandom } from '../fixtures/generate';

const options = { sourcePath: '/docs/report.pdf', contentHash: 'a'.repeat(64) };
const doc = (pages: ExtractedPage[]): ExtractedDocument => ({ mimeType: 'application/pdf', pages });
const paragraph = (text: string): TextBlock => ({ kind: 'paragraph', text });

/** Paragraphs of numbered sentences so every sentence is identifiable. */
function numberedParagraphs(count: number, sentencesEach: number, prefix = 'S'): TextBlock[] {
  const random = seededRandom(count * 31 + sentencesEach);
  let n = 0;
  return Array.from({ length: count }, () =>
    paragraph(
      Array.from(
        { length: sentencesEach },
        () => `${prefix}${n++} ${fillerSentences(random, 1).toLowerCase()}`,
      ).join(' '),
    ),
  );
}

function sentencesOf(blocks: TextBlock[]): string[] {
  return blocks.flatMap((block) => block.text.split(/(?<=\.)\s+/));
}

describe('chunkDocument', () => {
  it('makes no chunks for empty documents and scanned pages', () => {
    expect(chunkDocument(doc([]), options)).toEqual([]);
    expect(
      chunkDocument(
        doc([
          { page: 1, blocks: [], needsOcr: true },
          { page: 2, blocks: [paragraph('  ')] },
        ]),
        options,
      ),
    ).toEqual([]);
  });

  it('puts a small document into one chunk with deterministic id and exact token count', () => {
    const blocks: TextBlock[] = [
      { kind: 'heading', text: 'Title' },
      paragraph('One sentence. Two sentence.'),
    ];
    const chunks = chunkDocument({ mimeType: 'text/plain', pages: [{ page: null, blocks }] }, options);
    expect(chunks).toEqual([
      {
        id: chunkId(options.sourcePath, options.contentHash, 0),
        content: 'Title\n\nOne sentence. Two sentence.',
        page: null,
        chunkIndex: 0,
        tokenCount: countTokens('Title\n\nOne sentence. Two sentence.'),
      },
    ]);
  });

  it('derives ids from path, content hash and index only (32 hex chars)', () => {
    const expected = createHash('sha256').update('/a\u0000h\u00003').digest('hex').slice(0, 32);
    expect(chunkId('/a', 'h', 3)).toBe(expected);
    expect(chunkId('/a', 'h', 3)).toMatch(/^[0-9a-f]{32}$/);
    const input = doc([{ page: 1, blocks: numberedParagraphs(20, 8) }]);
    const first = chunkDocument(input, options);
    expect(chunkDocument(input, options)).toEqual(first);
    const otherHash = chunkDocument(input, { ...options, contentHash: 'b'.repeat(64) });
    expect(otherHash.map((c) => c.content)).toEqual(first.map((c) => c.content));
    expect(new Set([...first, ...otherHash].map((c) => c.id)).size).toBe(first.length * 2);
  });

  it('keeps chunks near the target size, with overlap on sentence boundaries, losing nothing', () => {
    const blocks = numberedParagraphs(40, 9);
    const chunks = chunkDocument(doc([{ page: 1, blocks }]), {
      ...options,
      targetTokens: 300,
      overlapTokens: 40,
    });
    expect(chunks.length).toBeGreaterThan(8);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBe(countTokens(chunk.content));
      expect(chunk.tokenCount).toBeLessThanOrEqual(300);
    }
    for (const chunk of chunks.slice(0, -1)) expect(chunk.tokenCount).toBeGreaterThan(150);
    // Every sentence survives, whole, in some chunk.
    const all = chunks.map((c) => c.content).join('\n');
    for (const sentence of sentencesOf(blocks)) expect(all).toContain(sentence);
    // Each chunk after the first starts with the last sentence(s) of the previous one.
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]?.content ?? '';
      const firstSentence = chunks[i]?.content.split(/(?<=\.)\s+/)[0] ?? '';
      expect(firstSentence).toMatch(/^S\d+ /);
      expect(previous.endsWith(firstSentence) || previous.includes(`${firstSentence} `)).toBe(true);
      const overlap = chunks[i]?.content.slice(0, chunks[i]?.content.indexOf(previous.slice(-20)) ?? 0) ?? '';
      expect(countTokens(overlap)).toBeLessThanOrEqual(40);
    }
  });

  it('never mixes pages and keeps page numbers', () => {
    const pages = [1, 2, 3].map((page) => ({ page, blocks: numberedParagraphs(6, 10, `P${page}x`) }));
    const chunks = chunkDocument(doc(pages), { ...options, targetTokens: 200 });
    expect(chunks.map((c) => c.chunkIndex)).toEqual(chunks.map((_, i) => i));
    for (const chunk of chunks) {
      const markers = new Set([...chunk.content.matchAll(/P(\d)x\d+/g)].map((m) => Number(m[1])));
      expect([...markers]).toEqual([chunk.page]);
    }
    expect(new Set(chunks.map((c) => c.page))).toEqual(new Set([1, 2, 3]));
  });

  it('keeps paragraphs and tables whole when they fit, moving them to the next chunk', () => {
    const random = seededRandom(5);
    const table: TextBlock = {
      kind: 'table',
      text: ['Region | Sales | Notes', ...Array.from({ length: 6 }, (_, i) => `R${i} | ${i * 10} | ok`)].join(
        '\n',
      ),
    };
    const paragraphs = Array.from({ length: 6 }, () => paragraph(fillerSentences(random, 8)));
    const blocks = [
      paragraphs[0],
      paragraphs[1],
      table,
      paragraphs[2],
      paragraphs[3],
      table,
      paragraphs[4],
      paragraphs[5],
    ] as TextBlock[];
    const chunks = chunkDocument(doc([{ page: 1, blocks }]), { ...options, targetTokens: 250 });
    const contents = chunks.map((c) => c.content);
    for (const block of blocks) {
      expect(
        contents.some((content) => content.includes(block.text)),
        block.text.slice(0, 30),
      ).toBe(true);
    }
  });

  it('splits a table larger than the target by rows, repeating the header', () => {
    const header = 'Name | Amount | Comment';
    const rows = Array.from(
      { length: 120 },
      (_, i) => `item-${i} | ${i * 3} | reviewed by the northern committee`,
    );
    const chunks = chunkDocument(
      doc([{ page: 4, blocks: [{ kind: 'table', text: [header, ...rows].join('\n') }] }]),
      {
        ...options,
        targetTokens: 200,
      },
    );
    expect(chunks.length).toBeGreaterThan(3);
    const seen: string[] = [];
    for (const chunk of chunks) {
      const lines = chunk.content.split('\n');
      expect(lines[0]).toBe(header);
      expect(chunk.tokenCount).toBeLessThanOrEqual(200);
      seen.push(...lines.slice(1));
    }
    expect(seen).toEqual(rows);
  });

  it('keeps a heading with the content that follows it', () => {
    const random = seededRandom(9);
    const long = paragraph(fillerSentences(random, 30));
    const blocks: TextBlock[] = [
      long,
      { kind: 'heading', text: 'Section Two' },
      paragraph(fillerSentences(random, 6)),
    ];
    const target = countTokens(long.text) + 8;
    const chunks = chunkDocument(doc([{ page: 1, blocks }]), { ...options, targetTokens: target });
    expect(chunks).toHaveLength(2);
    expect(chunks[0]?.content).toBe(long.text);
    expect(chunks[1]?.content.startsWith('Section Two\n\n')).toBe(true);
  });

  it('splits CJK text on CJK sentence punctuation', () => {
    // Numbered sentences, so overlap can be told apart from repetition.
    const sentences = CHINESE_SAMPLE.split('。').filter(Boolean);
    const text = Array.from({ length: 160 }, (_, i) => `${sentences[i % sentences.length]}第${i}号。`).join(
      '',
    );
    const chunks = chunkDocument(doc([{ page: 2, blocks: [paragraph(text)] }]), {
      ...options,
      targetTokens: 120,
    });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(120);
      expect(chunk.content.endsWith('。')).toBe(true);
      expect(chunk.content).not.toMatch(/\s/);
    }
    // Overlap: each chunk opens with the closing sentence(s) of the one before.
    for (let i = 1; i < chunks.length; i++) {
      const opening = `${chunks[i]?.content.split('。')[0]}。`;
      expect(chunks[i - 1]?.content).toContain(opening);
    }
  });

  it('cuts unpunctuated CJK by tokens without breaking characters', () => {
    const word = createWordMaker(3);
    const text = `${'北方地区的销售额持续增长委员会审查了预算𠮷'.repeat(150)}${word()}`;
    const chunks = chunkDocument(doc([{ page: 1, blocks: [paragraph(text)] }]), {
      ...options,
      targetTokens: 100,
    });
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(100);
      expect(chunk.content).not.toContain('\uFFFD');
      expect(chunk.content).not.toMatch(
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
      );
    }
    // Overlap aside, the chunks reassemble the text: every chunk is a piece of it.
    for (const chunk of chunks) expect(text.includes(chunk.content)).toBe(true);
    expect(chunks.at(-1)?.content.endsWith(text.slice(-30))).toBe(true);
  });

  it('defaults to ~500-token chunks with ~12% overlap', () => {
    const chunks: Chunk[] = chunkDocument(doc([{ page: 1, blocks: numberedParagraphs(60, 10) }]), options);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(500);
    const sizes = chunks.slice(0, -1).map((c) => c.tokenCount);
    expect(Math.min(...sizes)).toBeGreaterThan(250);
    const secondStart = chunks[1]?.content.slice(0, 40) ?? '';
    expect(chunks[0]?.content).toContain(secondStart);
  });
});

describe('chunk regions', () => {
  it('carries the polygons of exactly the blocks a chunk was cut from', async () => {
    const { chunkDocument } = await import('../../electron/engine/pipeline/chunking');
    const long = Array.from({ length: 120 }, (_, i) => `Sentence number ${i} talks about the budget.`).join(
      ' ',
    );
    const chunks = chunkDocument(
      {
        mimeType: 'application/pdf',
        pages: [
          {
            page: 1,
            width: 8.5,
            height: 11,
            unit: 'inch',
            blocks: [
              {
                kind: 'heading',
                text: 'Budget',
                regions: [{ page: 1, polygon: [1, 1, 2, 1, 2, 1.2, 1, 1.2] }],
              },
              { kind: 'paragraph', text: long, regions: [{ page: 1, polygon: [1, 2, 7, 2, 7, 9, 1, 9] }] },
              {
                kind: 'paragraph',
                text: 'Closing words.',
                regions: [{ page: 1, polygon: [1, 10, 3, 10, 3, 10.2, 1, 10.2] }],
              },
            ],
          },
          { page: 2, blocks: [{ kind: 'paragraph', text: 'No geometry here.' }] },
        ],
      },
      { sourcePath: '/a.pdf', contentHash: 'h', targetTokens: 200 },
    );
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks[0]?.regions?.map((r) => r.polygon[1])).toEqual([1, 2]);
    const last = chunks.filter((c) => c.page === 1).at(-1);
    expect(last?.regions?.map((r) => r.polygon[1])).toContain(10);
    expect(last?.regions?.map((r) => r.polygon[1])).not.toContain(1);
    expect(chunks.find((c) => c.page === 2)?.regions).toBeUndefined();
  });
});

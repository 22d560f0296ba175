import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlToBlocks } from '../../electron/engine/providers/local/html-extractor';
import { createLocalExtractor } from '../../electron/engine/providers/local/local-extractor';
import { CHINESE_SAMPLE, encodeText, WINDOWS_1252_SAMPLE } from '../fixtures/generate';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-html-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('htmlToBlocks', () => {
  it('keeps headings, paragraphs, lists and tables; drops scripts, styles and the head', () => {
    const html = `<!doctype html><html><head><title>The  title</title><style>p { color: red }</style>
      <script>var secretword = 1;</script></head><body>
      <nav>Home</nav>
      <h1>Main   heading</h1>
      <p>First <b>bold</b> paragraph&nbsp;with &amp; entity.<br>After break.</p>
      <div>Loose div text<p>Nested paragraph</p></div>
      <ul><li>one</li><li>two <i>items</i><ul><li>nested</li></ul></li></ul>
      <table><caption>Table caption</caption><thead><tr><th>Name</th><th>Value</th></tr></thead>
        <tbody><tr><td>north</td><td>42</td></tr><tr><td><p>south</p></td><td>7</td></tr></tbody></table>
      <noscript>enable javascript</noscript>
      <p>Tail.</p></body></html>`;
    const { title, blocks } = htmlToBlocks(html);
    expect(title).toBe('The title');
    expect(blocks).toEqual([
      { kind: 'paragraph', text: 'Home' },
      { kind: 'heading', text: 'Main heading' },
      { kind: 'paragraph', text: 'First bold paragraph with & entity. After break.' },
      { kind: 'paragraph', text: 'Loose div text' },
      { kind: 'paragraph', text: 'Nested paragraph' },
      { kind: 'list', text: '- one\n- two items\n- nested' },
      { kind: 'paragraph', text: 'Table caption' },
      { kind: 'table', text: 'Name | Value\nnorth | 42\nsouth | 7' },
      { kind: 'paragraph', text: 'Tail.' },
    ]);
    expect(JSON.stringify(blocks)).not.toContain('secretword');
    expect(JSON.stringify(blocks)).not.toContain('color');
  });

  it('keeps preformatted text line breaks', () => {
    expect(htmlToBlocks('<pre>line one\n  line two</pre>').blocks).toEqual([
      { kind: 'paragraph', text: 'line one\n  line two' },
    ]);
  });

  it('survives unclosed markup', () => {
    expect(htmlToBlocks('<p>open paragraph<table><tr><td>cell').blocks).toEqual([
      { kind: 'paragraph', text: 'open paragraph' },
      { kind: 'table', text: 'cell' },
    ]);
  });
});

describe('HTML file extraction', () => {
  const extractor = createLocalExtractor();
  const extract = async (name: string, bytes: Buffer) => {
    const diskPath = path.join(dir, name);
    await writeFile(diskPath, bytes);
    return extractor.extract({
      diskPath,
      sourcePath: diskPath,
      name,
      size: bytes.length,
      mtimeMs: 0,
      mimeType: 'text/html',
    });
  };

  it('decodes the declared charset and legacy encodings', async () => {
    const latin = await extract(
      'latin.html',
      encodeText(
        `<html><head><meta charset="windows-1252"></head><body><p>${WINDOWS_1252_SAMPLE}</p></body></html>`,
        'windows-1252',
      ),
    );
    expect(latin.pages[0]?.blocks).toEqual([{ kind: 'paragraph', text: WINDOWS_1252_SAMPLE }]);
    const chinese = await extract(
      'zh.html',
      encodeText(
        `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><h2>标题</h2><p>${CHINESE_SAMPLE}</p></body></html>`,
        'gb18030',
      ),
    );
    expect(chinese.pages).toEqual([
      {
        page: null,
        blocks: [
          { kind: 'heading', text: '标题' },
          { kind: 'paragraph', text: CHINESE_SAMPLE },
        ],
      },
    ]);
  });
});

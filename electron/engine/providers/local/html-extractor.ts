import { readFile } from 'node:fs/promises';
import { Parser } from 'htmlparser2';
import type { ExtractedDocument, TextBlock } from '../../types';
import { decodeText } from './text-decoding';

/** Elements whose text is never content. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'iframe',
  'object',
  'canvas',
  'head',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Elements that end the running paragraph (inside tables and lists they just separate words). */
const BLOCK_BREAKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'nav',
  'aside',
  'blockquote',
  'pre',
  'hr',
  'form',
  'fieldset',
  'figure',
  'figcaption',
  'address',
  'dl',
  'dt',
  'dd',
  'body',
  'caption',
  'details',
  'summary',
]);

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Collects blocks from HTML parser events: headings, paragraphs, lists (one line per item) and
 * tables (one line per row, cells joined with " | "). Scripts, styles and the head are dropped.
 */
class BlockCollector {
  readonly blocks: TextBlock[] = [];
  title: string | undefined;
  private text = '';
  private skipDepth = 0;
  private inTitle = false;
  private preDepth = 0;
  private tableDepth = 0;
  private rows: string[] = [];
  private cells: string[] = [];
  private listDepth = 0;
  private items: string[] = [];

  open(name: string): void {
    if (name === 'title') this.inTitle = true;
    if (SKIPPED.has(name)) this.skipDepth++;
    if (this.skipDepth > 0) return;
    if (name === 'br') this.text += '\n';
    else if (name === 'table') {
      if (this.tableDepth++ === 0) this.endParagraph();
    } else if (this.tableDepth > 0) {
      if (name === 'td' || name === 'th') this.text = '';
      else this.text += ' ';
    } else if (name === 'ul' || name === 'ol') {
      if (this.listDepth === 0) this.endParagraph();
      else this.endItem();
      this.listDepth++;
    } else if (this.listDepth > 0) {
      if (name === 'li') this.endItem();
      else this.text += ' ';
    } else if (HEADINGS.has(name) || BLOCK_BREAKS.has(name)) {
      this.endParagraph();
    }
    if (name === 'pre') this.preDepth++;
  }

  close(name: string): void {
    if (name === 'title') this.inTitle = false;
    if (SKIPPED.has(name)) {
      this.skipDepth = Math.max(0, this.skipDepth - 1);
      return;
    }
    if (this.skipDepth > 0) return;
    if (this.tableDepth > 0) {
      this.closeInTable(name);
    } else if (this.listDepth > 0) {
      if (name === 'li') this.endItem();
      if (name === 'ul' || name === 'ol') {
        this.endItem();
        if (--this.listDepth === 0) this.pushBlock('list', this.items.map((item) => `- ${item}`).join('\n'));
      }
    } else if (HEADINGS.has(name)) {
      this.pushBlock('heading', collapse(this.text));
      this.text = '';
    } else if (BLOCK_BREAKS.has(name)) {
      this.endParagraph();
    }
    if (name === 'pre') this.preDepth = Math.max(0, this.preDepth - 1);
  }

  onText(data: string): void {
    if (this.inTitle) this.title = collapse(`${this.title ?? ''} ${data}`);
    if (this.skipDepth === 0) this.text += data;
  }

  finish(): void {
    if (this.tableDepth > 0) {
      this.tableDepth = 1;
      this.closeInTable('table');
    }
    if (this.listDepth > 0) {
      this.listDepth = 1;
      this.close('ul');
    }
    this.endParagraph();
  }

  private closeInTable(name: string): void {
    if (name === 'td' || name === 'th') {
      this.cells.push(collapse(this.text));
      this.text = '';
    } else if (name === 'caption') {
      // A caption introduces the table; as its own paragraph it does not pose as the header row.
      this.pushBlock('paragraph', collapse(this.text));
      this.text = '';
    } else if (name === 'tr') {
      this.endRow();
    } else if (name === 'table' && --this.tableDepth === 0) {
      this.endRow();
      this.pushBlock('table', this.rows.join('\n'));
      this.rows = [];
    }
  }

  private endRow(): void {
    if (collapse(this.text)) this.cells.push(collapse(this.text));
    this.text = '';
    if (this.cells.some((cell) => cell.length > 0)) this.rows.push(this.cells.join(' | '));
    this.cells = [];
  }

  private endItem(): void {
    const item = collapse(this.text);
    if (item) this.items.push(item);
    this.text = '';
  }

  private endParagraph(): void {
    const text = this.preDepth > 0 ? this.text.replace(/^\n+|\s+$/g, '') : collapse(this.text);
    this.pushBlock('paragraph', text);
    this.text = '';
  }

  private pushBlock(kind: TextBlock['kind'], text: string): void {
    if (kind === 'list') this.items = [];
    if (text.trim()) this.blocks.push({ kind, text });
  }
}

/** Turns an HTML string into blocks (also used for DOCX, which mammoth converts to HTML). */
export function htmlToBlocks(html: string): { title?: string; blocks: TextBlock[] } {
  const collector = new BlockCollector();
  const parser = new Parser(
    {
      onopentag: (name) => collector.open(name),
      onclosetag: (name) => collector.close(name),
      ontext: (data) => collector.onText(data),
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  collector.finish();
  return collector.title
    ? { title: collector.title, blocks: collector.blocks }
    : { blocks: collector.blocks };
}

/** The charset an HTML file declares in a <meta> tag near its start, if any. */
export function declaredHtmlCharset(bytes: Buffer): string | undefined {
  const head = bytes.toString('latin1', 0, Math.min(bytes.length, 4096));
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
}

export async function extractHtmlFile(diskPath: string): Promise<ExtractedDocument> {
  const bytes = await readFile(diskPath);
  const charset = declaredHtmlCharset(bytes);
  const { text } = decodeText(bytes, charset ? { declaredEncoding: charset } : {});
  const { title, blocks } = htmlToBlocks(text);
  return { mimeType: 'text/html', ...(title ? { title } : {}), pages: [{ page: null, blocks }] };
}

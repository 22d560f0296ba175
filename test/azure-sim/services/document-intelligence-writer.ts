import type { ContentFormat } from './document-intelligence-params';

/**
 * Accumulates `content`. Text output: top-level blocks (paragraphs, table cells) on their own
 * lines. Markdown output: blocks separated by a blank line, page breaks as `<!-- PageBreak -->`.
 */
export class ContentWriter {
  private content = '';

  constructor(readonly format: ContentFormat) {}

  get position(): number {
    return this.content.length;
  }

  /** Separator before a new top-level block (nothing before the first one). */
  startBlock(): void {
    if (this.content.length > 0) this.content += this.format === 'markdown' ? '\n\n' : '\n';
  }

  write(text: string): void {
    this.content += text;
  }

  /** Between two pages; text output needs no marker beyond the block separator. */
  pageBreak(): void {
    if (this.format !== 'markdown' || this.content.length === 0) return;
    this.startBlock();
    this.write('<!-- PageBreak -->');
  }

  text(): string {
    return this.content;
  }
}

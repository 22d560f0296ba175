import { SearchInput, type SearchMode, type SearchResult } from '../contract';
import { UsageError } from './exit-codes';
import { openCliEngine } from './open-cli-engine';

export interface SearchCommandOptions {
  mode: SearchMode;
  top: number;
  json?: boolean;
  dataDir?: string;
}

export async function searchCommand(query: string, options: SearchCommandOptions): Promise<number> {
  const parsed = SearchInput.safeParse({ query, mode: options.mode, top: options.top });
  if (!parsed.success)
    throw new UsageError(`Invalid search: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
  const engine = await openCliEngine(options);
  try {
    const output = await engine.handlers.search(parsed.data);
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ mode: output.mode, notice: output.notice, results: output.results })}\n`,
      );
      return 0;
    }
    if (output.notice) process.stderr.write(`${output.notice}\n`);
    if (output.results.length === 0) {
      process.stdout.write(`No results for "${query}".\n`);
      return 0;
    }
    const color = Boolean(process.stdout.isTTY);
    output.results.forEach((result, i) => {
      process.stdout.write(formatResult(i + 1, result, color));
    });
    return 0;
  } finally {
    await engine.close();
  }
}

function formatResult(rank: number, result: SearchResult, color: boolean): string {
  const page = result.page === null ? '' : `, page ${result.page}`;
  const bold = (text: string) => (color ? `\u001b[1m${text}\u001b[22m` : text);
  return `${rank}. ${bold(result.sourceName)}${page}  (score ${result.score.toFixed(3)})\n   ${result.sourcePath}\n   ${highlight(result, color)}\n\n`;
}

/** Marks highlight ranges: bold on a terminal, [brackets] otherwise. */
function highlight(result: SearchResult, color: boolean): string {
  let out = '';
  let at = 0;
  for (const [start, end] of result.highlights) {
    out += result.snippet.slice(at, start);
    const hit = result.snippet.slice(start, end);
    out += color ? `\u001b[1;33m${hit}\u001b[0m` : `[${hit}]`;
    at = end;
  }
  return (out + result.snippet.slice(at)).replaceAll('\n', ' ');
}

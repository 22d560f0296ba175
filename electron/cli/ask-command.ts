/**
 * `quarry ask "<question>"`: retrieves with the search mode asked for, streams the answer to
 * stdout as it arrives, then lists the sources it cites. `--json` prints one object at the end:
 * `{"answer","citations":[{"sourcePath","page","snippet",...}],"usage":{...},"partial":bool}`.
 * Exit 0 when answered, 1 when the answer failed or is partial, 2 for usage or configuration
 * (e.g. no chat model), 130 when Ctrl+C stopped it (the text so far is still printed).
 */
import { type AnswerDone, AskInput, type Citation, type EngineEvent, type SearchMode } from '../contract';
import { EXIT, UsageError } from './exit-codes';
import { openCliEngine } from './open-cli-engine';

export interface AskCommandOptions {
  mode: SearchMode;
  top: number;
  json?: boolean;
  dataDir?: string;
}

export async function askCommand(question: string, options: AskCommandOptions): Promise<number> {
  const parsed = AskInput.safeParse({ question, mode: options.mode, top: options.top });
  if (!parsed.success)
    throw new UsageError(`Invalid question: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
  const engine = await openCliEngine(options);
  const answer = new AnswerListener(options.json ? () => {} : (text) => process.stdout.write(text));
  const unsubscribe = engine.onEvent((event) => answer.onEvent(event));
  let askId: string | null = null;
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    if (askId) void engine.handlers.stopAnswer({ askId });
  };
  process.once('SIGINT', interrupt);
  try {
    askId = (await engine.handlers.ask(parsed.data)).askId;
    if (interrupted) void engine.handlers.stopAnswer({ askId });
    const done = await answer.doneOf(askId);
    if (options.json) process.stdout.write(`${JSON.stringify(jsonOutput(done))}\n`);
    else printHuman(done);
    if (interrupted) return EXIT.interrupted;
    return done.error || done.partial ? EXIT.someFailed : EXIT.ok;
  } finally {
    process.off('SIGINT', interrupt);
    unsubscribe();
    await engine.close();
  }
}

/** Streams the deltas of the answer it waits for; events of other answers are ignored. */
class AnswerListener {
  private readonly early: EngineEvent[] = [];
  private askId: string | null = null;
  private resolve: ((done: AnswerDone) => void) | null = null;

  constructor(private readonly write: (text: string) => void) {}

  onEvent(event: EngineEvent): void {
    if (event.type !== 'answer.delta' && event.type !== 'answer.done') return;
    // The id is known once `ask` returns; anything earlier waits here.
    if (this.askId === null) {
      this.early.push(event);
      return;
    }
    if (event.askId !== this.askId) return;
    if (event.type === 'answer.delta') this.write(event.text);
    else {
      const { type: _type, ...done } = event;
      this.resolve?.(done);
    }
  }

  doneOf(askId: string): Promise<AnswerDone> {
    return new Promise((resolve) => {
      this.askId = askId;
      this.resolve = resolve;
      for (const event of this.early.splice(0)) this.onEvent(event);
    });
  }
}

function jsonOutput(done: AnswerDone) {
  return {
    answer: done.answer,
    citations: done.citations.map((citation) => ({
      ref: citation.ref,
      sourcePath: citation.sourcePath,
      sourceName: citation.sourceName,
      page: citation.page,
      chunkIndex: citation.chunkIndex,
      chunkId: citation.chunkId,
      snippet: citation.snippet,
    })),
    usage: done.usage,
    partial: done.partial,
    ...(done.error ? { error: done.error } : {}),
    notice: done.notice,
  };
}

function printHuman(done: AnswerDone): void {
  if (done.answer) process.stdout.write(done.answer.endsWith('\n') ? '' : '\n');
  if (done.notice) process.stderr.write(`${done.notice}\n`);
  if (done.citations.length > 0) {
    process.stdout.write('\nSources:\n');
    for (const citation of done.citations) process.stdout.write(`${formatCitation(citation)}\n`);
  }
  if (done.error) {
    const what = done.partial ? 'The answer above is incomplete' : 'No answer';
    process.stderr.write(`quarry: ${what}: ${done.error.message} (${done.error.code})\n`);
  }
  if (done.usage) {
    const { promptTokens, completionTokens, estimated } = done.usage;
    process.stderr.write(
      `Tokens: ${promptTokens} prompt + ${completionTokens} answer${estimated ? ' (estimated: the service did not report them)' : ''}\n`,
    );
  }
}

/** `[1] report.pdf, page 3 — /home/me/report.pdf` */
export function formatCitation(citation: Citation): string {
  const page = citation.page === null ? '' : `, page ${citation.page}`;
  return `[${citation.ref}] ${citation.sourceName}${page} — ${citation.sourcePath}`;
}

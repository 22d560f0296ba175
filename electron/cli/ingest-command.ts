import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../engine/engine';
import { estimateJson, estimateTable } from './estimate-report';
import { EXIT, UsageError } from './exit-codes';
import { reporterFor } from './ingest-reporters';
import { openCliEngine } from './open-cli-engine';

export interface IngestCommandOptions {
  json?: boolean;
  dataDir?: string;
  /** Report files, pages, tokens and cost without ingesting (no paid call). */
  estimate?: boolean;
}

export async function ingestCommand(paths: string[], options: IngestCommandOptions): Promise<number> {
  for (const given of paths) {
    try {
      await stat(given);
    } catch {
      throw new UsageError(`No such file or folder: ${path.resolve(given)}`);
    }
  }
  const engine = await openCliEngine(options);
  if (options.estimate) return estimateOnly(engine, paths, options);
  const reporter = reporterFor(options.json);
  const unsubscribe = engine.onEvent((event) => reporter.onEvent(event));
  let interrupted = false;
  // Ctrl+C stops without cancelling: the journal keeps the run, and the same command resumes it.
  const stop = () => {
    interrupted = true;
    void engine.close();
  };
  process.once('SIGINT', stop);
  try {
    const { jobId, done, resumed } = await engine.ingest(paths.map((p) => ({ kind: 'path', path: p })));
    if (resumed) reporter.resumed(jobId);
    const summary = await done;
    unsubscribe();
    if (interrupted) {
      process.stderr.write('Interrupted: run the same command again to continue where it stopped.\n');
      return EXIT.interrupted;
    }
    reporter.finish(summary);
    return summary.failed > 0 ? EXIT.someFailed : EXIT.ok;
  } finally {
    process.off('SIGINT', stop);
    unsubscribe();
    await engine.close();
  }
}

async function estimateOnly(engine: Engine, paths: string[], options: IngestCommandOptions): Promise<number> {
  try {
    const estimate = await engine.estimate(paths.map((p) => ({ kind: 'path', path: p })));
    process.stdout.write(options.json ? estimateJson(estimate) : estimateTable(estimate));
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}

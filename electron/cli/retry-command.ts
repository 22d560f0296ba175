import { EXIT, UsageError } from './exit-codes';
import { reporterFor } from './ingest-reporters';
import { openCliEngine } from './open-cli-engine';

/**
 * `quarry retry [jobId]`: runs the failed files of a finished job again (the most recent job with
 * failures by default). Finished stages are not redone: cached extractions and embeddings are reused.
 */
export async function retryCommand(
  jobId: string | undefined,
  options: { json?: boolean; dataDir?: string },
): Promise<number> {
  const engine = await openCliEngine(options);
  try {
    const history = engine.jobHistory();
    const target = jobId
      ? history.find((entry) => entry.job.jobId === jobId)
      : history.find((entry) => !entry.interrupted && entry.job.counts.failed > 0);
    if (!target) {
      throw new UsageError(
        jobId ? `No job with id ${jobId} (see "quarry jobs").` : 'No finished job has failed files.',
      );
    }
    if (target.interrupted) {
      throw new UsageError(`Job ${target.job.jobId} was interrupted: rerun its ingest command to resume it.`);
    }
    const reporter = reporterFor(options.json);
    const unsubscribe = engine.onEvent((event) => reporter.onEvent(event));
    const { retried, done } = await engine.retryFailed(target.job.jobId);
    if (retried === 0) {
      unsubscribe();
      process.stderr.write(`Job ${target.job.jobId} has no failed files to retry.\n`);
      return EXIT.ok;
    }
    const summary = await done;
    unsubscribe();
    reporter.finish(summary);
    return summary.failed > 0 ? EXIT.someFailed : EXIT.ok;
  } finally {
    await engine.close();
  }
}

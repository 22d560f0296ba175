import path from 'node:path';
import { clearCacheFolder } from '../engine/pipeline/cache-folder';
import { defaultDataDir } from '../engine/settings/data-dir';
import { EXIT } from './exit-codes';
import { openCliEngine } from './open-cli-engine';

/** `quarry jobs`: past and interrupted jobs with their figures, newest first. */
export async function jobsCommand(options: { json?: boolean; dataDir?: string }): Promise<number> {
  const engine = await openCliEngine(options);
  try {
    const history = engine.jobHistory();
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({
          jobs: history.map(({ job, roots, interrupted }) => ({ ...job, roots, interrupted })),
        })}\n`,
      );
      return EXIT.ok;
    }
    if (history.length === 0) {
      process.stdout.write('No jobs yet.\n');
      return EXIT.ok;
    }
    for (const { job, roots, interrupted } of history) {
      const { counts } = job;
      const when = new Date(job.startedAt).toISOString().replace('T', ' ').slice(0, 19);
      const status = interrupted ? 'interrupted (rerun the same ingest to resume)' : job.status;
      const took = job.finishedAt ? `, ${((job.finishedAt - job.startedAt) / 1000).toFixed(1)} s` : '';
      process.stdout.write(
        `${when}  ${status}${took}\n  ${counts.files} files: ${counts.indexed} indexed, ${counts.skipped} unchanged, ${counts.failed} failed; ${counts.chunks} chunks\n  ${roots.join(', ') || '(uploads)'}\n`,
      );
    }
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}

/** `quarry cache clear`: frees the cached extractions and embeddings. */
export async function cacheClearCommand(options: { dataDir?: string }): Promise<number> {
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  const { freedBytes } = await clearCacheFolder(path.join(dataDir, 'cache'));
  process.stdout.write(
    `Cleared the cache in ${dataDir}: ${formatBytes(freedBytes)} freed. Paid results (Document Intelligence, Vision, embeddings) will be bought again when next needed.\n`,
  );
  return EXIT.ok;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

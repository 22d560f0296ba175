/**
 * `quarry models download`: fetches the configured local embedding model into the data dir (with
 * a progress bar and checksum checks; an interrupted download resumes), checks that it loads, and
 * embeds whatever the index already holds without vectors, so the next `quarry search` is
 * semantic at once. Exit 0 when the model is ready, 1 when the download or the model failed,
 * 2 for configuration errors (nothing to download), 130 on Ctrl+C (rerun to resume).
 */
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { QuarryError, type ServiceState, toErrorInfo } from '../contract';
import {
  createLocalEmbedder,
  downloadLocalEmbeddingModel,
} from '../engine/providers/local/embedding/create-local-embedder';
import { parseEmbeddingConfig } from '../engine/providers/local/embedding/embedding-config';
import type { ModelDownloadProgress } from '../engine/providers/local/embedding/model-download';
import { resolveLocalEmbeddingConfig } from '../engine/providers/local/local-embedding-settings';
import { LocalSemantic } from '../engine/providers/local/local-semantic';
import type { ReembedProgress } from '../engine/providers/local/reembed';
import { defaultDataDir } from '../engine/settings/data-dir';
import { MemorySecretStore } from '../engine/settings/secret-store';
import { SettingsStore } from '../engine/settings/settings-store';
import { EXIT, UsageError } from './exit-codes';

export interface ModelsDownloadOptions {
  dataDir?: string;
}

export async function modelsDownloadCommand(options: ModelsDownloadOptions): Promise<number> {
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  // Only the embeddings block is read: no secret is needed.
  const settings = await SettingsStore.open(dataDir, new MemorySecretStore(), process.env);
  const config = resolveLocalEmbeddingConfig(process.env, settings.storedEmbeddings());
  const resolved = parseEmbeddingConfig(config);
  if (resolved.provider !== 'local') {
    throw new UsageError(
      resolved.provider === 'off'
        ? 'Embeddings are turned off (QUARRY_EMBEDDINGS=off or the settings): there is no model to download.'
        : `Embeddings come from the endpoint ${resolved.baseURL}: there is no model to download.`,
    );
  }
  const controller = new AbortController();
  const interrupt = () => controller.abort(new QuarryError('cancelled', 'Interrupted'));
  process.once('SIGINT', interrupt);
  const out = process.stderr;
  try {
    const modelId = await download(dataDir, resolved, controller.signal);
    if (modelId === null) return controller.signal.aborted ? EXIT.interrupted : EXIT.someFailed;
    // The files are verified; make sure they also load and run before saying so.
    const status = await createLocalEmbedder({ dataDir, config: resolved, download: false });
    await status.embedder?.close();
    if (!status.embedder) {
      out.write(`quarry: ${status.reason ?? 'the model could not be used.'}\n`);
      return EXIT.someFailed;
    }
    const { embedded, failure } = await embedIndex(dataDir, resolved, controller.signal);
    if (controller.signal.aborted) return EXIT.interrupted;
    if (failure) {
      out.write(`quarry: the model is ready, but ${failure}\n`);
      return EXIT.someFailed;
    }
    out.write(
      `The embedding model ${modelId} is ready${embedded > 0 ? `; ${embedded} indexed chunks were embedded` : ''}. Semantic search is on.\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (controller.signal.aborted) {
      out.write('Interrupted: run the same command again to resume the download.\n');
      return EXIT.interrupted;
    }
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
  }
}

/** Downloads with a progress bar; returns the model id, or null after printing why it failed. */
async function download(
  dataDir: string,
  config: ReturnType<typeof parseEmbeddingConfig>,
  abortSignal: AbortSignal,
): Promise<string | null> {
  const out = process.stderr;
  const bar = new SingleBar(
    {
      format: ' {bar} {percentage}% | {loaded} of {size} MB | {file}',
      hideCursor: true,
      stream: out,
      noTTYOutput: false,
      barsize: 30,
    },
    undefined,
  );
  const loaded = new Map<string, number>();
  const sizes = new Map<string, number>();
  let started = false;
  const onProgress = (progress: ModelDownloadProgress) => {
    loaded.set(progress.file, progress.loadedBytes);
    if (progress.totalBytes !== null) sizes.set(progress.file, progress.totalBytes);
    const done = sum(loaded.values());
    const total = Math.max(sum(sizes.values()), done, 1);
    const payload = { loaded: megabytes(done), size: megabytes(total), file: progress.file };
    if (!started) {
      started = true;
      out.write(`Downloading ${progress.modelId} (${progress.fileCount} files)\n`);
      if (out.isTTY) bar.start(total, done, payload);
    } else if (out.isTTY) {
      bar.setTotal(total);
      bar.update(done, payload);
    }
  };
  try {
    const result = await downloadLocalEmbeddingModel({ dataDir, config, onProgress, abortSignal });
    if (started && out.isTTY) bar.stop();
    out.write(
      result.downloaded.length === 0
        ? `${result.modelId} is already downloaded and verified.\n`
        : `Downloaded and verified ${result.downloaded.length} files (${megabytes(result.bytes)} MB) of ${result.modelId}.\n`,
    );
    return result.modelId;
  } catch (error) {
    if (started && out.isTTY) bar.stop();
    if (abortSignal.aborted) throw error;
    const info = toErrorInfo(error);
    // A bad model description is a configuration error; anything else is a failed download.
    if (info.code === 'invalid_input' && info.reason !== 'model_file_not_found') throw error;
    out.write(`quarry: downloading the embedding model failed: ${info.message}\n`);
    return null;
  }
}

/** Embeds the chunks the index holds without vectors; says how many, or what failed. */
async function embedIndex(
  dataDir: string,
  config: ReturnType<typeof parseEmbeddingConfig>,
  abortSignal: AbortSignal,
): Promise<{ embedded: number; failure: string | null }> {
  const out = process.stderr;
  const bar = new SingleBar(
    { format: ' {bar} {percentage}% | {value}/{total} chunks embedded', stream: out, barsize: 30 },
    undefined,
  );
  let started = false;
  const onReembedProgress = ({ embedded, total }: ReembedProgress) => {
    if (!started) {
      started = true;
      out.write(`Embedding ${total} indexed chunks for semantic search\n`);
      if (out.isTTY) bar.start(total, embedded);
    } else if (out.isTTY) {
      bar.setTotal(total);
      bar.update(embedded);
    }
  };
  let embedded = 0;
  // The last state the background work reported: 'unavailable' means re-embedding failed.
  const seen: { last: ServiceState | null } = { last: null };
  const semantic = await LocalSemantic.open({
    dataDir,
    config,
    downloadModel: false,
    onServiceState: (state) => {
      seen.last = state;
    },
    onReembedProgress: (progress) => {
      embedded = progress.embedded;
      onReembedProgress(progress);
    },
  });
  const stop = () => void semantic.close();
  abortSignal.addEventListener('abort', stop, { once: true });
  try {
    await semantic.whenIdle();
  } finally {
    abortSignal.removeEventListener('abort', stop);
    if (started && out.isTTY) bar.stop();
    await semantic.close();
    await semantic.index.close();
  }
  const final = seen.last;
  return {
    embedded,
    failure: final?.state === 'unavailable' ? (final.message ?? 'embedding the indexed text failed') : null,
  };
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

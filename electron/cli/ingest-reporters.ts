import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { EngineEvent, FileSnapshot, JobSummary } from '../contract';

export interface IngestReporter {
  /** The command continues a job a crash or Ctrl+C interrupted. */
  resumed(jobId: string): void;
  onEvent(event: EngineEvent): void;
  finish(summary: JobSummary): void;
}

/** `--json`: one NDJSON line per file change and progress tick; the summary is the last line. */
export function jsonReporter(write: (line: string) => void): IngestReporter {
  const paths = new Map<string, string>();
  const print = (value: unknown) => write(`${JSON.stringify(value)}\n`);
  return {
    resumed(jobId) {
      print({ type: 'resumed', jobId });
    },
    onEvent(event) {
      switch (event.type) {
        case 'files.added':
          for (const file of event.files) {
            paths.set(file.fileId, file.path);
            print(fileLine(file.path, file));
          }
          break;
        case 'files.updated':
          for (const file of event.files) print(fileLine(paths.get(file.fileId) ?? file.fileId, file));
          break;
        case 'job.progress':
          print({ type: 'progress', ...event.job.counts });
          break;
        default:
          break;
      }
    },
    finish(summary) {
      print(summary);
    },
  };
}

function fileLine(filePath: string, file: Pick<FileSnapshot, 'stage' | 'status' | 'chunks' | 'error'>) {
  return {
    type: 'file',
    path: filePath,
    stage: file.stage,
    status: file.status,
    chunks: file.chunks,
    ...(file.error ? { error: file.error } : {}),
  };
}

/** Human mode: a progress bar while it runs, then a clear report with every failure and its reason. */
export function humanReporter(stream: NodeJS.WriteStream): IngestReporter {
  const bar = new SingleBar(
    {
      format:
        ' {bar} {percentage}% | {value}/{total} files | {indexed} indexed, {skipped} unchanged, {failed} failed',
      hideCursor: true,
      stream,
      noTTYOutput: false,
      barsize: 30,
    },
    undefined,
  );
  let started = false;
  return {
    resumed() {
      stream.write('Resuming the interrupted run of these paths: finished files are not redone.\n');
    },
    onEvent(event) {
      if (event.type !== 'job.progress') return;
      const { counts } = event.job;
      const finished = counts.indexed + counts.skipped + counts.failed;
      const payload = { indexed: counts.indexed, skipped: counts.skipped, failed: counts.failed };
      if (!started) {
        if (stream.isTTY) bar.start(counts.files, finished, payload);
        started = true;
      } else if (stream.isTTY) {
        bar.setTotal(counts.files);
        bar.update(finished, payload);
      }
    },
    finish(summary) {
      if (started && stream.isTTY) bar.stop();
      const seconds = (summary.elapsedMs / 1000).toFixed(1);
      const lines = [
        `Ingested ${summary.files} file${summary.files === 1 ? '' : 's'} in ${seconds} s: ${summary.indexed} indexed, ${summary.skipped} unchanged, ${summary.failed} failed; ${summary.chunks} chunks.`,
      ];
      if (summary.failures.length > 0) {
        lines.push('', 'Failed:');
        for (const failure of summary.failures) {
          lines.push(
            `  ${path.basename(failure.path)}  [${failure.code}] ${failure.message}`,
            `    ${failure.path}`,
          );
        }
      }
      stream.write(`${lines.join('\n')}\n`);
    },
  };
}

/** The reporter a command prints with: NDJSON on stdout for `--json`, else the progress bar and report. */
export function reporterFor(json: boolean | undefined): IngestReporter {
  return json
    ? jsonReporter((line) => process.stdout.write(line))
    : humanReporter(process.stderr.isTTY ? process.stderr : process.stdout);
}

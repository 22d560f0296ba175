#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { QuarryError, SearchMode } from '../contract';
import { askCommand } from './ask-command';
import { EXIT, UsageError } from './exit-codes';
import { ingestCommand } from './ingest-command';
import { cacheClearCommand, jobsCommand } from './maintenance-commands';
import { modelsDownloadCommand } from './models-command';
import { retryCommand } from './retry-command';
import { searchCommand } from './search-command';
import { serveCommand } from './serve-command';

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new InvalidArgumentError('must be 0..65535');
  return parsed;
}

const dataDirOption = () =>
  new Option(
    '--data-dir <dir>',
    'data folder (index, settings, caches); default: QUARRY_DATA_DIR or the app folder',
  );

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('quarry')
    .description('Ingest files and search them, locally or through Azure AI.')
    .exitOverride()
    .showHelpAfterError();

  program
    .command('ingest')
    .description('Read, chunk and index files and folders')
    .argument('<path...>', 'files or folders to ingest')
    .option('--json', 'print NDJSON events; the last line is the summary')
    .option('--estimate', 'only report files, pages, tokens and approximate cost (no paid call)')
    .addOption(dataDirOption())
    .action(async (paths: string[], options: { json?: boolean; dataDir?: string; estimate?: boolean }) => {
      setExitCode(await ingestCommand(paths, options));
    });

  program
    .command('search')
    .description('Search the indexed files')
    .argument('<query>', 'what to look for')
    .addOption(new Option('--mode <mode>', 'search mode').choices(SearchMode.options).default('hybrid'))
    .option('--top <k>', 'number of results', positiveInt, 10)
    .option('--json', 'print {"results":[...]} as JSON')
    .addOption(dataDirOption())
    .action(
      async (query: string, options: { mode: SearchMode; top: number; json?: boolean; dataDir?: string }) => {
        setExitCode(await searchCommand(query, options));
      },
    );

  program
    .command('ask')
    .description('Answer a question from the indexed files, citing them (needs a chat model)')
    .argument('<question>', 'what to ask')
    .addOption(
      new Option('--mode <mode>', 'how passages are retrieved').choices(SearchMode.options).default('hybrid'),
    )
    .option('--top <k>', 'passages retrieved for the answer (1-50)', positiveInt, 8)
    .option('--json', 'print {"answer","citations":[...],"usage":{...},"partial":bool} as JSON')
    .addOption(dataDirOption())
    .action(
      async (
        question: string,
        options: { mode: SearchMode; top: number; json?: boolean; dataDir?: string },
      ) => {
        setExitCode(await askCommand(question, options));
      },
    );

  program
    .command('serve')
    .description('Serve the app to a browser on 127.0.0.1 (guarded by a random token)')
    .option('--port <port>', 'port (0 picks a free one)', port, 0)
    .addOption(dataDirOption())
    .action(async (options: { port: number; dataDir?: string }) => {
      setExitCode(await serveCommand(options));
    });

  program
    .command('jobs')
    .description('List past and interrupted ingest jobs with their figures')
    .option('--json', 'print {"jobs":[...]} as JSON')
    .addOption(dataDirOption())
    .action(async (options: { json?: boolean; dataDir?: string }) => {
      setExitCode(await jobsCommand(options));
    });

  program
    .command('retry')
    .description("Run a finished job's failed files again (default: the latest job with failures)")
    .argument('[jobId]', 'job to retry (see "quarry jobs")')
    .option('--json', 'print NDJSON events; the last line is the summary')
    .addOption(dataDirOption())
    .action(async (jobId: string | undefined, options: { json?: boolean; dataDir?: string }) => {
      setExitCode(await retryCommand(jobId, options));
    });

  program
    .command('cache')
    .description('Manage cached extractions and embeddings (bounded by QUARRY_CACHE_MAX_MB, default 2048)')
    .command('clear')
    .description('Delete every cached result')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => {
      setExitCode(await cacheClearCommand(options));
    });

  program
    .command('models')
    .description('Manage the local embedding model')
    .command('download')
    .description('Download the configured embedding model (resumable) and embed the indexed text with it')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => {
      setExitCode(await modelsDownloadCommand(options));
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`quarry: ${error.message}\n`);
      return EXIT.usage;
    }
    if (
      error instanceof QuarryError &&
      (error.code === 'invalid_input' || error.code === 'unsupported' || error.code === 'auth')
    ) {
      process.stderr.write(`quarry: ${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(
      `quarry: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.someFailed;
  }
}

process.exitCode = await main(process.argv);

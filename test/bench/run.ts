/**
 * `npm run bench [-- --quick] [-- --json]`: generates a corpus, starts the Azure simulator, runs
 * Quarry (the real CLI), the sequential way and a LangChain.js pipeline one after another on fresh
 * indexes, compares them with the quota lower bound, measures the local backend and the UI path,
 * prints the table (with --json, one JSON object keyed by pipeline as the last line) and writes
 * benchmarks.md / .json / .svg.
 */
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ProfileName, SimLedger } from '../azure-sim/core/types';
import { startAzureSim } from '../azure-sim/index';
import { pickBaselineSample } from './baseline-sample';
import { type QuotaBound, quotaLowerBound } from './bound';
import {
  CORPUS_SIZES,
  type Corpus,
  type CorpusFile,
  corpusTotals,
  generateCorpus,
  writeManifest,
} from './corpus';
import { indexCoverage, ledgerStats } from './ledger-stats';
import { runQuarry } from './pipelines/quarry';
import { type BaselineName, type PipelineOutcome, runBaseline } from './pipelines/run-child';
import {
  type BenchReport,
  checkTargets,
  jsonSummary,
  type LocalFigures,
  machineInfo,
  markdownReport,
  PIPELINE_NAMES,
  type PipelineName,
  type PipelineReport,
  pipelineTable,
  svgChart,
} from './report';
import { measureUiPath } from './ui-path';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const STAGES = ['quarry', 'sequential', 'langchain', 'local', 'ui'] as const;
type Stage = (typeof STAGES)[number];

export interface BenchOptions {
  mode: 'full' | 'quick' | 'tiny';
  profile: ProfileName;
  json: boolean;
  /** Where <name>.md/.json/.svg go; null writes nothing. */
  outDir: string | null;
  /** Base name of the report files (default `benchmarks`). */
  outName: string;
  skip: ReadonlySet<Stage>;
  uiFiles: number;
  /** A baseline whose modelled serial time exceeds this runs on a sample (extrapolated). */
  baselineBudgetMs: number;
  seed: number;
  pipelineTimeoutInMs: number;
  command: string;
}

const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

function emptyReport(boundMs: number, files: number, reason: string): PipelineReport {
  return {
    ok: false,
    error: null,
    wallMs: null,
    measuredWallMs: null,
    processWallMs: null,
    boundMs,
    ratioToBound: null,
    requests: { openai: 0, documentIntelligence: 0, vision: 0, search: 0 },
    throttled: 0,
    throttledByService: { openai: 0, documentIntelligence: 0, vision: 0, search: 0 },
    retryAfterViolations: 0,
    embeddingRequests: 0,
    meanInputsPerEmbeddingRequest: null,
    embeddedTokens: 0,
    peakRssMb: null,
    files,
    indexedFiles: 0,
    chunks: 0,
    failedFiles: 0,
    failures: [],
    index: { name: '', documents: 0, filesIndexed: 0, missingFiles: files },
    sample: null,
    skipped: reason,
  };
}

interface PipelinePlan {
  indexName: string;
  files: CorpusFile[];
  factor: number;
  sourceOf: (document: Record<string, unknown>) => unknown;
  run: () => Promise<PipelineOutcome>;
}

function toReport(
  plan: PipelinePlan,
  outcome: PipelineOutcome,
  ledger: SimLedger,
  bound: QuotaBound,
  corpusFiles: number,
): PipelineReport {
  const stats = ledgerStats(ledger);
  const coverage = indexCoverage(
    ledger,
    plan.indexName,
    plan.files.map((file) => file.path),
    plan.sourceOf,
  );
  const wallMs = outcome.workMs == null ? null : outcome.workMs * plan.factor;
  return {
    ok: outcome.ok,
    error: outcome.error,
    wallMs,
    measuredWallMs: outcome.workMs,
    processWallMs: outcome.processWallMs,
    boundMs: bound.boundMs,
    ratioToBound: wallMs == null || bound.boundMs <= 0 ? null : wallMs / bound.boundMs,
    ...stats,
    peakRssMb: outcome.peakRssMb,
    files: outcome.files,
    indexedFiles: outcome.indexedFiles,
    chunks: outcome.chunks,
    failedFiles: outcome.failedFiles,
    failures: outcome.failures,
    index: {
      name: plan.indexName,
      documents: coverage.documents,
      filesIndexed: coverage.filesIndexed,
      missingFiles: coverage.missing.length,
    },
    sample:
      plan.files.length === corpusFiles
        ? null
        : { files: plan.files.length, of: corpusFiles, factor: plan.factor },
    ...(outcome.phasesMs ? { phasesMs: outcome.phasesMs } : {}),
  };
}

async function runLocalFigures(options: BenchOptions, workDir: string): Promise<LocalFigures> {
  const modulePath = path.join(HERE, 'local-bench.ts');
  try {
    await access(modulePath);
  } catch {
    return { ok: false, error: 'test/bench/local-bench.ts (runLocalBench) is not in the tree yet' };
  }
  try {
    const module = (await import(pathToFileURL(modulePath).href)) as {
      runLocalBench?: (options: { quick: boolean; dataDir: string }) => Promise<Record<string, unknown>>;
    };
    if (typeof module.runLocalBench !== 'function')
      return { ok: false, error: 'test/bench/local-bench.ts does not export runLocalBench' };
    const dataDir = path.join(workDir, 'local-bench');
    await mkdir(dataDir, { recursive: true });
    return { ok: true, figures: await module.runLocalBench({ quick: options.mode !== 'full', dataDir }) };
  } catch (error) {
    return {
      ok: false,
      error: `runLocalBench failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

async function runPipelines(
  options: BenchOptions,
  corpus: Corpus,
  manifestPath: string,
  workDir: string,
): Promise<{ bound: QuotaBound; pipelines: Record<PipelineName, PipelineReport> }> {
  const sim = await startAzureSim({ profile: options.profile, seed: options.seed });
  try {
    const bound = quotaLowerBound(corpus.files, sim.profile);
    log(`quota lower bound ${(bound.boundMs / 1000).toFixed(1)} s (${bound.limitedBy})`);
    const azureEnv = sim.env();
    const baseline = (name: BaselineName, route: (file: CorpusFile) => CorpusFile['route']): PipelinePlan => {
      const sample = pickBaselineSample(corpus.files, sim.profile, {
        budgetMs: options.baselineBudgetMs,
        route,
      });
      const indexName = `bench-${name}`;
      return {
        indexName,
        files: sample.files,
        factor: sample.factor,
        sourceOf: (document) =>
          name === 'langchain'
            ? (document.metadata as { source?: unknown } | undefined)?.source
            : document.sourcePath,
        run: () =>
          runBaseline(
            name,
            { manifestPath, azureEnv, indexName, files: sample.files.map((file) => file.path) },
            { workDir, timeoutInMs: options.pipelineTimeoutInMs },
          ),
      };
    };
    const plans: Record<PipelineName, PipelinePlan> = {
      quarry: {
        indexName: azureEnv.AZURE_SEARCH_INDEX ?? 'quarry',
        files: corpus.files,
        factor: 1,
        sourceOf: (document) => document.sourcePath,
        run: () =>
          runQuarry({
            corpusDir: corpus.dir,
            dataDir: path.join(workDir, 'quarry-data'),
            azureEnv,
            timeoutInMs: options.pipelineTimeoutInMs,
          }),
      },
      sequential: baseline('sequential', (file) => file.route),
      // LangChain.js has no Vision loader: every file but plain text goes to Document Intelligence.
      langchain: baseline('langchain', (file) => (file.route === 'local' ? 'local' : 'documentIntelligence')),
    };
    const pipelines = {} as Record<PipelineName, PipelineReport>;
    for (const name of PIPELINE_NAMES) {
      if (options.skip.has(name)) {
        pipelines[name] = emptyReport(bound.boundMs, corpus.files.length, 'skipped with --skip');
        continue;
      }
      const plan = plans[name];
      sim.reset();
      log(
        `${name}: ${plan.files.length} files${plan.factor !== 1 ? ` (sample of ${corpus.files.length}, x${plan.factor.toFixed(2)})` : ''}...`,
      );
      const outcome = await plan.run();
      pipelines[name] = toReport(plan, outcome, sim.ledger, bound, corpus.files.length);
      const p = pipelines[name];
      log(
        `${name}: ${p.ok ? `${((p.measuredWallMs ?? 0) / 1000).toFixed(1)} s, ${p.index.filesIndexed}/${plan.files.length} files indexed` : `failed: ${p.error}`}`,
      );
    }
    return { bound, pipelines };
  } finally {
    await sim.close();
  }
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-bench-'));
  try {
    const corpusDir = path.join(workDir, 'corpus');
    const counts = CORPUS_SIZES[options.mode === 'full' ? 'default' : options.mode];
    log(`generating the ${options.mode} corpus in ${corpusDir}...`);
    const corpus = await generateCorpus({
      dir: corpusDir,
      counts,
      seed: options.seed,
      ...(options.mode === 'tiny' ? { maxTextPdfPages: 3, maxScanPdfPages: 2 } : {}),
    });
    const totals = corpusTotals(corpus.files);
    log(`corpus: ${totals.files} files, ${totals.pages} pages, ${totals.textTokens} tokens`);
    const manifestPath = path.join(workDir, 'manifest.json');
    await writeManifest(corpus, manifestPath);

    const { bound, pipelines } = await runPipelines(options, corpus, manifestPath, workDir);

    let local: LocalFigures = { ok: false, error: 'skipped with --skip' };
    if (!options.skip.has('local')) {
      log('local backend figures...');
      local = await runLocalFigures(options, workDir);
    }
    let uiPath: BenchReport['uiPath'] = { skipped: 'skipped with --skip' };
    if (!options.skip.has('ui')) {
      log(`UI path: ${options.uiFiles} files through quarry serve...`);
      const uiDir = path.join(workDir, 'ui');
      await mkdir(uiDir, { recursive: true });
      uiPath = await measureUiPath({ fileCount: options.uiFiles, workDir: uiDir, timeoutInMs: 30 * 60_000 });
    }
    return {
      generatedAt: new Date().toISOString(),
      machine: machineInfo(),
      mode: options.mode,
      profile: options.profile,
      command: options.command,
      corpus: totals,
      bound,
      pipelines,
      local,
      uiPath,
      targets: checkTargets(pipelines, uiPath),
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Writes `<name>.json`, `<name>.svg` and `<name>.md` (which shows the chart) into `outDir`. */
export async function writeReport(report: BenchReport, outDir: string, name = 'benchmarks'): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(outDir, `${name}.svg`), svgChart(report));
  await writeFile(path.join(outDir, `${name}.md`), markdownReport(report, `${name}.svg`));
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      tiny: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      profile: { type: 'string', default: 'realistic' },
      out: { type: 'string' },
      name: { type: 'string', default: 'benchmarks' },
      'no-write': { type: 'boolean', default: false },
      skip: { type: 'string', default: '' },
      'ui-files': { type: 'string' },
      'baseline-budget-min': { type: 'string', default: '12' },
      seed: { type: 'string', default: '20240601' },
    },
    strict: true,
  });
  const mode = values.tiny ? 'tiny' : values.quick ? 'quick' : 'full';
  if (values.profile !== 'realistic' && values.profile !== 'instant')
    throw new Error(`--profile must be realistic or instant, not ${values.profile}`);
  const skip = new Set<Stage>();
  for (const name of values.skip.split(',').filter(Boolean)) {
    if (!(STAGES as readonly string[]).includes(name))
      throw new Error(`--skip takes ${STAGES.join(', ')}; got ${name}`);
    skip.add(name as Stage);
  }
  const number = (value: string, flag: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${flag} must be a positive number`);
    return parsed;
  };
  const uiFiles = values['ui-files'] ?? (mode === 'full' ? '10000' : mode === 'quick' ? '2000' : '50');
  return {
    mode,
    profile: values.profile,
    json: values.json,
    outDir: values['no-write'] ? null : path.resolve(values.out ?? path.join(HERE, '..', '..', 'docs')),
    outName: values.name,
    skip,
    uiFiles: number(uiFiles, '--ui-files'),
    baselineBudgetMs: number(values['baseline-budget-min'], '--baseline-budget-min') * 60_000,
    seed: number(values.seed, '--seed'),
    pipelineTimeoutInMs: 90 * 60_000,
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
  };
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const report = await runBench(options);
  if (options.outDir) {
    await writeReport(report, options.outDir, options.outName);
    log(`wrote ${path.join(options.outDir, `${options.outName}.md`)} (+ .json, .svg)`);
  }
  process.stdout.write(`${pipelineTable(report)}\n\n`);
  for (const target of report.targets)
    process.stdout.write(
      `${target.met === null ? '  ' : target.met ? 'ok' : '!!'} ${target.name}: ${target.actual} (goal ${target.target})${target.note ? `; ${target.note}` : ''}\n`,
    );
  if (options.json) process.stdout.write(`${JSON.stringify(jsonSummary(report))}\n`);
  return 0;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  process.exitCode = await main();
}

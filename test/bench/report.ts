/**
 * The bench report: its shape, the targets it is checked against, the console table, the
 * machine-readable JSON, the markdown page and a hand-written SVG bar chart.
 */
import os from 'node:os';
import type { QuotaBound } from './bound';
import type { CorpusTotals } from './corpus';
import type { ServiceCounts } from './ledger-stats';
import { UI_PATH_RSS_TARGET_MB, type UiPathResult } from './ui-path';

export const PIPELINE_NAMES = ['quarry', 'sequential', 'langchain'] as const;
export type PipelineName = (typeof PIPELINE_NAMES)[number];

export interface PipelineReport {
  ok: boolean;
  error: string | null;
  /** The whole corpus's wall time (extrapolated when the run was a sample). */
  wallMs: number | null;
  /** What was measured (the sample's time when sampled). */
  measuredWallMs: number | null;
  processWallMs: number | null;
  boundMs: number;
  ratioToBound: number | null;
  requests: ServiceCounts;
  throttled: number;
  throttledByService: ServiceCounts;
  retryAfterViolations: number;
  embeddingRequests: number;
  meanInputsPerEmbeddingRequest: number | null;
  embeddedTokens: number;
  peakRssMb: number | null;
  files: number;
  indexedFiles: number;
  chunks: number;
  failedFiles: number;
  failures: { path: string; message: string }[];
  /** Documents in the pipeline's index and the run's files that have none there. */
  index: { name: string; documents: number; filesIndexed: number; missingFiles: number };
  /** Set when the pipeline ran on a sample of the corpus. */
  sample: { files: number; of: number; factor: number } | null;
  phasesMs?: Record<string, number>;
  skipped?: string;
}

export interface MachineInfo {
  os: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
}

export interface TargetCheck {
  name: string;
  target: string;
  actual: string;
  /** Null when it could not be measured in this run. */
  met: boolean | null;
  /** What limits the figure, when the run shows it (e.g. the most any pipeline could reach). */
  note?: string;
}

export type LocalFigures = { ok: true; figures: Record<string, unknown> } | { ok: false; error: string };

export interface BenchReport {
  generatedAt: string;
  machine: MachineInfo;
  mode: 'full' | 'quick' | 'tiny';
  profile: string;
  command: string;
  corpus: CorpusTotals;
  bound: QuotaBound;
  pipelines: Record<PipelineName, PipelineReport>;
  local: LocalFigures;
  uiPath: UiPathResult | { skipped: string };
  targets: TargetCheck[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
  };
}

const seconds = (ms: number | null | undefined): string =>
  ms == null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`;
const ratio = (value: number | null | undefined): string => (value == null ? 'n/a' : `${value.toFixed(2)}x`);

export function checkTargets(
  pipelines: Record<PipelineName, PipelineReport>,
  uiPath: BenchReport['uiPath'],
): TargetCheck[] {
  const quarry = pipelines.quarry;
  const speedup = (other: PipelineReport): number | null =>
    quarry.wallMs && other.wallMs ? other.wallMs / quarry.wallMs : null;
  const sequentialSpeedup = speedup(pipelines.sequential);
  // Quarry cannot finish before the quota bound: sequential / bound is the most any pipeline can reach.
  const sequentialCeiling =
    pipelines.sequential.wallMs && quarry.boundMs > 0 ? pipelines.sequential.wallMs / quarry.boundMs : null;
  const langchainSpeedup = speedup(pipelines.langchain);
  const uiRss = 'skipped' in uiPath ? null : uiPath.peakRssMb;
  return [
    {
      name: 'Quarry vs the quota bound',
      target: '<= 1.15x',
      actual: ratio(quarry.ratioToBound),
      met: quarry.ratioToBound == null ? null : quarry.ratioToBound <= 1.15,
    },
    {
      name: 'Quarry vs sequential',
      target: '>= 10x faster',
      actual: sequentialSpeedup == null ? 'n/a' : `${sequentialSpeedup.toFixed(1)}x faster`,
      met: sequentialSpeedup == null ? null : sequentialSpeedup >= 10,
      ...(sequentialCeiling == null
        ? {}
        : {
            note: `the quota bound itself is ${sequentialCeiling.toFixed(1)}x faster than sequential: no pipeline can do better on this corpus`,
          }),
    },
    {
      name: 'Quarry vs LangChain.js',
      target: '>= 5x faster',
      actual: langchainSpeedup == null ? 'n/a' : `${langchainSpeedup.toFixed(1)}x faster`,
      met: langchainSpeedup == null ? null : langchainSpeedup >= 5,
    },
    {
      name: 'Quarry Retry-After violations',
      target: '0',
      actual: quarry.ok ? String(quarry.retryAfterViolations) : 'n/a',
      met: quarry.ok ? quarry.retryAfterViolations === 0 : null,
    },
    {
      name: `UI path peak RSS (${'skipped' in uiPath ? 'n/a' : uiPath.files.toLocaleString('en-US')} files)`,
      target: `< ${UI_PATH_RSS_TARGET_MB} MB for 10,000 files`,
      actual: uiRss == null ? 'n/a' : `${uiRss} MB`,
      // Fewer files can only show a miss: memory does not shrink as the job grows.
      met:
        uiRss == null || 'skipped' in uiPath
          ? null
          : uiRss >= UI_PATH_RSS_TARGET_MB
            ? false
            : uiPath.files >= 10_000
              ? true
              : null,
    },
  ];
}

/** The `--json` last line: one object keyed by pipeline. */
export function jsonSummary(report: BenchReport): Record<PipelineName, Record<string, unknown>> {
  const entry = (p: PipelineReport) => ({
    ok: p.ok,
    wallMs: p.wallMs == null ? null : Math.round(p.wallMs),
    boundMs: p.boundMs,
    requests: p.requests,
    throttled: p.throttled,
    retryAfterViolations: p.retryAfterViolations,
    peakRssMb: p.peakRssMb,
    meanInputsPerEmbeddingRequest: p.meanInputsPerEmbeddingRequest,
    indexedFiles: p.index.filesIndexed,
    files: p.sample ? p.sample.files : p.files,
    extrapolated: p.sample !== null && p.sample.factor !== 1,
    error: p.error,
  });
  return {
    quarry: entry(report.pipelines.quarry),
    sequential: entry(report.pipelines.sequential),
    langchain: entry(report.pipelines.langchain),
  };
}

function requestsCell(requests: ServiceCounts): string {
  return `${requests.openai} / ${requests.documentIntelligence} / ${requests.vision} / ${requests.search}`;
}

function wallCell(p: PipelineReport): string {
  if (p.skipped) return `skipped (${p.skipped})`;
  if (!p.ok) return 'failed';
  if (p.sample && p.sample.factor !== 1)
    return `${seconds(p.wallMs)} (extrapolated: ${seconds(p.measuredWallMs)} for ${p.sample.files}/${p.sample.of} files x ${p.sample.factor.toFixed(2)})`;
  return seconds(p.wallMs);
}

/** The main table, as markdown (also printed to the console). */
export function pipelineTable(report: BenchReport): string {
  const rows = PIPELINE_NAMES.map((name) => {
    const p = report.pipelines[name];
    const mean = p.meanInputsPerEmbeddingRequest == null ? 'n/a' : p.meanInputsPerEmbeddingRequest.toFixed(1);
    return `| ${name} | ${wallCell(p)} | ${ratio(p.ratioToBound)} | ${requestsCell(p.requests)} | ${p.throttled} | ${p.retryAfterViolations} | ${mean} | ${p.peakRssMb ?? 'n/a'} MB | ${p.index.filesIndexed}/${p.sample?.files ?? p.files} |`;
  });
  return [
    `Quota lower bound: **${seconds(report.bound.boundMs)}** (limited by ${report.bound.limitedBy}).`,
    '',
    '| pipeline | wall time | x bound | requests (OpenAI / DI / Vision / Search) | 429s | Retry-After violations | inputs per embedding request | peak RSS | files indexed |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function targetsTable(targets: readonly TargetCheck[]): string {
  const mark = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : '**missed**');
  return [
    '| target | goal | actual | |',
    '|---|---|---|---|',
    ...targets.map(
      (t) => `| ${t.name} | ${t.target} | ${t.actual}${t.note ? ` (${t.note})` : ''} | ${mark(t.met)} |`,
    ),
  ].join('\n');
}

function boundTable(bound: QuotaBound): string {
  return [
    '| term | work | sustained rate | burst | time |',
    '|---|---|---|---|---|',
    ...bound.terms.map(
      (t) =>
        `| ${t.name} | ${Math.round(t.work).toLocaleString('en-US')} ${t.unit} | ${t.ratePerSecond == null ? '' : `${Number(t.ratePerSecond.toFixed(2))}/s`} | ${t.burst ?? ''} | ${seconds(t.ms)} |`,
    ),
  ].join('\n');
}

function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
      flatten(inner, prefix ? `${prefix}.${key}` : key),
    );
  }
  const text = typeof value === 'number' ? String(Math.round(value * 100) / 100) : JSON.stringify(value);
  return [[prefix, text]];
}

function localSection(local: LocalFigures): string {
  if (!local.ok) return `Not measured: ${local.error}`;
  return [
    '| figure | value |',
    '|---|---|',
    ...flatten(local.figures).map(([k, v]) => `| ${k} | ${v} |`),
  ].join('\n');
}

function uiSection(ui: BenchReport['uiPath']): string {
  if ('skipped' in ui) return `Not measured: ${ui.skipped}`;
  if (!ui.ok) return `Failed: ${ui.error}`;
  return [
    '| files | indexed | failed | job time | event frames | frames/s (mean / max) | event bytes | serve process peak RSS |',
    '|---|---|---|---|---|---|---|---|',
    `| ${ui.files.toLocaleString('en-US')} | ${ui.indexed} | ${ui.failed} | ${seconds(ui.wallMs)} | ${ui.eventFrames} | ${ui.framesPerSecond ? `${ui.framesPerSecond.mean.toFixed(1)} / ${ui.framesPerSecond.max}` : 'n/a'} | ${ui.eventBytes.toLocaleString('en-US')} | ${ui.peakRssMb ?? 'n/a'} MB |`,
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A horizontal bar chart of wall times against the bound, written by hand. */
export function svgChart(report: BenchReport): string {
  const bars: { label: string; ms: number; color: string; note: string }[] = [
    { label: 'quota bound', ms: report.bound.boundMs, color: '#9e9e9e', note: '' },
  ];
  const colors: Record<PipelineName, string> = {
    quarry: '#2e7d32',
    sequential: '#c62828',
    langchain: '#1565c0',
  };
  for (const name of PIPELINE_NAMES) {
    const p = report.pipelines[name];
    if (p.wallMs == null) continue;
    const extrapolated = p.sample !== null && p.sample.factor !== 1;
    bars.push({
      label: name,
      ms: p.wallMs,
      color: colors[name],
      note: extrapolated ? ' (extrapolated)' : '',
    });
  }
  const width = 720;
  const labelWidth = 120;
  const barArea = width - labelWidth - 200;
  const rowHeight = 34;
  const top = 40;
  const height = top + bars.length * rowHeight + 20;
  const max = Math.max(1, ...bars.map((b) => b.ms));
  const rows = bars.map((bar, index) => {
    const y = top + index * rowHeight;
    const length = Math.max(2, (bar.ms / max) * barArea);
    return [
      `  <text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `  <rect x="${labelWidth}" y="${y + 4}" width="${length.toFixed(1)}" height="20" fill="${bar.color}"/>`,
      `  <text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 17}">${escapeXml(`${seconds(bar.ms)}${bar.note}`)}</text>`,
    ].join('\n');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `  <rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `  <text x="${labelWidth}" y="22" font-weight="bold">${escapeXml(`Ingest wall time, ${report.corpus.files} files / ${report.corpus.pages} pages (${report.profile} profile)`)}</text>`,
    ...rows,
    '</svg>',
    '',
  ].join('\n');
}

export function markdownReport(report: BenchReport, svgFileName: string): string {
  const m = report.machine;
  const c = report.corpus;
  const kinds = Object.entries(c.byKind)
    .map(([kind, v]) => `${kind} ${v.files} files / ${v.pages} pages`)
    .join(', ');
  const notes = PIPELINE_NAMES.flatMap((name) => {
    const p = report.pipelines[name];
    const lines: string[] = [];
    if (p.error) lines.push(`- **${name}** failed: ${p.error}`);
    if (p.failedFiles > 0)
      lines.push(
        `- **${name}**: ${p.failedFiles} files failed, e.g. ${p.failures.map((f) => `\`${f.message}\``).join('; ')}`,
      );
    if (p.sample && p.sample.factor !== 1)
      lines.push(
        `- **${name}** ran on a stratified sample of ${p.sample.files} of ${p.sample.of} files (every k-th file of each kind); its wall time is the sample's measured time (${seconds(p.measuredWallMs)}) times ${p.sample.factor.toFixed(2)}, the ratio of the modelled serial time of the whole corpus to the sample's. Its request counts are the sample's.`,
      );
    if (p.phasesMs)
      lines.push(
        `- **${name}** phases: ${Object.entries(p.phasesMs)
          .map(([phase, ms]) => `${phase} ${seconds(ms)}`)
          .join(', ')}`,
      );
    return lines;
  });
  return [
    '# Benchmarks',
    '',
    `Generated by \`${report.command}\` on ${report.generatedAt}.`,
    '',
    `Machine: ${m.os}, ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, Node ${m.node}.`,
    '',
    `Simulator profile: \`${report.profile}\` (test/azure-sim: OpenAI 120K TPM / 720 RPM per deployment, DI 15 analyze/s + 50 polls/s, Vision 20/s, Search 50 index batches/s; latencies as in its README). Each pipeline ran in its own child process against the same simulator and corpus, on a fresh index; the simulator's quotas were reset between pipelines.`,
    '',
    `Corpus (${report.mode}): ${c.files} files, ${c.pages} pages, ${(c.bytes / 1024 ** 2).toFixed(1)} MB, ${c.textTokens.toLocaleString('en-US')} text tokens (cl100k): ${kinds}.`,
    '',
    '## Ingestion',
    '',
    `![wall time per pipeline](${svgFileName})`,
    '',
    pipelineTable(report),
    '',
    "Wall time is each pipeline's own time for the work (Quarry: the CLI summary's `elapsedMs`); \"429s\" counts throttled replies (429, and AI Search's 503 load shedding); Retry-After violations are requests that arrived before a wait the service had advertised (the simulator's ledger). Peak RSS is the pipeline process's own high-water mark (Linux `VmHWM`; not getrusage's `maxRSS`, which a child inherits from the process it was forked from).",
    '',
    ...(notes.length > 0 ? [...notes, ''] : []),
    '### Targets',
    '',
    targetsTable(report.targets),
    '',
    '### The quota lower bound',
    '',
    "Per service, the work this corpus needs over the service's sustained quota, after the burst its token bucket holds at start; plus the critical path of the slowest single file (its Document Intelligence processing, one embedding call and one upload, at nominal latency). The largest term bounds the run.",
    '',
    boundTable(report.bound),
    '',
    '## Local backend',
    '',
    localSection(report.local),
    '',
    '## UI path',
    '',
    "A job of tiny text files in the real engine behind `quarry serve` (local backend, keyword-only), watched over the browser host's WebSocket as the renderer would watch it.",
    '',
    uiSection(report.uiPath),
    '',
  ].join('\n');
}

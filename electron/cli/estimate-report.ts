/** `quarry ingest --estimate` output: a small table for people, one JSON object for scripts. */
import type { EstimateIngestOutput } from '../contract';

function usd(value: number): string {
  if (value > 0 && value < 0.0001) return '<$0.0001';
  return `$${value.toFixed(value > 0 && value < 0.01 ? 4 : 2)}`;
}
const count = (value: number): string => value.toLocaleString('en-US');

export function estimateJson(estimate: EstimateIngestOutput): string {
  return `${JSON.stringify(estimate)}\n`;
}

export function estimateTable(estimate: EstimateIngestOutput): string {
  const { byRoute, cost, prices } = estimate;
  const rows: [string, string, string][] = [
    [
      'Document Intelligence',
      count(byRoute.documentIntelligence.files),
      `${count(byRoute.documentIntelligence.pages)} pages`,
    ],
    ['Vision', count(byRoute.vision.files), `${count(byRoute.vision.files)} images`],
    ['Read locally', count(byRoute.local.files), `${count(byRoute.local.pages)} pages`],
    ['Unchanged (free)', count(estimate.unchanged), ''],
  ];
  if (estimate.unreadable > 0) rows.push(['Unreadable', count(estimate.unreadable), '']);
  const width = Math.max(...rows.map(([label]) => label.length));
  const filesWidth = Math.max(...rows.map(([, files]) => files.length));
  const lines = [
    `Estimate (${estimate.backend} backend): ${count(estimate.files)} files, ${count(estimate.tokens)} tokens to embed`,
    ...rows.map(([label, files, extra]) =>
      `  ${label.padEnd(width)}  ${files.padStart(filesWidth)} files${extra ? `  ${extra}` : ''}`.trimEnd(),
    ),
    `Estimated cost: ${usd(cost.total)} (Document Intelligence ${usd(cost.documentIntelligence)}, Vision ${usd(cost.vision)}, embeddings ${usd(cost.embeddings)})`,
    `Prices used (${prices.currency}): ${prices.documentIntelligencePer1000Pages} per 1000 pages, ${prices.visionPer1000Images} per 1000 images, ${prices.embeddingsPer1MTokens} per 1M tokens`,
    ...estimate.notes.map((note) => `Note: ${note}`),
  ];
  return `${lines.join('\n')}\n`;
}

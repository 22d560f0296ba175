import type { ServiceName } from './types';

/** How the UI and error messages name each limiter's service. */
export const SERVICE_LABELS: Readonly<Record<ServiceName, string>> = {
  'documentIntelligence.analyze': 'Document Intelligence',
  'documentIntelligence.poll': 'Document Intelligence (result polling)',
  vision: 'Azure AI Vision',
  embeddings: 'Azure OpenAI embeddings',
  'search.index': 'Azure AI Search indexing',
  'search.query': 'Azure AI Search queries',
  chat: 'Azure OpenAI chat',
};

/** "2.5 s", "3 min", "24 h". */
export function describeDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}

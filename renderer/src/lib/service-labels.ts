/** How the UI names the engine's services (its limiter names, e.g. `documentIntelligence.analyze`). */
const LABELS: Readonly<Record<string, string>> = {
  'documentIntelligence.analyze': 'Document Intelligence',
  'documentIntelligence.poll': 'Document Intelligence (results)',
  vision: 'Azure AI Vision',
  embeddings: 'Azure OpenAI embeddings',
  chat: 'Azure OpenAI chat',
  'search.index': 'Azure AI Search indexing',
  'search.query': 'Azure AI Search queries',
};

export function serviceLabel(service: string): string {
  return LABELS[service] ?? service;
}

const STATE_TEXT = { ok: 'working normally', throttled: 'throttled', unavailable: 'unavailable' } as const;

/** "Document Intelligence throttled — resuming in 3 s" (the countdown part comes from the caller's clock). */
export function serviceStateText(state: keyof typeof STATE_TEXT): string {
  return STATE_TEXT[state];
}

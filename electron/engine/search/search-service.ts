import type { SearchMode, SearchOutput } from '../../contract';
import type { ParsedCallInput } from '../../contract/api';
import type { Backend } from '../backend';
import type { CallOptions } from '../types';

/**
 * Runs a search in the mode asked for where the backend can, and otherwise in the closest mode it
 * can, saying why in `notice`: no embedder means keyword only; the semantic ranker is Azure's.
 */
export async function runSearch(
  backend: Backend,
  input: ParsedCallInput<'search'>,
  options: CallOptions = {},
): Promise<SearchOutput> {
  const wantsVector = input.mode !== 'keyword';
  const embedder = backend.embedder;
  const vector =
    wantsVector && embedder
      ? (await embedder.embed([input.query], { inputType: 'query', ...options }))[0]
      : undefined;
  const mode: SearchMode = !wantsVector
    ? 'keyword'
    : !vector
      ? 'keyword'
      : input.mode === 'semantic' && backend.kind !== 'azure'
        ? 'hybrid'
        : input.mode;
  const results = await backend.index.search(
    {
      text: input.query,
      mode,
      top: input.top,
      ...(vector ? { vector } : {}),
      ...(input.filters ? { filters: input.filters } : {}),
    },
    options,
  );
  return { mode, results, notice: noticeFor(input.mode, mode, backend) };
}

function noticeFor(asked: SearchMode, used: SearchMode, backend: Backend): string | null {
  if (asked === used) return null;
  if (used === 'keyword') {
    return `Showing keyword results: ${backend.semanticUnavailableReason ?? 'semantic search is unavailable.'}`;
  }
  return 'Semantic ranking needs the Azure backend; showing hybrid results.';
}

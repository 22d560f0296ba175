import type { FiredFault, SeededRandom, SimResponse } from '../core/types';
import { INDEXING_THROTTLE_MESSAGE, invalidRequest, searchError } from './search-errors';
import type { IndexEntry } from './search-index-store';
import { makeStoredDocument } from './search-index-store';

/** Batch limits from the protocol doc (search-limits-quotas-capacity.md). */
export const BATCH_LIMITS = { maxDocuments: 1000, maxBytes: 16 * 1024 * 1024 } as const;

const ACTIONS = new Set(['upload', 'merge', 'mergeOrUpload', 'delete']);
const KEY_PATTERN = /^[A-Za-z0-9_\-=]{1,1024}$/;

export interface ItemResult {
  key: string;
  status: boolean;
  errorMessage: string | null;
  statusCode: number;
}

interface Action {
  readonly action: string;
  readonly key: string;
  readonly values: Record<string, unknown>;
}

function itemFailureMessage(status: number): string {
  if (status === 503) return INDEXING_THROTTLE_MESSAGE;
  if (status === 409) return 'The document could not be indexed because of a version conflict. Please retry.';
  if (status === 422)
    return 'The index is temporarily unavailable because it was updated with the allowIndexDowntime flag. Please retry.';
  return 'The document could not be indexed. Please retry.';
}

/** Parses and validates the whole batch; an error reply rejects the batch before any write. */
function parseActions(entry: IndexEntry, json: unknown): Action[] | SimResponse {
  const value = typeof json === 'object' && json !== null ? (json as { value?: unknown }).value : undefined;
  if (!Array.isArray(value))
    return invalidRequest("value : The 'value' property must be an array of indexing actions.");
  if (value.length === 0) {
    return invalidRequest(
      'actions : No indexing actions found in the request. Please include between 1 and 1000 indexing actions in your request.',
    );
  }
  const { index } = entry;
  const actions: Action[] = [];
  for (const [position, raw] of value.entries()) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return invalidRequest(`actions : ${position}: Each indexing action must be an object.`);
    }
    const { '@search.action': rawAction, ...values } = raw as Record<string, unknown>;
    const action = rawAction === undefined ? 'upload' : String(rawAction);
    if (!ACTIONS.has(action))
      return invalidRequest(`@search.action : '${action}' is not a valid indexing action.`);
    for (const [name, fieldValue] of Object.entries(values)) {
      const field = index.fields.get(name);
      if (!field) {
        return invalidRequest(
          `parameters : The property '${name}' does not exist on type 'search.documentFields'. Make sure to only use property names that are defined by the type.`,
        );
      }
      if (field.vector && fieldValue !== null && action !== 'delete') {
        const length = Array.isArray(fieldValue) ? fieldValue.length : -1;
        if (length !== field.vector.dimensions) {
          return invalidRequest(
            `The vector field '${name}', with dimension of '${field.vector.dimensions}', expects a length of '${field.vector.dimensions}'. However, the provided vector has a length of '${length}'. Please ensure that the vector length matches the dimension of the field.`,
          );
        }
      }
    }
    const key = values[index.keyField];
    if (typeof key !== 'string' || key === '') {
      return invalidRequest(`actions : ${position}: Document key cannot be missing or empty.`);
    }
    actions.push({ action, key, values });
  }
  return actions;
}

/** Which items an itemErrors fault fails (at least one), drawn from the seeded rng. */
function failingPositions(count: number, fired: FiredFault | undefined, rng: SeededRandom): Set<number> {
  if (!fired) return new Set();
  const wanted = Math.min(count, Math.max(1, Math.round(count * (fired.rule.itemFraction ?? 0.5))));
  const positions = [...Array(count).keys()];
  for (let i = positions.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [positions[i], positions[j]] = [positions[j] as number, positions[i] as number];
  }
  return new Set(positions.slice(0, wanted));
}

function applyAction(entry: IndexEntry, action: Action, visibleFromMs: number): ItemResult {
  const existing = entry.documents.get(action.key);
  const ok = (statusCode: number): ItemResult => ({
    key: action.key,
    status: true,
    errorMessage: null,
    statusCode,
  });
  switch (action.action) {
    case 'delete':
      entry.documents.delete(action.key);
      return ok(200);
    case 'merge':
      if (!existing)
        return { key: action.key, status: false, errorMessage: 'Document not found.', statusCode: 404 };
      entry.documents.set(
        action.key,
        makeStoredDocument(action.key, { ...existing.values, ...action.values }, visibleFromMs),
      );
      return ok(200);
    case 'mergeOrUpload': {
      const values = existing ? { ...existing.values, ...action.values } : action.values;
      entry.documents.set(action.key, makeStoredDocument(action.key, values, visibleFromMs));
      return ok(existing ? 200 : 201);
    }
    default:
      entry.documents.set(action.key, makeStoredDocument(action.key, action.values, visibleFromMs));
      return ok(existing ? 200 : 201);
  }
}

export interface BatchInput {
  readonly entry: IndexEntry;
  readonly body: Buffer;
  readonly visibleFromMs: number;
  /** An itemErrors fault for this request, if one fired. */
  readonly itemFault: FiredFault | undefined;
  readonly rng: SeededRandom;
}

/** POST docs/search.index: per-item results; 200 when all succeeded, 207 otherwise. */
export function runIndexBatch(input: BatchInput): SimResponse {
  if (input.body.length > BATCH_LIMITS.maxBytes) {
    return searchError(
      413,
      `The request is too large. The maximum request size is ${BATCH_LIMITS.maxBytes} bytes.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(input.body.toString('utf8'));
  } catch {
    return invalidRequest('The request body is not valid JSON.');
  }
  const count = (json as { value?: unknown[] } | null)?.value?.length ?? 0;
  if (count > BATCH_LIMITS.maxDocuments) {
    return searchError(
      413,
      `The request is too large. A batch may contain at most ${BATCH_LIMITS.maxDocuments} indexing actions; this one has ${count}.`,
    );
  }
  const actions = parseActions(input.entry, json);
  if (!Array.isArray(actions)) return actions;
  const failing = failingPositions(actions.length, input.itemFault, input.rng);
  const itemStatus = input.itemFault?.rule.itemStatus ?? 503;
  const results = actions.map((action, position): ItemResult => {
    if (failing.has(position)) {
      return {
        key: action.key,
        status: false,
        errorMessage: itemFailureMessage(itemStatus),
        statusCode: itemStatus,
      };
    }
    if (!KEY_PATTERN.test(action.key)) {
      return {
        key: action.key,
        status: false,
        errorMessage: `Invalid document key: '${action.key}'. Keys can only contain letters, digits, underscore (_), dash (-), or equal sign (=).`,
        statusCode: 400,
      };
    }
    return applyAction(input.entry, action, input.visibleFromMs);
  });
  const allOk = results.every((r) => r.status);
  return {
    status: allOk ? 200 : 207,
    body: { kind: 'json', value: { value: results } },
    notes: { actions: results.length, failed: results.filter((r) => !r.status).length },
  };
}

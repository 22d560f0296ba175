/**
 * Access to the real Azure recordings in ../shared/azure-recordings (outside the repo; users'
 * clones do not have it, so conformance suites skip when it is absent) and a structural
 * comparison: same keys, same JSON types, recursively.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const RECORDINGS_DIR = path.resolve(REPO_ROOT, '../shared/azure-recordings');
export const HAS_RECORDINGS = existsSync(RECORDINGS_DIR);

/** Logs why a conformance suite is skipped (call at module level). */
export function noteIfRecordingsMissing(suite: string): void {
  if (!HAS_RECORDINGS) {
    console.warn(
      `[${suite}] skipped: Azure recordings not found at ${RECORDINGS_DIR} (they live outside the repo).`,
    );
  }
}

export function readRecordingText(relativePath: string): string {
  return readFileSync(path.join(RECORDINGS_DIR, relativePath), 'utf8');
}

export function readRecording<T = RecordedExchange>(relativePath: string): T {
  return JSON.parse(readRecordingText(relativePath)) as T;
}

export interface RecordedExchange {
  request: { method: string; uri: string; headers: Record<string, string>; body?: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

/** The `data:` payloads of an SSE body, in order. */
export function sseEvents(text: string): string[] {
  return text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export interface ShapeOptions {
  /** Dotted paths (array items as `[]`) where the recorded value is not compared. */
  readonly ignore?: readonly string[];
  /** Allow `null` on one side where the other has a value (fields a test data set leaves unset). */
  readonly nullMatchesAnything?: boolean;
}

/**
 * Differences between the structure of `actual` and `recorded`: keys missing or extra, and
 * JSON types that differ. Recorded values "<trimmed>" (the recordings' own markers) are skipped;
 * arrays are compared by their first elements.
 */
export function shapeDifferences(
  actual: unknown,
  recorded: unknown,
  options: ShapeOptions = {},
  at = '$',
): string[] {
  if (options.ignore?.includes(at)) return [];
  if (typeof recorded === 'string' && recorded.startsWith('<trimmed')) return [];
  const a = typeName(actual);
  const r = typeName(recorded);
  if (a !== r) {
    if (options.nullMatchesAnything && (a === 'null' || r === 'null')) return [];
    return [`${at}: ${a} where the recording has ${r}`];
  }
  if (r === 'array') {
    const first = (recorded as unknown[])[0];
    const actualFirst = (actual as unknown[])[0];
    if (first === undefined || actualFirst === undefined) return [];
    return shapeDifferences(actualFirst, first, options, `${at}[]`);
  }
  if (r !== 'object') return [];
  const recordedObject = recorded as Record<string, unknown>;
  const actualObject = actual as Record<string, unknown>;
  const differences: string[] = [];
  for (const key of Object.keys(recordedObject)) {
    if (!(key in actualObject)) differences.push(`${at}.${key}: missing`);
    else
      differences.push(...shapeDifferences(actualObject[key], recordedObject[key], options, `${at}.${key}`));
  }
  for (const key of Object.keys(actualObject)) {
    if (!(key in recordedObject)) differences.push(`${at}.${key}: not in the recording`);
  }
  return differences;
}

/** Header names (lower case) of a recorded response. */
export function recordedHeaderNames(headers: Record<string, string>): string[] {
  return Object.keys(headers).map((h) => h.toLowerCase());
}

/** The search filters as the form holds them, and their translation into the contract's SearchFilters. */
import type { SearchFilters } from '../../../electron/contract/api';

export const FILE_TYPES = {
  pdf: { mimeTypes: ['application/pdf'] },
  word: {
    mimeTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  },
  text: { mimeTypes: ['text/plain', 'text/markdown', 'text/csv', 'application/json'] },
  html: { mimeTypes: ['text/html'] },
  image: {
    mimeTypes: ['image/png', 'image/jpeg', 'image/tiff', 'image/bmp', 'image/gif', 'image/webp'],
  },
} as const;

export type FileTypeKey = keyof typeof FILE_TYPES;
export const FILE_TYPE_KEYS = Object.keys(FILE_TYPES) as FileTypeKey[];

export interface FilterDraft {
  /** Empty: every type. */
  types: readonly FileTypeKey[];
  /** A folder path prefix (absolute, or relative for browser uploads); empty: everywhere. */
  folder: string;
  /** `YYYY-MM-DD` from an <input type="date">, in the person's time zone; empty: no bound. */
  modifiedFrom: string;
  modifiedTo: string;
}

export const NO_FILTERS: FilterDraft = { types: [], folder: '', modifiedFrom: '', modifiedTo: '' };

/** Local midnight of a `YYYY-MM-DD` date, or null when it is not one. */
function localMidnight(date: string, addDays = 0): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(date);
  if (!match) return null;
  const at = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(at.getTime()) ? null : at.getTime();
}

/** The contract filters; undefined when nothing narrows the search. "To" includes its whole day. */
export function toSearchFilters(draft: FilterDraft): SearchFilters | undefined {
  const mimeTypes = draft.types.flatMap((type) => FILE_TYPES[type].mimeTypes);
  const folder = draft.folder.trim();
  const modifiedAfter = localMidnight(draft.modifiedFrom);
  const modifiedBefore = localMidnight(draft.modifiedTo, 1);
  const filters: SearchFilters = {
    ...(mimeTypes.length > 0 ? { mimeTypes } : {}),
    ...(folder ? { folder } : {}),
    ...(modifiedAfter !== null ? { modifiedAfter } : {}),
    ...(modifiedBefore !== null ? { modifiedBefore } : {}),
  };
  return Object.keys(filters).length > 0 ? filters : undefined;
}

export function activeFilterCount(draft: FilterDraft): number {
  return (
    (draft.types.length > 0 ? 1 : 0) +
    (draft.folder.trim() ? 1 : 0) +
    (draft.modifiedFrom ? 1 : 0) +
    (draft.modifiedTo ? 1 : 0)
  );
}

import { describe, expect, it } from 'vitest';
import {
  allOf,
  fieldIn,
  inFolder,
  modifiedBetween,
  odataString,
  sourcePathEquals,
} from '../../electron/engine/providers/azure/search-odata';
import { buildSearchRequest } from '../../electron/engine/providers/azure/search-request';
import {
  HIGHLIGHT_POST_TAG,
  HIGHLIGHT_PRE_TAG,
  taggedToSnippet,
  toSearchResult,
} from '../../electron/engine/providers/azure/search-results';
import {
  ancestorFolders,
  buildIndexDefinition,
  checkExistingIndex,
  type IndexShape,
  normalizeFolder,
  toSearchDocument,
} from '../../electron/engine/providers/azure/search-schema';
import type { IndexDocument } from '../../electron/engine/types';

const shape: IndexShape = {
  fields: new Set(buildIndexDefinition('x', 4).fields.map((field) => field.name)),
  dimensions: 4,
  semanticConfiguration: 'quarry-semantic',
};

describe('OData filters', () => {
  it('escapes quotes so a path can never break out of its literal', () => {
    expect(odataString("it's")).toBe("'it''s'");
    expect(sourcePathEquals("/a/o'brien/x' or true or 'y")).toBe(
      "sourcePath eq '/a/o''brien/x'' or true or ''y'",
    );
    expect(fieldIn('mimeType', ['text/plain', 'application/pdf'])).toBe(
      "search.in(mimeType, 'text/plain|application/pdf', '|')",
    );
    expect(() => fieldIn('mimeType', ['a|b'])).toThrow(/may not contain/);
    expect(allOf([undefined, 'a eq 1', 'b eq 2'])).toBe('(a eq 1) and (b eq 2)');
    expect(allOf([undefined])).toBeUndefined();
    expect(modifiedBetween(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1))).toBe(
      '(modifiedAt ge 2024-01-01T00:00:00.000Z) and (modifiedAt lt 2025-01-01T00:00:00.000Z)',
    );
    expect(modifiedBetween(undefined, undefined)).toBeUndefined();
  });

  it('matches folders through the ancestor list, whatever the separator', () => {
    expect(ancestorFolders('/home/ann/docs/a.pdf')).toEqual(['/', '/home', '/home/ann', '/home/ann/docs']);
    expect(ancestorFolders('C:\\Users\\ann\\a.pdf')).toEqual(['C:', 'C:/Users', 'C:/Users/ann']);
    expect(ancestorFolders('upload/sub/a.txt')).toEqual(['upload', 'upload/sub']);
    expect(ancestorFolders('a.txt')).toEqual([]);
    expect(normalizeFolder('C:\\Users\\')).toBe('C:/Users');
    expect(normalizeFolder('/')).toBe('/');
    expect(inFolder("/home/o'neil/")).toBe(
      "(folders/any(f: f eq '/home/o''neil') or sourcePath eq '/home/o''neil/')",
    );
  });
});

describe('index schema', () => {
  it('projects a document onto the fields the index has', () => {
    const doc: IndexDocument = {
      id: 'k',
      content: 'text',
      embedding: null,
      sourcePath: '/a/b.png',
      sourceName: 'b.png',
      contentHash: 'h',
      page: 1,
      chunkIndex: 0,
      mimeType: 'image/png',
      title: null,
      modifiedAt: Date.UTC(2025, 4, 6),
      caption: 'a cat',
      tags: ['cat'],
      regions: [{ page: 1, polygon: [0, 0, 1, 0, 1, 1, 0, 1] }],
      pageSize: { width: 10, height: 10, unit: 'pixel' },
    };
    const full = toSearchDocument(doc, shape.fields);
    expect(full).toMatchObject({
      modifiedAt: '2025-05-06T00:00:00.000Z',
      folders: ['/', '/a'],
      caption: 'a cat',
    });
    expect(full).not.toHaveProperty('embedding');
    const old = toSearchDocument(doc, new Set(['id', 'content', 'sourcePath']));
    expect(Object.keys(old).sort()).toEqual(['content', 'id', 'sourcePath']);
  });

  it('refuses an existing index that lacks required fields', () => {
    const definition = buildIndexDefinition('legacy', 4);
    definition.fields = definition.fields.filter((field) => field.name !== 'contentHash');
    expect(() => checkExistingIndex(definition, 4)).toThrow(/lacks the fields Quarry needs \(contentHash\)/);
  });
});

describe('search requests', () => {
  it('builds each mode', () => {
    const keyword = buildSearchRequest({ text: 'red roses', mode: 'keyword', top: 5, syntax: 'full' }, shape);
    expect(keyword.searchText).toBe('red roses');
    expect(keyword.options).toMatchObject({ queryType: 'full', top: 5, highlightFields: 'content' });
    expect(keyword.options).not.toHaveProperty('vectorSearchOptions');

    const vector = buildSearchRequest({ text: 'roses', vector: [1, 0, 0, 0], mode: 'vector', top: 3 }, shape);
    expect(vector.searchText).toBeUndefined();
    expect(vector.options.vectorSearchOptions?.queries[0]).toMatchObject({
      kNearestNeighborsCount: 3,
      fields: ['embedding'],
    });

    const hybrid = buildSearchRequest({ text: 'roses', vector: [1, 0, 0, 0], mode: 'hybrid', top: 3 }, shape);
    expect(hybrid.searchText).toBe('roses');
    expect(hybrid.options.vectorSearchOptions?.queries[0]).toMatchObject({ kNearestNeighborsCount: 50 });

    const semantic = buildSearchRequest(
      { text: 'roses', mode: 'semantic', top: 3, filters: { mimeTypes: ['text/plain'] } },
      shape,
    );
    expect(semantic.semantic).toBe(true);
    expect(semantic.options).toMatchObject({
      queryType: 'semantic',
      filter: "search.in(mimeType, 'text/plain', '|')",
      semanticSearchOptions: {
        configurationName: 'quarry-semantic',
        captions: { captionType: 'extractive', highlight: true },
      },
    });
  });

  it('refuses a vector query without a fitting vector, and semantic without a configuration', () => {
    expect(() => buildSearchRequest({ text: 'x', mode: 'vector', top: 3 }, shape)).toThrow(/embedded first/);
    expect(() => buildSearchRequest({ text: 'x', vector: [1, 2], mode: 'vector', top: 3 }, shape)).toThrow(
      /2 dimensions/,
    );
    expect(() =>
      buildSearchRequest({ text: 'x', mode: 'semantic', top: 3 }, { ...shape, semanticConfiguration: null }),
    ).toThrow(/no semantic configuration/);
  });
});

describe('result snippets', () => {
  it('turns highlight tags into ranges of the plain snippet', () => {
    const tagged = `Pruning  ${HIGHLIGHT_PRE_TAG}roses${HIGHLIGHT_POST_TAG} in\nspring, ${HIGHLIGHT_PRE_TAG}roses${HIGHLIGHT_POST_TAG}!`;
    const { snippet, highlights } = taggedToSnippet(tagged, HIGHLIGHT_PRE_TAG, HIGHLIGHT_POST_TAG);
    expect(snippet).toBe('Pruning roses in spring, roses!');
    expect(highlights.map(([start, end]) => snippet.slice(start, end))).toEqual(['roses', 'roses']);
    expect(taggedToSnippet('<em>open', '<em>', '</em>')).toEqual({ snippet: 'open', highlights: [[0, 4]] });
  });

  it('prefers caption highlights, then hit highlights, then a local snippet', () => {
    const document = {
      id: '1',
      content: 'The quick brown fox jumps over the lazy dog.',
      sourcePath: '/a.txt',
      sourceName: 'a.txt',
      page: null,
      chunkIndex: 2,
      mimeType: 'text/plain',
    };
    const semantic = toSearchResult(
      {
        document,
        score: 1,
        rerankerScore: 3.2,
        captions: [{ text: 'quick fox', highlights: '<em>quick</em> fox' }],
      },
      'quick',
      true,
    );
    expect(semantic).toMatchObject({
      score: 3.2,
      snippet: 'quick fox',
      highlights: [[0, 5]],
      chunkIndex: 2,
      page: null,
    });
    const highlighted = toSearchResult(
      {
        document,
        score: 0.5,
        highlights: { content: [`brown ${HIGHLIGHT_PRE_TAG}fox${HIGHLIGHT_POST_TAG}`] },
      },
      'fox',
      false,
    );
    expect(highlighted).toMatchObject({ score: 0.5, snippet: 'brown fox', highlights: [[6, 9]] });
    const local = toSearchResult({ document, score: 0.8 }, 'lazy dog', false);
    expect(local.highlights.map(([start, end]) => local.snippet.slice(start, end))).toEqual(['lazy', 'dog']);
  });
});

/**
 * Index definitions: validation, the defaults the service fills in (recorded in
 * create-vector-index-2024-09-01-preview.json), and a compiled view the query code uses.
 */

export type VectorMetric = 'cosine' | 'euclidean' | 'dotProduct' | 'hamming';

export interface FieldInfo {
  readonly name: string;
  readonly type: string;
  readonly key: boolean;
  readonly searchable: boolean;
  readonly filterable: boolean;
  readonly retrievable: boolean;
  readonly sortable: boolean;
  readonly facetable: boolean;
  readonly analyzer: string | null;
  readonly isCollection: boolean;
  readonly isComplex: boolean;
  /** Vector fields only. */
  readonly vector?: {
    readonly dimensions: number;
    readonly metric: VectorMetric;
    readonly vectorizer?: VectorizerInfo;
  };
}

export interface VectorizerInfo {
  readonly kind: string;
  readonly modelName: string | undefined;
}

export interface SemanticConfig {
  readonly name: string;
  readonly titleField: string | undefined;
  readonly contentFields: readonly string[];
  readonly keywordFields: readonly string[];
}

export interface CompiledIndex {
  readonly name: string;
  /** The definition as the service returns it (defaults filled in). */
  readonly definition: Record<string, unknown>;
  readonly etag: string;
  readonly keyField: string;
  readonly fields: ReadonlyMap<string, FieldInfo>;
  readonly semanticConfigs: readonly SemanticConfig[];
  readonly defaultSemanticConfig: string | undefined;
}

export class SchemaError extends Error {}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const bool = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback);
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const VECTOR_TYPES = /^Collection\(Edm\.(Single|Half|Int16|SByte|Byte)\)$/;
const INDEX_NAME = /^[a-z0-9][a-z0-9-]{0,126}[a-z0-9]$|^[a-z0-9]$/;

function defaultsFor(type: string): {
  searchable: boolean;
  filterable: boolean;
  sortable: boolean;
  facetable: boolean;
} {
  if (VECTOR_TYPES.test(type))
    return { searchable: true, filterable: false, sortable: false, facetable: false };
  const isString = type === 'Edm.String' || type === 'Collection(Edm.String)';
  const isCollection = type.startsWith('Collection(');
  return {
    searchable: isString,
    filterable: true,
    sortable: !isCollection,
    facetable: type !== 'Edm.GeographyPoint',
  };
}

/** One field with every attribute explicit, as GET /indexes returns it. */
function normaliseField(raw: unknown): Json {
  if (!isObject(raw)) throw new SchemaError('fields : Each field must be an object.');
  const name = str(raw.name);
  const type = str(raw.type);
  if (!name || !type) throw new SchemaError('fields : Each field needs a name and a type.');
  if (type === 'Edm.ComplexType' || type === 'Collection(Edm.ComplexType)') {
    return { name, type, fields: arr(raw.fields).map(normaliseField) };
  }
  const d = defaultsFor(type);
  const isVector = VECTOR_TYPES.test(type);
  return {
    name,
    type,
    searchable: bool(raw.searchable, d.searchable),
    filterable: bool(raw.filterable, d.filterable),
    retrievable: bool(raw.retrievable, true),
    stored: bool(raw.stored, true),
    sortable: bool(raw.sortable, d.sortable),
    facetable: bool(raw.facetable, d.facetable),
    key: bool(raw.key, false),
    indexAnalyzer: raw.indexAnalyzer ?? null,
    searchAnalyzer: raw.searchAnalyzer ?? null,
    analyzer: raw.analyzer ?? null,
    normalizer: raw.normalizer ?? null,
    dimensions: isVector ? (raw.dimensions ?? null) : null,
    vectorSearchProfile: raw.vectorSearchProfile ?? null,
    vectorEncoding: raw.vectorEncoding ?? null,
    synonymMaps: arr(raw.synonymMaps),
  };
}

function normaliseAlgorithm(raw: unknown): Json {
  if (!isObject(raw)) throw new SchemaError('vectorSearch.algorithms : Each algorithm must be an object.');
  const kind = str(raw.kind);
  if (kind === 'hnsw') {
    const p = isObject(raw.hnswParameters) ? raw.hnswParameters : {};
    return {
      name: raw.name,
      kind,
      hnswParameters: {
        metric: p.metric ?? 'cosine',
        m: p.m ?? 4,
        efConstruction: p.efConstruction ?? 400,
        efSearch: p.efSearch ?? 500,
      },
      exhaustiveKnnParameters: null,
    };
  }
  if (kind === 'exhaustiveKnn') {
    const p = isObject(raw.exhaustiveKnnParameters) ? raw.exhaustiveKnnParameters : {};
    return {
      name: raw.name,
      kind,
      hnswParameters: null,
      exhaustiveKnnParameters: { metric: p.metric ?? 'cosine' },
    };
  }
  throw new SchemaError(`vectorSearch.algorithms : Unknown algorithm kind '${kind}'.`);
}

function normaliseVectorizer(raw: unknown): Json {
  if (!isObject(raw)) throw new SchemaError('vectorSearch.vectorizers : Each vectorizer must be an object.');
  const base = { name: raw.name, kind: raw.kind };
  const nulls = { customWebApiParameters: null, aiServicesVisionParameters: null, amlParameters: null };
  if (raw.kind === 'azureOpenAI') {
    const p = isObject(raw.azureOpenAIParameters) ? raw.azureOpenAIParameters : {};
    const resourceUri = str(p.resourceUri)?.replace(/\/+$/, '') ?? null;
    return {
      ...base,
      azureOpenAIParameters: {
        resourceUri,
        deploymentId: p.deploymentId ?? null,
        apiKey: p.apiKey ?? null,
        modelName: p.modelName ?? null,
        authIdentity: p.authIdentity ?? null,
      },
      ...nulls,
    };
  }
  return { ...raw, ...nulls, ...base };
}

function normaliseCompression(raw: unknown): Json {
  if (!isObject(raw))
    throw new SchemaError('vectorSearch.compressions : Each compression must be an object.');
  const withDefaults: Json = {
    name: raw.name,
    kind: raw.kind,
    rerankWithOriginalVectors: raw.rerankWithOriginalVectors ?? true,
    defaultOversampling: raw.defaultOversampling ?? 4.0,
  };
  if (raw.kind === 'scalarQuantization') {
    withDefaults.scalarQuantizationParameters = raw.scalarQuantizationParameters ?? {
      quantizedDataType: 'int8',
    };
  }
  return withDefaults;
}

function normaliseVectorSearch(raw: unknown): Json | null {
  if (!isObject(raw)) return null;
  return {
    algorithms: arr(raw.algorithms).map(normaliseAlgorithm),
    profiles: arr(raw.profiles).map((p) => {
      const profile = isObject(p) ? p : {};
      return {
        name: profile.name,
        algorithm: profile.algorithm,
        vectorizer: profile.vectorizer ?? null,
        compression: profile.compression ?? null,
      };
    }),
    vectorizers: arr(raw.vectorizers).map(normaliseVectorizer),
    compressions: arr(raw.compressions).map(normaliseCompression),
  };
}

function normaliseSemantic(raw: unknown): Json | null {
  if (!isObject(raw)) return null;
  return { defaultConfiguration: raw.defaultConfiguration ?? null, configurations: arr(raw.configurations) };
}

/** The definition with every server default filled in (etag/context added by the caller). */
export function normaliseIndexDefinition(raw: unknown): Json {
  if (!isObject(raw)) throw new SchemaError('index : The request body must be an index definition.');
  const name = str(raw.name);
  if (!name || !INDEX_NAME.test(name)) {
    throw new SchemaError(
      `name : Index name '${name ?? ''}' is invalid: it must be 2-128 lower-case letters, digits or dashes, start and end with a letter or digit.`,
    );
  }
  return {
    name,
    defaultScoringProfile: raw.defaultScoringProfile ?? null,
    fields: arr(raw.fields).map(normaliseField),
    scoringProfiles: arr(raw.scoringProfiles),
    corsOptions: raw.corsOptions ?? null,
    suggesters: arr(raw.suggesters),
    analyzers: arr(raw.analyzers),
    normalizers: arr(raw.normalizers),
    tokenizers: arr(raw.tokenizers),
    tokenFilters: arr(raw.tokenFilters),
    charFilters: arr(raw.charFilters),
    encryptionKey: raw.encryptionKey ?? null,
    similarity: raw.similarity ?? {
      '@odata.type': '#Microsoft.Azure.Search.BM25Similarity',
      k1: null,
      b: null,
    },
    semantic: normaliseSemantic(raw.semantic),
    vectorSearch: normaliseVectorSearch(raw.vectorSearch),
  };
}

function vectorInfo(field: Json, vectorSearch: Json | null): FieldInfo['vector'] {
  const dimensions = field.dimensions;
  if (typeof dimensions !== 'number' || dimensions < 1 || dimensions > 4096) {
    throw new SchemaError(
      `fields : The vector field '${field.name}' must have 'dimensions' between 1 and 4096.`,
    );
  }
  const profile = arr(vectorSearch?.profiles).find(
    (p) => isObject(p) && p.name === field.vectorSearchProfile,
  );
  if (!isObject(profile)) {
    throw new SchemaError(
      `fields : The vector field '${field.name}' refers to the vector search profile '${field.vectorSearchProfile}', which does not exist.`,
    );
  }
  const algorithm = arr(vectorSearch?.algorithms).find((a) => isObject(a) && a.name === profile.algorithm);
  if (!isObject(algorithm)) {
    throw new SchemaError(`vectorSearch.profiles : Unknown algorithm '${profile.algorithm}'.`);
  }
  const params = (
    isObject(algorithm.hnswParameters) ? algorithm.hnswParameters : algorithm.exhaustiveKnnParameters
  ) as Json;
  const vectorizer = arr(vectorSearch?.vectorizers).find((v) => isObject(v) && v.name === profile.vectorizer);
  const openAi =
    isObject(vectorizer) && isObject(vectorizer.azureOpenAIParameters)
      ? vectorizer.azureOpenAIParameters
      : undefined;
  return {
    dimensions,
    metric: (params.metric as VectorMetric | undefined) ?? 'cosine',
    ...(isObject(vectorizer)
      ? { vectorizer: { kind: String(vectorizer.kind), modelName: str(openAi?.modelName) } }
      : {}),
  };
}

function compileField(field: Json, vectorSearch: Json | null): FieldInfo {
  const type = String(field.type);
  const isComplex = type.includes('ComplexType');
  const isVector = VECTOR_TYPES.test(type);
  return {
    name: String(field.name),
    type,
    key: field.key === true,
    searchable: field.searchable === true && !isVector,
    filterable: field.filterable === true,
    retrievable: isComplex || field.retrievable === true,
    sortable: field.sortable === true,
    facetable: field.facetable === true,
    analyzer: str(field.analyzer) ?? null,
    isCollection: type.startsWith('Collection('),
    isComplex,
    ...(isVector ? { vector: vectorInfo(field, vectorSearch) } : {}),
  };
}

function compileSemantic(semantic: Json | null): SemanticConfig[] {
  return arr(semantic?.configurations).flatMap((c) => {
    if (!isObject(c) || !isObject(c.prioritizedFields)) return [];
    const p = c.prioritizedFields;
    const names = (list: unknown) =>
      arr(list).flatMap((f) => (isObject(f) && str(f.fieldName) ? [String(f.fieldName)] : []));
    return [
      {
        name: String(c.name),
        titleField: isObject(p.titleField) ? str(p.titleField.fieldName) : undefined,
        contentFields: names(p.prioritizedContentFields),
        keywordFields: names(p.prioritizedKeywordsFields),
      },
    ];
  });
}

let etagCounter = 0x8dcd8e92ebcd671n;

/** Validates a normalised definition and builds the query-side view. */
export function compileIndex(definition: Json): CompiledIndex {
  const vectorSearch = isObject(definition.vectorSearch) ? definition.vectorSearch : null;
  const fields = new Map<string, FieldInfo>();
  for (const raw of arr(definition.fields)) {
    const field = compileField(raw as Json, vectorSearch);
    if (fields.has(field.name))
      throw new SchemaError(`fields : The field '${field.name}' is defined more than once.`);
    fields.set(field.name, field);
  }
  const keys = [...fields.values()].filter((f) => f.key);
  if (keys.length !== 1) throw new SchemaError('fields : The index must contain exactly one key field.');
  const keyField = keys[0] as FieldInfo;
  if (keyField.type !== 'Edm.String')
    throw new SchemaError(`fields : The key field '${keyField.name}' must be of type Edm.String.`);
  const semantic = isObject(definition.semantic) ? definition.semantic : null;
  etagCounter += 1n;
  return {
    name: String(definition.name),
    definition,
    etag: `"0x${etagCounter.toString(16).toUpperCase()}"`,
    keyField: keyField.name,
    fields,
    semanticConfigs: compileSemantic(semantic),
    defaultSemanticConfig: str(semantic?.defaultConfiguration),
  };
}

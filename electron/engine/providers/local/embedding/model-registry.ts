/**
 * Which sentence-embedding models the local backend can run, and everything needed to fetch,
 * verify and use one: files with pinned sha256, vector size, pooling and per-model prefixes.
 *
 * The default is multilingual-e5-small (Xenova's ONNX export, int8-quantized), chosen because:
 * - English AND Chinese: it is trained for retrieval (query -> passage) on ~1B multilingual text
 *   pairs covering ~100 languages, Chinese included. paraphrase-multilingual-MiniLM-L12-v2 is
 *   trained for paraphrase/STS and retrieves worse; bge-small-zh is Chinese-first; jina-v2-small
 *   is English-only; bge-m3 (568M parameters) is far too slow for 2 cores.
 * - Speed on 2 CPU cores: 12 layers of width 384 (MiniLM-sized compute); most of its 118M
 *   parameters are the 250k-token vocabulary table, which costs a lookup, not a matmul.
 * - Size: the int8 ONNX file is 118 MB (fp32 is 470 MB) plus a 17 MB tokenizer, downloaded once.
 * - 384 dimensions: the LanceDB index's default vector size; small vectors keep the index fast.
 * E5 expects "query: " before queries and "passage: " before indexed text; the prefixes live here.
 */
import { z } from 'zod';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits');

/** A file path inside a model folder: relative, forward slashes, no `..` (it is also a URL path). */
const ModelFilePath = z
  .string()
  .min(1)
  .refine((value) => !value.startsWith('/') && !value.includes('\\') && !value.split('/').includes('..'), {
    message: 'model file paths are relative, use "/" and never ".."',
  });

export const ModelFileSpec = z.object({
  path: ModelFilePath,
  sha256: Sha256Hex,
  /** Expected size; only used to show download progress when the server does not say. */
  sizeBytes: z.number().int().positive().optional(),
});
export type ModelFileSpec = z.infer<typeof ModelFileSpec>;

export const EmbeddingModelSpec = z
  .object({
    /** Hugging Face repository id (`owner/name`); also the folder under `<dataDir>/models/`. */
    id: z
      .string()
      .regex(/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/, 'a model id looks like "owner/name"')
      .refine((value) => !value.split('/').some((part) => part === '.' || part === '..'), {
        message: 'a model id cannot contain "." or ".." parts',
      }),
    /** Git revision the files are fetched from; a commit hash keeps the pinned checksums valid. */
    revision: z.string().min(1),
    dimensions: z.number().int().positive(),
    /** transformers.js dtype: picks `onnx/model.onnx` (fp32), `onnx/model_quantized.onnx` (q8), ... */
    dtype: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16']),
    pooling: z.enum(['mean', 'cls']),
    normalize: z.boolean(),
    /** Prepended to search queries (E5: "query: "). */
    queryPrefix: z.string(),
    /** Prepended to indexed text (E5: "passage: "). */
    documentPrefix: z.string(),
    files: z.array(ModelFileSpec).min(1),
  })
  .superRefine((spec, context) => {
    const paths = new Set(spec.files.map((file) => file.path));
    for (const required of ['config.json', 'tokenizer.json', onnxFileFor(spec.dtype)]) {
      if (!paths.has(required)) {
        context.addIssue({ code: 'custom', path: ['files'], message: `the files must include ${required}` });
      }
    }
    if (paths.size !== spec.files.length) {
      context.addIssue({ code: 'custom', path: ['files'], message: 'a file is listed twice' });
    }
  });
export type EmbeddingModelSpec = z.infer<typeof EmbeddingModelSpec>;

export const DEFAULT_EMBEDDING_MODEL_ID = 'Xenova/multilingual-e5-small';

/**
 * Checksums are the ones Hugging Face shows for these files at this revision (LFS pointers for the
 * large files; the two small JSON files were hashed from their published content).
 */
const MULTILINGUAL_E5_SMALL: EmbeddingModelSpec = {
  id: DEFAULT_EMBEDDING_MODEL_ID,
  revision: '97cb8f96eaed1a1f0dac821239943e854fce9c36',
  dimensions: 384,
  dtype: 'q8',
  pooling: 'mean',
  normalize: true,
  queryPrefix: 'query: ',
  documentPrefix: 'passage: ',
  files: [
    {
      path: 'config.json',
      sha256: 'cb99455288675345e1a4f411438d5d0adbba5fbd3a67ea4fb03c015433b996c1',
      sizeBytes: 658,
    },
    {
      path: 'tokenizer_config.json',
      sha256: 'a1d6bc8734a6f635dc158508bef000f8e2e5a759c7d92f984b2c86e5ff53425b',
      sizeBytes: 443,
    },
    {
      path: 'tokenizer.json',
      sha256: '0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39',
      sizeBytes: 17_082_730,
    },
    {
      path: 'onnx/model_quantized.onnx',
      sha256: 'f80102d3f2a1229f387d3c81909990d8945513e347b0eab049f7de3c6f98c193',
      sizeBytes: 118_308_185,
    },
  ],
};

export const BUILT_IN_EMBEDDING_MODELS: readonly EmbeddingModelSpec[] = [MULTILINGUAL_E5_SMALL];

/** A built-in model by id, or undefined. */
export function builtInEmbeddingModel(id: string): EmbeddingModelSpec | undefined {
  return BUILT_IN_EMBEDDING_MODELS.find((model) => model.id === id);
}

/** The ONNX file transformers.js opens for a dtype (its own naming convention). */
export function onnxFileFor(dtype: EmbeddingModelSpec['dtype']): string {
  const suffix: Record<EmbeddingModelSpec['dtype'], string> = {
    fp32: '',
    fp16: '_fp16',
    q8: '_quantized',
    int8: '_int8',
    uint8: '_uint8',
    q4: '_q4',
    bnb4: '_bnb4',
    q4f16: '_q4f16',
  };
  return `onnx/model${suffix[dtype]}.onnx`;
}

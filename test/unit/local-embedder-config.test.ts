import { describe, expect, it } from 'vitest';
import {
  embeddingConfigFromEnv,
  parseEmbeddingConfig,
} from '../../electron/engine/providers/local/embedding/embedding-config';
import {
  DEFAULT_MODEL_BASE_URL,
  modelFileUrl,
} from '../../electron/engine/providers/local/embedding/model-download';
import {
  BUILT_IN_EMBEDDING_MODELS,
  DEFAULT_EMBEDDING_MODEL_ID,
  EmbeddingModelSpec,
  onnxFileFor,
} from '../../electron/engine/providers/local/embedding/model-registry';
import { checkedBaseUrl } from '../../electron/engine/providers/local/embedding/openai-compatible-embedder';
import { buildTinyEmbeddingModel } from '../fixtures/tiny-embedding-model';

describe('model registry', () => {
  it('describes every built-in model completely', () => {
    for (const model of BUILT_IN_EMBEDDING_MODELS) {
      expect(EmbeddingModelSpec.parse(model)).toEqual(model);
      expect(model.files.map((file) => file.path)).toContain(onnxFileFor(model.dtype));
    }
  });

  it('pins the default: multilingual E5 small, 384-d, int8, with E5 prefixes and a commit revision', () => {
    const model = BUILT_IN_EMBEDDING_MODELS.find((candidate) => candidate.id === DEFAULT_EMBEDDING_MODEL_ID)!;
    expect(model).toMatchObject({
      dimensions: 384,
      dtype: 'q8',
      queryPrefix: 'query: ',
      documentPrefix: 'passage: ',
    });
    expect(model.revision).toMatch(/^[0-9a-f]{40}$/);
  });

  it('refuses specs that transformers.js could not load or that escape the model folder', () => {
    const spec = buildTinyEmbeddingModel().spec;
    expect(EmbeddingModelSpec.safeParse(spec).success).toBe(true);
    const withoutOnnx = { ...spec, files: spec.files.filter((file) => !file.path.endsWith('.onnx')) };
    expect(EmbeddingModelSpec.safeParse(withoutOnnx).success).toBe(false);
    const escaping = {
      ...spec,
      files: [...spec.files, { path: '../evil.json', sha256: spec.files[0]!.sha256 }],
    };
    expect(EmbeddingModelSpec.safeParse(escaping).success).toBe(false);
    expect(EmbeddingModelSpec.safeParse({ ...spec, id: '../x' }).success).toBe(false);
    const badHash = { ...spec, files: spec.files.map((file) => ({ ...file, sha256: 'abc' })) };
    expect(EmbeddingModelSpec.safeParse(badHash).success).toBe(false);
  });

  it('builds Hugging Face resolve URLs, for mirrors with a path too', () => {
    const spec = buildTinyEmbeddingModel().spec;
    expect(modelFileUrl(DEFAULT_MODEL_BASE_URL, spec, { path: 'onnx/model.onnx' })).toBe(
      'https://huggingface.co/quarry-test/tiny-static-embedding/resolve/main/onnx/model.onnx',
    );
    expect(modelFileUrl('https://mirror.example/hf/', spec, { path: 'config.json' })).toBe(
      'https://mirror.example/hf/quarry-test/tiny-static-embedding/resolve/main/config.json',
    );
  });
});

describe('embedding configuration', () => {
  it('defaults to the built-in model from Hugging Face', () => {
    expect(parseEmbeddingConfig(undefined)).toEqual({
      provider: 'local',
      model: DEFAULT_EMBEDDING_MODEL_ID,
      baseUrl: DEFAULT_MODEL_BASE_URL,
    });
  });

  it('rejects invalid settings with invalid_input', () => {
    expect(() => parseEmbeddingConfig({ provider: 'openai-compatible', model: 'm' })).toThrow(
      expect.objectContaining({ code: 'invalid_input', reason: 'invalid_embedding_config' }),
    );
  });

  it('reads the environment', () => {
    expect(embeddingConfigFromEnv({})).toBeUndefined();
    expect(embeddingConfigFromEnv({ QUARRY_EMBEDDINGS: 'off' })).toEqual({ provider: 'off' });
    expect(embeddingConfigFromEnv({ HF_ENDPOINT: 'https://hf-mirror.example' })).toMatchObject({
      provider: 'local',
      baseUrl: 'https://hf-mirror.example',
    });
    expect(
      embeddingConfigFromEnv({
        QUARRY_EMBEDDING_ENDPOINT: 'http://127.0.0.1:11434/v1',
        QUARRY_EMBEDDING_MODEL: 'nomic-embed-text',
        QUARRY_EMBEDDING_DIMENSIONS: '768',
      }),
    ).toEqual({
      provider: 'openai-compatible',
      baseURL: 'http://127.0.0.1:11434/v1',
      model: 'nomic-embed-text',
      dimensions: 768,
    });
    expect(() => embeddingConfigFromEnv({ QUARRY_EMBEDDINGS: 'cloud' })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });

  it('accepts http:// endpoints on this machine only', () => {
    expect(checkedBaseUrl('http://127.0.0.1:11434/v1/')).toBe('http://127.0.0.1:11434/v1');
    expect(checkedBaseUrl('http://localhost:1234/v1')).toBe('http://localhost:1234/v1');
    expect(checkedBaseUrl('https://embeddings.example/v1')).toBe('https://embeddings.example/v1');
    expect(() => checkedBaseUrl('http://192.168.1.20:11434/v1')).toThrow(
      expect.objectContaining({ reason: 'insecure_endpoint' }),
    );
    expect(() => checkedBaseUrl('not a url')).toThrow(
      expect.objectContaining({ reason: 'invalid_endpoint' }),
    );
  });
});

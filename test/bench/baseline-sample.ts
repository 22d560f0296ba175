/**
 * The baselines call the services one file at a time, so on the realistic profile a full corpus
 * can take far longer than Quarry. Past a time budget they run on a stratified sample (every k-th
 * file of each kind) and their wall time is extrapolated by the ratio of the modelled serial time
 * of the whole corpus to that of the sample. The model: per file, the nominal latency of its read
 * (Document Intelligence rounded up to the 1 s poll interval, or Vision) plus one embedding and
 * one upload call per ~500-token chunk.
 */
import type { SimProfile } from '../azure-sim/core/types';
import { CORPUS_KINDS, type CorpusFile, type CorpusRoute } from './corpus';

const POLL_INTERVAL_MS = 1000;
const CHUNK_TOKENS = 500;

export interface BaselineSample {
  files: CorpusFile[];
  /** Multiply the sample's wall time by this for the whole corpus (1 when not sampled). */
  factor: number;
  modelledFullMs: number;
  modelledSampleMs: number;
}

function nominal(profile: SimProfile, key: keyof SimProfile['latency'], units: number): number {
  const model = profile.latency[key];
  return model ? model.baseMs + model.perUnitMs * units : 0;
}

/** Serial time of one file through a baseline; `route` says which reader that baseline uses. */
export function modelledSerialMs(profile: SimProfile, file: CorpusFile, route: CorpusRoute): number {
  let read = 0;
  if (route === 'documentIntelligence') {
    const processing = nominal(profile, 'documentIntelligence.analyze', file.pages);
    const request = nominal(profile, 'documentIntelligence.request', 1);
    read = request + Math.ceil(processing / POLL_INTERVAL_MS) * POLL_INTERVAL_MS + request;
  } else if (route === 'vision') read = nominal(profile, 'vision.analyze', 1);
  const chunks = Math.max(1, Math.ceil(file.textTokens / CHUNK_TOKENS));
  const perChunk =
    nominal(profile, 'openai.embeddings', file.textTokens / chunks) + nominal(profile, 'search.index', 1);
  return read + chunks * perChunk;
}

export function pickBaselineSample(
  files: readonly CorpusFile[],
  profile: SimProfile,
  options: { budgetMs: number; route: (file: CorpusFile) => CorpusRoute },
): BaselineSample {
  const cost = (list: readonly CorpusFile[]) =>
    list.reduce((sum, file) => sum + modelledSerialMs(profile, file, options.route(file)), 0);
  const modelledFullMs = cost(files);
  if (modelledFullMs <= options.budgetMs) {
    return { files: [...files], factor: 1, modelledFullMs, modelledSampleMs: modelledFullMs };
  }
  const fraction = options.budgetMs / modelledFullMs;
  const sample: CorpusFile[] = [];
  for (const kind of CORPUS_KINDS) {
    const ofKind = files.filter((file) => file.kind === kind);
    const take = Math.min(ofKind.length, Math.max(1, Math.round(ofKind.length * fraction)));
    const step = ofKind.length / take;
    for (let index = 0; index < take; index++) {
      const file = ofKind[Math.floor(index * step)];
      if (file) sample.push(file);
    }
  }
  const modelledSampleMs = cost(sample);
  return { files: sample, factor: modelledFullMs / modelledSampleMs, modelledFullMs, modelledSampleMs };
}

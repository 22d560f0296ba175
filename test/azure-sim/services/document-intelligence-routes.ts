import type { SimRequest } from '../core/types';

export const DI_PREFIX = '/documentintelligence/';

export type DiRoute =
  | { id: 'documentIntelligence.analyze'; modelId: string }
  | { id: 'documentIntelligence.poll'; modelId: string; resultId: string }
  | { id: 'documentIntelligence.deleteResult'; modelId: string; resultId: string }
  | { id: 'documentIntelligence.getModel'; modelId: string };

const analyzePath = /^\/documentintelligence\/documentModels\/([^/]+):analyze$/;
const resultPath = /^\/documentintelligence\/documentModels\/([^/]+)\/analyzeResults\/([^/]+)$/;
const modelPath = /^\/documentintelligence\/documentModels\/([^/:]+)$/;

/** The route a request addresses, or undefined for paths the sim does not serve. */
export function matchDiRoute(req: SimRequest): DiRoute | undefined {
  const path = req.path.replace(/\/+$/, '');
  const analyze = analyzePath.exec(path);
  if (analyze?.[1] && req.method === 'POST')
    return { id: 'documentIntelligence.analyze', modelId: analyze[1] };
  const result = resultPath.exec(path);
  if (result?.[1] && result[2]) {
    if (req.method === 'GET')
      return { id: 'documentIntelligence.poll', modelId: result[1], resultId: result[2] };
    if (req.method === 'DELETE')
      return { id: 'documentIntelligence.deleteResult', modelId: result[1], resultId: result[2] };
  }
  const model = modelPath.exec(path);
  if (model?.[1] && req.method === 'GET') return { id: 'documentIntelligence.getModel', modelId: model[1] };
  return undefined;
}

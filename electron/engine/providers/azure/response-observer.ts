/**
 * Hooks that report each HTTP response's status and request id to the limiter attempt it belongs
 * to (for the service log): a pipeline policy for the Azure SDK clients, a fetch wrapper for openai.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { recordResponse } from '../../pipeline/scheduler/attempt-observation';
import { headerReader, requestIdFrom } from './response-headers';

export const responseObserverPolicy: PipelinePolicy = {
  name: 'quarryResponseObserver',
  async sendRequest(request, next) {
    const response = await next(request);
    recordResponse(response.status, requestIdFrom(headerReader(response.headers)));
    return response;
  },
};

/** `fetch` that reports each response (status and request id headers only, never bodies). */
export const observingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  recordResponse(response.status, requestIdFrom(headerReader(response.headers)));
  return response;
};

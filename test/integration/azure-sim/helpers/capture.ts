/** Records the raw HTTP responses an Azure SDK client receives (a pipeline policy). */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

/** The `additionalPolicies` entry shape Azure clients accept. */
export interface AdditionalPolicy {
  readonly position: 'perCall' | 'perRetry';
  readonly policy: PipelinePolicy;
}

export interface CapturedResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly bodyText: string | undefined;
}

export interface ResponseCapture {
  readonly policies: AdditionalPolicy[];
  readonly responses: CapturedResponse[];
  last(): CapturedResponse;
}

export function captureResponses(): ResponseCapture {
  const responses: CapturedResponse[] = [];
  return {
    responses,
    last() {
      const response = responses.at(-1);
      if (!response) throw new Error('no response captured');
      return response;
    },
    policies: [
      {
        position: 'perRetry',
        policy: {
          name: 'capture-responses',
          async sendRequest(request, next) {
            const response = await next(request);
            responses.push({
              method: request.method,
              url: request.url,
              status: response.status,
              headers: response.headers.toJSON(),
              bodyText: response.bodyAsText ?? undefined,
            });
            return response;
          },
        },
      },
    ],
  };
}

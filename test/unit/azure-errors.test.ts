import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract/errors';
import {
  AzureServiceError,
  headerReader,
  httpErrorFromResponse,
  parseRetryAfterMs,
  requestIdFrom,
  toQuarryError,
} from '../../electron/engine/providers/azure/errors';

const NOW = Date.UTC(2030, 5, 1, 12, 0, 0);

function headers(record: Record<string, string>) {
  return headerReader(record);
}

function openAiError(
  status: number,
  body: Record<string, unknown> | undefined,
  head: Record<string, string> = {},
) {
  return APIError.generate(status, body, undefined, new Headers(head));
}

function restError(status: number, head: Record<string, string>, body?: unknown) {
  const request = createPipelineRequest({ url: 'https://example.cognitiveservices.azure.com/x' });
  return new RestError(`status ${status}`, {
    statusCode: status,
    request,
    response: {
      status,
      request,
      headers: createHttpHeaders(head),
      ...(body !== undefined ? { bodyAsText: JSON.stringify(body) } : {}),
    },
  });
}

describe('parseRetryAfterMs', () => {
  it('reads retry-after-ms', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '1500' }), NOW)).toBe(1500);
    expect(parseRetryAfterMs(headers({ 'Retry-After-Ms': '12.4' }), NOW)).toBe(13);
  });

  it('reads x-ms-retry-after-ms', () => {
    expect(parseRetryAfterMs(headers({ 'x-ms-retry-after-ms': '250' }), NOW)).toBe(250);
  });

  it('reads Retry-After in seconds', () => {
    expect(parseRetryAfterMs(headers({ 'Retry-After': '2' }), NOW)).toBe(2000);
    expect(parseRetryAfterMs(headers({ 'retry-after': '0.5' }), NOW)).toBe(500);
    expect(parseRetryAfterMs(headers({ 'Retry-After': '86400' }), NOW)).toBe(86_400_000);
  });

  it('reads Retry-After as an HTTP date, relative to now', () => {
    const inThreeSeconds = new Date(NOW + 3000).toUTCString();
    expect(parseRetryAfterMs(headers({ 'Retry-After': inThreeSeconds }), NOW)).toBe(3000);
  });

  it('treats an HTTP date in the past as no wait', () => {
    const past = new Date(NOW - 60_000).toUTCString();
    expect(parseRetryAfterMs(headers({ 'Retry-After': past }), NOW)).toBe(0);
  });

  it('prefers the millisecond headers, in the Azure SDK order', () => {
    const all = headers({ 'retry-after-ms': '100', 'x-ms-retry-after-ms': '200', 'Retry-After': '3' });
    expect(parseRetryAfterMs(all, NOW)).toBe(100);
    const two = headers({ 'x-ms-retry-after-ms': '200', 'Retry-After': '3' });
    expect(parseRetryAfterMs(two, NOW)).toBe(200);
  });

  it('ignores missing, negative and malformed values', () => {
    expect(parseRetryAfterMs(headers({}), NOW)).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'Retry-After': '-5' }), NOW)).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'Retry-After': 'not a date at all' }), NOW)).toBeUndefined();
    // A malformed ms header falls through to a valid Retry-After.
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': 'x', 'Retry-After': '1' }), NOW)).toBe(1000);
  });

  it('works over fetch Headers and Azure HttpHeaders too', () => {
    expect(parseRetryAfterMs(new Headers({ 'Retry-After': '4' }), NOW)).toBe(4000);
    expect(parseRetryAfterMs(createHttpHeaders({ 'x-ms-retry-after-ms': '40' }), NOW)).toBe(40);
  });
});

describe('requestIdFrom', () => {
  it.each([
    ['apim-request-id', 'a'],
    ['x-request-id', 'b'],
    ['x-ms-request-id', 'c'],
    ['request-id', 'd'],
  ])('reads %s', (name, value) => {
    expect(requestIdFrom(headers({ [name]: value }))).toBe(value);
  });

  it('prefers apim-request-id', () => {
    expect(requestIdFrom(headers({ 'request-id': 'd', 'apim-request-id': 'a' }))).toBe('a');
  });
});

describe('toQuarryError: openai APIError', () => {
  const ctx = {
    service: 'embeddings',
    resource: "deployment 'emb-x'",
    endpoint: 'https://r.openai.azure.com',
  };

  it.each([
    [{ 'retry-after-ms': '1200' }, 1200],
    [{ 'x-ms-retry-after-ms': '700' }, 700],
    [{ 'retry-after': '3' }, 3000],
  ])('429 with %o -> rate_limited with retryAfterMs %i', (head, expected) => {
    const error = toQuarryError(
      openAiError(
        429,
        { error: { code: 'RateLimitReached', message: 'Please retry after 3 seconds.' } },
        {
          ...head,
          'apim-request-id': 'req-1',
        },
      ),
      ctx,
    );
    expect(error).toBeInstanceOf(AzureServiceError);
    expect(error).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: expected,
      requestId: 'req-1',
    });
    expect((error as AzureServiceError).status).toBe(429);
    expect((error as AzureServiceError).serviceCode).toBe('RateLimitReached');
  });

  it('429 with an HTTP date -> retryAfterMs from now', () => {
    const date = new Date(Date.now() + 5000).toUTCString();
    const error = toQuarryError(openAiError(429, undefined, { 'retry-after': date }), ctx);
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBeGreaterThan(3000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(5000);
  });

  it('429 without any hint -> rate_limited without retryAfterMs', () => {
    const error = toQuarryError(openAiError(429, undefined, {}), ctx);
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: undefined });
  });

  it('503 -> rate_limited (the service is shedding load)', () => {
    const error = toQuarryError(openAiError(503, undefined, { 'retry-after': '1' }), ctx);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000, reason: 'unavailable' });
  });

  it('401 -> auth naming the key and endpoint to check', () => {
    const error = toQuarryError(openAiError(401, { error: { code: '401', message: 'Access denied' } }), ctx);
    expect(error).toMatchObject({ code: 'auth', retryable: false });
    expect(error.message).toContain('AZURE_OPENAI_API_KEY');
    expect(error.message).toContain('AZURE_OPENAI_ENDPOINT');
    expect(error.message).toContain('https://r.openai.azure.com');
  });

  it('403 -> auth', () => {
    expect(toQuarryError(openAiError(403, undefined), ctx).code).toBe('auth');
  });

  it('404 DeploymentNotFound -> invalid_input naming the deployment and the setting', () => {
    const error = toQuarryError(
      openAiError(
        404,
        { error: { code: 'DeploymentNotFound', message: 'The API deployment does not exist' } },
        {
          'x-request-id': 'req-404',
        },
      ),
      ctx,
    );
    expect(error).toMatchObject({
      code: 'invalid_input',
      retryable: false,
      reason: 'not_found',
      requestId: 'req-404',
    });
    expect(error.message).toContain("deployment 'emb-x' not found");
    expect(error.message).toContain('AZURE_OPENAI_EMBEDDING_DEPLOYMENT');
  });

  it.each([
    [400, 'bad_request'],
    [413, 'too_large'],
    [415, 'unsupported_media_type'],
  ])('%i -> invalid_input (%s)', (status, reason) => {
    const error = toQuarryError(
      openAiError(status, { error: { message: 'too long', type: 'invalid_request_error' } }),
      ctx,
    );
    expect(error).toMatchObject({ code: 'invalid_input', retryable: false, reason });
    expect(error.message).toContain(`HTTP ${status}`);
  });

  it.each([500, 502, 504])('%i -> service, retryable', (status) => {
    expect(toQuarryError(openAiError(status, undefined), ctx)).toMatchObject({
      code: 'service',
      retryable: true,
    });
  });

  it('501 -> service, not retryable', () => {
    expect(toQuarryError(openAiError(501, undefined), ctx)).toMatchObject({
      code: 'service',
      retryable: false,
    });
  });

  it('connection errors -> network, retryable; timeouts say so', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(toQuarryError(new APIConnectionError({ cause: reset }), ctx)).toMatchObject({
      code: 'network',
      retryable: true,
      reason: 'connection',
    });
    expect(toQuarryError(new APIConnectionTimeoutError(), ctx)).toMatchObject({
      code: 'network',
      retryable: true,
      reason: 'timeout',
    });
  });

  it('user abort -> cancelled', () => {
    expect(toQuarryError(new APIUserAbortError(), ctx)).toMatchObject({
      code: 'cancelled',
      retryable: false,
    });
  });
});

describe('toQuarryError: Azure core RestError', () => {
  it('429 with x-ms-retry-after-ms -> rate_limited, request id and service code from headers', () => {
    const error = toQuarryError(
      restError(429, {
        'x-ms-retry-after-ms': '900',
        'apim-request-id': 'di-1',
        'ms-azure-ai-errorcode': 'TooMany',
      }),
      { service: 'documentIntelligence.analyze' },
    );
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 900, requestId: 'di-1' });
    expect((error as AzureServiceError).serviceCode).toBe('TooMany');
  });

  it('503 with Retry-After seconds -> rate_limited', () => {
    const error = toQuarryError(restError(503, { 'retry-after': '2', 'request-id': 's-1' }), {
      service: 'search.index',
    });
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 2000, requestId: 's-1' });
  });

  it('403 on Search -> auth naming the Search key', () => {
    const error = toQuarryError(restError(403, {}), { service: 'search.query' });
    expect(error.code).toBe('auth');
    expect(error.message).toContain('AZURE_SEARCH_API_KEY');
  });

  it('404 index -> invalid_input naming the index setting', () => {
    const error = toQuarryError(restError(404, {}), { service: 'search.index', resource: "index 'quarry'" });
    expect(error).toMatchObject({ code: 'invalid_input', reason: 'not_found' });
    expect(error.message).toContain("index 'quarry' not found");
    expect(error.message).toContain('AZURE_SEARCH_INDEX');
  });

  it('reads the error envelope code from the body', () => {
    const error = toQuarryError(
      restError(
        400,
        {},
        { error: { code: 'InvalidRequest', message: 'bad', innererror: { code: 'InvalidContent' } } },
      ),
      { service: 'documentIntelligence.analyze' },
    );
    expect(error.code).toBe('invalid_input');
    expect((error as AzureServiceError).serviceCode).toBe('InvalidContent');
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND'])(
    'network RestError %s -> network',
    (code) => {
      const error = toQuarryError(new RestError('send failed', { code }), { service: 'vision' });
      expect(error).toMatchObject({ code: 'network', retryable: true });
      expect(error.message).toContain(code);
    },
  );
});

describe('toQuarryError: plain errors', () => {
  it('fetch failures with a network cause -> network', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    });
    expect(toQuarryError(error, { service: 'vision' })).toMatchObject({ code: 'network', retryable: true });
  });

  it('AbortError -> cancelled; TimeoutError -> network', () => {
    expect(toQuarryError(new DOMException('aborted', 'AbortError'), { service: 'vision' }).code).toBe(
      'cancelled',
    );
    expect(toQuarryError(new DOMException('timed out', 'TimeoutError'), { service: 'vision' })).toMatchObject(
      {
        code: 'network',
        reason: 'timeout',
      },
    );
  });

  it('QuarryError passes through unchanged', () => {
    const original = new QuarryError('invalid_input', 'x');
    expect(toQuarryError(original, { service: 'vision' })).toBe(original);
  });

  it('anything else -> service, not retryable', () => {
    expect(toQuarryError(new Error('weird'), { service: 'vision' })).toMatchObject({
      code: 'service',
      retryable: false,
    });
    expect(toQuarryError('a string', { service: 'vision' }).code).toBe('service');
  });

  it('never classifies by message text', () => {
    const error = new Error('429 Too Many Requests ECONNRESET unauthorized');
    expect(toQuarryError(error, { service: 'vision' }).code).toBe('service');
  });
});

describe('httpErrorFromResponse (@azure-rest unexpected responses)', () => {
  it.each([
    [{ 'Retry-After': '2' }, 2000],
    [{ 'retry-after-ms': '450' }, 450],
    [{ 'x-ms-retry-after-ms': '650' }, 650],
  ])('429 with %o', (head, expected) => {
    const error = httpErrorFromResponse(
      {
        status: '429',
        headers: { ...head, 'apim-request-id': 'v-1' },
        body: { error: { code: '429', message: 'slow down' } },
      },
      'vision',
    );
    expect(error).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: expected,
      requestId: 'v-1',
    });
    expect(error.status).toBe(429);
  });

  it('401 -> auth naming the Vision key', () => {
    const error = httpErrorFromResponse(
      { status: '401', headers: {}, body: { error: { code: '401' } } },
      'vision',
    );
    expect(error.code).toBe('auth');
    expect(error.message).toContain('AZURE_VISION_KEY');
  });

  it('404 model on DI -> invalid_input naming the model', () => {
    const error = httpErrorFromResponse(
      { status: '404', headers: {}, body: { error: { code: 'ModelNotFound', message: 'no such model' } } },
      { service: 'documentIntelligence.analyze', resource: "model 'prebuilt-layoutx'" },
    );
    expect(error).toMatchObject({ code: 'invalid_input', reason: 'not_found', serviceCode: 'ModelNotFound' });
    expect(error.message).toContain("model 'prebuilt-layoutx' not found");
  });

  it('404 while polling an operation -> service', () => {
    const error = httpErrorFromResponse(
      { status: '404', headers: {}, body: undefined },
      'documentIntelligence.poll',
    );
    expect(error.code).toBe('service');
  });

  it('413 / 415 -> invalid_input; 500 -> retryable service', () => {
    expect(httpErrorFromResponse({ status: '413', headers: {}, body: '' }, 'vision').code).toBe(
      'invalid_input',
    );
    expect(httpErrorFromResponse({ status: 415, headers: {}, body: '' }, 'vision').code).toBe(
      'invalid_input',
    );
    expect(httpErrorFromResponse({ status: '500', headers: {}, body: '' }, 'vision')).toMatchObject({
      code: 'service',
      retryable: true,
    });
  });

  it('parses a JSON body given as text', () => {
    const error = httpErrorFromResponse(
      { status: '400', headers: {}, body: '{"error":{"code":"InvalidImageSize","message":"too small"}}' },
      'vision',
    );
    expect(error.serviceCode).toBe('InvalidImageSize');
    expect(error.message).toContain('too small');
  });
});

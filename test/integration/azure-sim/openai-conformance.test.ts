/**
 * Conformance of the simulated Azure OpenAI with the real recordings in
 * ../shared/azure-recordings/openai, driven by the real `openai` client.
 */
import { randomUUID } from 'node:crypto';
import { AzureOpenAI, BadRequestError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureSim, DEFAULT_OPENAI_DEPLOYMENTS, startAzureSim } from '../../azure-sim/index';
import {
  HAS_RECORDINGS,
  noteIfRecordingsMissing,
  readRecording,
  readRecordingText,
  shapeDifferences,
  sseEvents,
} from './helpers/recordings';

noteIfRecordingsMissing('openai-conformance');

/** Response headers Azure OpenAI clients and Quarry read. */
const CLIENT_HEADERS = [
  'apim-request-id',
  'x-ms-region',
  'x-ms-client-request-id',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-remaining-tokens',
  'x-request-id',
  'content-type',
];

describe.skipIf(!HAS_RECORDINGS)('Azure OpenAI conformance with the recordings', () => {
  let sim: AzureSim;

  beforeAll(async () => {
    sim = await startAzureSim({
      openAiDeployments: [
        ...DEFAULT_OPENAI_DEPLOYMENTS,
        { name: 'gpt-35-turbo', model: 'gpt-35-turbo', kind: 'chat' },
        { name: 'text-davinci-002', model: 'text-davinci-002', kind: 'completions' },
      ],
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  const client = (deployment: string, apiVersion = '2024-03-01-preview') =>
    new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion,
      deployment,
      maxRetries: 0,
    });

  it('embeddings with dimensions=512: same body shape, token usage and headers', async () => {
    const recording = readRecording('openai/embeddings-dimensions-512.json');
    const requestBody = recording.request.body as { input: string[]; dimensions: number };
    const clientRequestId = randomUUID();

    // The real client (it asks for base64 and decodes it).
    const { data, response } = await client('text-embedding-3-small')
      .embeddings.create(
        { model: 'text-embedding-3-small', input: requestBody.input, dimensions: requestBody.dimensions },
        { headers: { 'x-ms-client-request-id': clientRequestId } },
      )
      .withResponse();
    expect(response.status).toBe(recording.response.status);
    const recordedBody = recording.response.body as { usage: unknown; model: string };
    expect(shapeDifferences(data, recordedBody)).toEqual([]);
    expect(data.data[0]?.embedding).toHaveLength(512);
    expect(data.usage).toEqual(recordedBody.usage);
    expect(data.model).toBe(recordedBody.model);
    for (const name of CLIENT_HEADERS) expect(response.headers.get(name), name).not.toBeNull();
    expect(response.headers.get('x-ms-client-request-id')).toBe(clientRequestId);
    expect(response.headers.get('content-type')).toBe(recording.response.headers['Content-Type']);

    // The recorded request verbatim (no encoding_format: float arrays on the wire).
    const raw = await fetch(
      `${sim.baseUrl}/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-03-01-preview`,
      {
        method: 'POST',
        headers: { 'api-key': sim.keys.openai, 'content-type': 'application/json' },
        body: JSON.stringify(requestBody),
      },
    );
    const rawBody = (await raw.json()) as { data: { embedding: number[] }[] };
    expect(shapeDifferences(rawBody, recording.response.body)).toEqual([]);
    expect(rawBody.data[0]?.embedding).toHaveLength(512);
    expect(rawBody.data[0]?.embedding).toEqual(data.data[0]?.embedding);
  });

  it('chat on a model that cannot chat: the recorded 400 OperationNotSupported envelope', async () => {
    const recording = readRecording('openai/chat-error-400-operation-not-supported.json');
    const body = recording.request.body as {
      messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
    };
    const error = await client('text-davinci-002')
      .chat.completions.create({ model: 'text-davinci-002', messages: body.messages, stream: true })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(BadRequestError);
    const apiError = error as BadRequestError;
    expect(apiError.status).toBe(400);
    expect(apiError.error).toEqual((recording.response.body as { error: unknown }).error);
    expect(apiError.code).toBe('OperationNotSupported');
    for (const name of CLIENT_HEADERS.filter((h) => h !== 'x-request-id' && h !== 'x-ms-client-request-id')) {
      expect(apiError.headers?.get(name), name).not.toBeNull();
    }
  });

  it('streaming chat: Azure first event, chunk shapes, headers and [DONE] as recorded', async () => {
    const recordedHeaders = readRecording<{ headers: Record<string, string> }>(
      'openai/chat-stream.headers.json',
    ).headers;
    const toolEvents = sseEvents(readRecordingText('openai/chat-stream-toolcalls.sse'));
    const textEvents = sseEvents(readRecordingText('openai/chat-stream-text.partial.sse'));

    const response = await fetch(
      `${sim.baseUrl}/openai/deployments/gpt-35-turbo/chat/completions?api-version=2024-03-01-preview`,
      {
        method: 'POST',
        headers: { 'api-key': sim.keys.openai, 'content-type': 'application/json' },
        body: JSON.stringify({
          stream: true,
          messages: [
            { role: 'system', content: '[1] Parrots learn words through repetition and rewards.' },
            { role: 'user', content: "What's the best way to train a parrot?" },
          ],
        }),
      },
    );
    expect(response.status).toBe(200);
    for (const name of ['Content-Type', 'Cache-Control', 'x-accel-buffering', 'x-ms-rai-invoked']) {
      expect(response.headers.get(name), name).toBe(recordedHeaders[name]);
    }
    for (const name of [
      'apim-request-id',
      'x-ms-region',
      'x-ratelimit-remaining-requests',
      'x-ratelimit-remaining-tokens',
    ]) {
      expect(response.headers.get(name), name).not.toBeNull();
    }
    expect(response.headers.get('content-length')).toBeNull();
    const events = sseEvents(await response.text());

    // First event: byte-for-byte the Azure prompt-filter event.
    expect(JSON.parse(events[0] ?? '')).toEqual(JSON.parse(toolEvents[0] ?? ''));
    // Role chunk, content chunks and the finish chunk have the recorded shapes.
    expect(shapeDifferences(JSON.parse(events[1] ?? ''), JSON.parse(textEvents[1] ?? ''))).toEqual([]);
    expect(JSON.parse(events[1] ?? '').choices[0].delta).toEqual({ content: '', role: 'assistant' });
    expect(shapeDifferences(JSON.parse(events[2] ?? ''), JSON.parse(textEvents[2] ?? ''))).toEqual([]);
    const finish = JSON.parse(events.at(-2) ?? '');
    const recordedFinish = JSON.parse(toolEvents.at(-2) ?? '');
    expect(shapeDifferences(finish, recordedFinish)).toEqual([]);
    expect(finish.choices[0].delta).toEqual({});
    expect(finish.choices[0].finish_reason).toBe('stop');
    expect(events.at(-1)).toBe('[DONE]');
    expect(toolEvents.at(-1)).toBe('[DONE]');
  });

  it('the openai client consumes the simulated stream (empty first event tolerated)', async () => {
    const stream = await client('gpt-35-turbo').chat.completions.create({
      model: 'gpt-35-turbo',
      stream: true,
      messages: [
        {
          role: 'user',
          content: '[1] Parrots learn words through repetition.\n\nHow do parrots learn words?',
        },
      ],
    });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toBe('Parrots learn words through repetition. [1]');
  });
});

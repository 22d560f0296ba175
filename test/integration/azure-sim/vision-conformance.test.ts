/**
 * Conformance of the simulated Image Analysis 4.0 with the real recordings in
 * ../shared/azure-recordings/image-analysis, driven by the real
 * `@azure-rest/ai-vision-image-analysis` client.
 */

import { AzureKeyCredential } from '@azure/core-auth';
import createImageAnalysisClient, {
  type ImageAnalysisClient,
  type ImageAnalysisResultOutput,
  isUnexpected,
} from '@azure-rest/ai-vision-image-analysis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../azure-sim/content/fixture-server';
import { makeTextImage } from '../../azure-sim/content/fixtures';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';
import {
  HAS_RECORDINGS,
  noteIfRecordingsMissing,
  readRecording,
  shapeDifferences,
} from './helpers/recordings';

noteIfRecordingsMissing('vision-conformance');

const ALL_FEATURES = ['Caption', 'DenseCaptions', 'Objects', 'People', 'Read', 'SmartCrops', 'Tags'];

const lowerCaseKeys = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

describe.skipIf(!HAS_RECORDINGS)('Image Analysis conformance with the recordings', () => {
  let sim: AzureSim;
  let files: FixtureServer;

  beforeAll(async () => {
    sim = await startAzureSim();
    files = await startFixtureServer();
  });
  afterAll(async () => {
    await sim?.close();
    await files?.close();
  });

  const client = (key = sim.keys.vision): ImageAnalysisClient =>
    createImageAnalysisClient(sim.endpoints.vision, new AzureKeyCredential(key), {
      allowInsecureConnection: true,
    });

  it('all seven features from a URL (2023-10-01): same body shape and service headers', async () => {
    const recording = readRecording('image-analysis/analyze-url-all-features-2023-10-01.json');
    const recordedBody = recording.response.body as ImageAnalysisResultOutput;
    const recordedLines = recordedBody.readResult!.blocks[0]!.lines.map((line) => line.text);
    // An image the size of the recorded one, carrying the recorded text.
    const url = files.put(
      'sample.jpg',
      makeTextImage({ lines: recordedLines, format: 'jpeg', width: 864, height: 576 }),
      'image/jpeg',
    );

    const response = await client()
      .path('/imageanalysis:analyze')
      .post({
        contentType: 'application/json',
        body: { url },
        queryParameters: { features: ALL_FEATURES, 'smartcrops-aspect-ratios': [0.9, 1.33] },
      });
    if (isUnexpected(response)) throw new Error(`analyze failed: ${JSON.stringify(response.body)}`);
    expect(response.status).toBe(String(recording.response.status));
    expect(shapeDifferences(response.body, recording.response.body)).toEqual([]);

    const body = response.body;
    expect(body.modelVersion).toBe(recordedBody.modelVersion);
    expect(body.metadata).toEqual(recordedBody.metadata);
    expect(body.readResult?.blocks[0]?.lines.map((line) => line.text)).toEqual(recordedLines);
    expect(body.smartCropsResult?.values.map((crop) => crop.aspectRatio)).toEqual([0.9, 1.33]);

    const recorded = lowerCaseKeys(recording.response.headers);
    const headers = response.headers;
    for (const name of [
      'apim-request-id',
      'request-id',
      'x-ms-region',
      'ms-vision-response-time-input-received',
      'ms-vision-response-time-input-processed',
    ]) {
      expect(headers, name).toHaveProperty(name);
    }
    expect(headers['request-id']).toBe(headers['apim-request-id']);
    expect(headers['api-supported-versions']).toBe(recorded['api-supported-versions']);
    expect(headers['csp-billing-usage']).toBe(recorded['csp-billing-usage']);
    expect(headers['content-type']).toBe(recorded['content-type']);
  });

  it('an image URL the service cannot fetch: the recorded 400', async () => {
    const recording = readRecording('image-analysis/error-400-url-not-accessible.json');
    const response = await client()
      .path('/imageanalysis:analyze')
      .post({
        contentType: 'application/json',
        body: recording.request.body as { url: string },
        queryParameters: { features: ['caption'] },
      });
    expect(response.status).toBe('400');
    expect(response.body).toEqual(recording.response.body);
    const recorded = lowerCaseKeys(recording.response.headers);
    for (const name of ['x-ms-error-code', 'csp-billing-usage', 'api-supported-versions', 'content-type']) {
      expect(response.headers[name], name).toBe(recorded[name]);
    }
    for (const name of ['apim-request-id', 'request-id', 'x-ms-region'])
      expect(response.headers).toHaveProperty(name);
  });

  it('a wrong key: the recorded gateway 401 (code "401", no region or version headers)', async () => {
    const recording = readRecording('image-analysis/error-401-invalid-key.json');
    const response = await client('not-the-key')
      .path('/imageanalysis:analyze')
      .post({
        contentType: 'application/json',
        body: recording.request.body as { url: string },
        queryParameters: { features: ['tags'] },
      });
    expect(response.status).toBe('401');
    expect(response.body).toEqual(recording.response.body);
    expect(response.headers['content-type']).toBe(lowerCaseKeys(recording.response.headers)['content-type']);
    expect(response.headers).toHaveProperty('apim-request-id');
    for (const absent of ['x-ms-region', 'api-supported-versions', 'csp-billing-usage']) {
      expect(response.headers).not.toHaveProperty(absent);
    }
  });
});

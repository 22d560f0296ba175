import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuarryErrorInfo } from '../../electron/contract/errors';
import { LOG_HISTORY_FILE_NAME, openLogFile } from '../../electron/engine/logging/log-file';
import { REDACTED, redactFields } from '../../electron/engine/logging/redact';
import { AzureServiceError } from '../../electron/engine/providers/azure/errors';

const KEY = 'k3y-0123456789abcdef0123456789abcdef';
const PHRASE = 'the quick brown heron studies quarterly ledgers';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('redaction', () => {
  it('replaces key headers and secret-named fields, and reduces content to its size', () => {
    const safe = redactFields({
      'api-key': KEY,
      'Ocp-Apim-Subscription-Key': KEY,
      authorization: `Bearer ${KEY}`,
      apiKey: KEY,
      token: KEY,
      clientSecret: KEY,
      text: PHRASE,
      inputs: [PHRASE, PHRASE],
      service: 'embeddings',
      status: 429,
    });
    expect(safe['api-key']).toBe(REDACTED);
    expect(safe['Ocp-Apim-Subscription-Key']).toBe(REDACTED);
    expect(safe.authorization).toBe(REDACTED);
    expect(safe.apiKey).toBe(REDACTED);
    expect(safe.token).toBe(REDACTED);
    expect(safe.clientSecret).toBe(REDACTED);
    expect(safe.text).toBe(`[omitted: ${PHRASE.length} chars]`);
    expect(safe.inputs).toBe('[omitted: 2 items]');
    expect(safe.service).toBe('embeddings');
    expect(safe.status).toBe(429);
  });

  it('scrubs configured secrets and inline credentials from free text', () => {
    const safe = redactFields(
      {
        url: `https://x.example/?api-key=abc123&x=1`,
        note: `sent ${KEY} by mistake`,
        auth: 'Bearer abc.def',
      },
      [KEY],
    );
    expect(safe.url).toBe(`https://x.example/?api-key=${REDACTED}&x=1`);
    expect(safe.note).toBe(`sent ${REDACTED} by mistake`);
    expect(safe.auth).toBe(`Bearer ${REDACTED}`);
  });
});

describe('log file', () => {
  it('never writes a key header value or a content field', async () => {
    const log = openLogFile({ directory: dir, secrets: [KEY] });
    log.write('info', 'request.finish', {
      service: 'embeddings',
      requestId: 'req-1',
      'api-key': KEY,
      'Ocp-Apim-Subscription-Key': KEY,
      content: PHRASE,
      detail: `echo ${KEY}`,
    });
    await log.close();
    const written = await readFile(log.filePath, 'utf8');
    const record = JSON.parse(written.trim()) as Record<string, unknown>;
    expect(record).toMatchObject({ event: 'request.finish', service: 'embeddings', requestId: 'req-1' });
    expect(record.level).toBe('info');
    expect(written).not.toContain(KEY);
    expect(written).not.toContain(PHRASE);
    expect(written).not.toContain('heron');
  });

  it('rotates by size and keeps a bounded number of files', async () => {
    const log = openLogFile({ directory: dir, maxBytes: 1024, maxFiles: 2 });
    for (let index = 0; index < 200; index += 1) {
      log.write('info', 'request.start', { service: 'vision', attempt: index, requestId: `req-${index}` });
      // Rotation happens between writes; give the stream a turn now and then.
      if (index % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await log.close();
    const files = (await readdir(dir)).filter(
      (name) => name.startsWith('quarry.log') && name !== LOG_HISTORY_FILE_NAME,
    );
    expect(files).toContain('quarry.log');
    const rotated = files.filter((name) => name !== 'quarry.log');
    expect(rotated.length).toBeGreaterThan(0);
    expect(rotated.length).toBeLessThanOrEqual(2);
    const kept = await Promise.all(files.map((name) => readFile(path.join(dir, name), 'utf8')));
    for (const text of kept) expect(text.length).toBeLessThan(4096);
    // The newest record survives; the oldest were rotated away.
    expect(kept.some((text) => text.includes('"req-199"'))).toBe(true);
    expect(kept.some((text) => text.includes('"req-0"'))).toBe(false);
  });
});

describe('failure info', () => {
  it('keeps the HTTP status and request id of an Azure failure', () => {
    const error = new AzureServiceError('rate_limited', 'throttled', {
      service: 'embeddings',
      status: 429,
      requestId: 'req-42',
      retryAfterMs: 1000,
    });
    expect(error.toInfo()).toMatchObject({ code: 'rate_limited', status: 429, requestId: 'req-42' });
    expect(QuarryErrorInfo.parse(error.toInfo()).status).toBe(429);
  });
});

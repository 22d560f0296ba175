/** Simulated chat completions: deterministic extractive answers with citations, SSE framing. */
import { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';
import { NO_ANSWER_TEXT } from '../../azure-sim/services/openai-answer';

const SOURCES = [
  'Answer only from the sources. Cite them by their labels.',
  '[report.pdf#p2] Revenue grew 12% in 2024. Costs were flat.',
  '[memo.docx] The office moves to Lyon in March. Parking is free for staff.',
].join('\n');

describe('Azure OpenAI chat completions', () => {
  let sim: AzureSim;
  let client: AzureOpenAI;

  beforeAll(async () => {
    sim = await startAzureSim();
    client = new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion: '2024-10-21',
      deployment: 'gpt-4o-mini',
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  const ask = (question: string, extra: { max_tokens?: number } = {}) =>
    client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: SOURCES },
        { role: 'user', content: `Question: ${question}` },
      ],
      ...extra,
    });

  it('answers from the best-matching source sentences and cites their labels', async () => {
    const completion = await ask('Where does the office move?');
    expect(completion.choices[0]?.message.content).toBe('The office moves to Lyon in March. [memo.docx]');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.object).toBe('chat.completion');
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
    const raw = completion as unknown as {
      prompt_filter_results: unknown[];
      choices: { content_filter_results: unknown }[];
    };
    expect(raw.prompt_filter_results).toHaveLength(1);
    expect(raw.choices[0]?.content_filter_results).toMatchObject({
      hate: { filtered: false, severity: 'safe' },
    });
  });

  it('is deterministic and says so when the sources hold no answer', async () => {
    const a = await ask('How much did revenue grow?');
    const b = await ask('How much did revenue grow?');
    expect(a.choices[0]?.message.content).toBe('Revenue grew 12% in 2024. [report.pdf#p2]');
    expect(b.choices[0]?.message.content).toBe(a.choices[0]?.message.content);
    expect((await ask('Who won the football match?')).choices[0]?.message.content).toBe(NO_ANSWER_TEXT);
  });

  it('max_tokens cuts the answer with finish_reason length', async () => {
    const completion = await ask('Where does the office move?', { max_tokens: 3 });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(3);
    expect(
      'The office moves to Lyon in March. [memo.docx]'.startsWith(
        completion.choices[0]?.message.content ?? 'x',
      ),
    ).toBe(true);
  });

  it('streams the same answer, with a usage chunk when asked', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: SOURCES },
        { role: 'user', content: 'Question: Where does the office move?' },
      ],
    });
    let text = '';
    let usageTokens = 0;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usageTokens = chunk.usage.completion_tokens;
    }
    expect(text).toBe('The office moves to Lyon in March. [memo.docx]');
    expect(finish).toBe('stop');
    expect(usageTokens).toBeGreaterThan(0);
  });

  it('refuses embeddings on a chat deployment and chat on an embeddings deployment', async () => {
    const embeddings = await client.embeddings.create({ model: 'gpt-4o-mini', input: 'x' }).then(
      () => undefined,
      (e: unknown) => e as { status: number; code: string },
    );
    expect(embeddings).toMatchObject({ status: 400, code: 'OperationNotSupported' });
    const chatOnEmbeddings = new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion: '2024-10-21',
      deployment: 'text-embedding-3-small',
      maxRetries: 0,
    });
    const chat = await chatOnEmbeddings.chat.completions
      .create({ model: 'text-embedding-3-small', messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => undefined,
        (e: unknown) => e as { status: number; code: string },
      );
    expect(chat).toMatchObject({ status: 400, code: 'OperationNotSupported' });
  });

  it('empty messages: 400', async () => {
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }).then(
      () => undefined,
      (e: unknown) => e as { status: number; code: string },
    );
    expect(error).toMatchObject({ status: 400, code: 'empty_array' });
  });
});

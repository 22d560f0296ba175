/**
 * Simulated chat edge cases: context window, content filter (prompt and completion), client
 * aborts, and instructions that are never quoted as the answer.
 */
import { APIError, AzureOpenAI } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { instantProfile } from '../../azure-sim/core/profiles';
import { type AzureSim, DEFAULT_OPENAI_DEPLOYMENTS, startAzureSim } from '../../azure-sim/index';

const MESSAGES = [
  { role: 'system' as const, content: '[1] The office moves to Lyon in March. Parking is free for staff.' },
  { role: 'user' as const, content: 'Question: Where does the office move?' },
];

describe('Azure OpenAI chat refusals', () => {
  let sim: AzureSim;
  const client = (deployment: string) =>
    new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion: '2024-10-21',
      deployment,
      maxRetries: 0,
    });

  beforeAll(async () => {
    sim = await startAzureSim({
      profile: {
        ...instantProfile,
        latency: { 'openai.chat': { baseMs: 0, perUnitMs: 40, jitterRatio: 0 } },
      },
      openAiDeployments: [
        ...DEFAULT_OPENAI_DEPLOYMENTS,
        { name: 'tiny', model: 'gpt-4o-mini', kind: 'chat', contextTokens: 60 },
      ],
    });
  });
  afterEach(() => sim.setScenario({ rules: [] }));
  afterAll(async () => {
    await sim.close();
  });

  it("answers 400 context_length_exceeded past the deployment's window, counting max_tokens", async () => {
    const fits = await client('tiny').chat.completions.create({ model: 'tiny', messages: MESSAGES });
    expect(fits.choices[0]?.finish_reason).toBe('stop');
    const error = await client('tiny')
      .chat.completions.create({ model: 'tiny', messages: MESSAGES, max_tokens: 500 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(400);
    expect((error as APIError).code).toBe('context_length_exceeded');
    expect((error as APIError).message).toContain("This model's maximum context length is 60 tokens");
  });

  it('refuses a filtered prompt with Azure’s 400 content_filter body', async () => {
    sim.setScenario({ rules: [{ route: 'openai.chat', fault: 'contentFilter' }] });
    const error = (await client('gpt-4o-mini')
      .chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES })
      .catch((e: unknown) => e)) as APIError;
    expect(error.status).toBe(400);
    expect(error.code).toBe('content_filter');
    expect(error.error).toMatchObject({
      param: 'prompt',
      innererror: { code: 'ResponsibleAIPolicyViolation' },
    });
  });

  it('stops a filtered completion with finish_reason content_filter after the allowed pieces', async () => {
    sim.setScenario({
      rules: [{ route: 'openai.chat', fault: 'contentFilter', filterStage: 'completion', afterChunks: 2 }],
    });
    const stream = await client('gpt-4o-mini').chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
    });
    const pieces: string[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) pieces.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    expect(pieces).toEqual(['The', ' office']);
    expect(finish).toBe('content_filter');
  });

  it('records a client that hangs up mid-stream as clientAborted', async () => {
    sim.ledger.clear();
    const controller = new AbortController();
    const stream = await client('gpt-4o-mini').chat.completions.create(
      { model: 'gpt-4o-mini', messages: MESSAGES, stream: true },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) controller.abort();
    }
    await expect
      .poll(() => sim.ledger.entries().find((entry) => entry.route === 'openai.chat')?.outcome)
      .toBe('clientAborted');
  });

  it('never quotes the instructions once the sources are labelled', async () => {
    const completion = await client('gpt-4o-mini').chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'After every claim about the office, cite its source like [1].' },
        { role: 'user', content: `${MESSAGES[0]?.content}\n\nQuestion: Which claim about the office move?` },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe('The office moves to Lyon in March. [1]');
  });
});

import { describe, expect, it } from 'vitest';
import type { AnswerDone, EngineEvent } from '../../electron/contract/api';
import type { Citation } from '../../electron/contract/model';
import { QuarryCallError } from '../../renderer/src/api/call-error';
import { answerParts } from '../../renderer/src/lib/answer-parts';
import { createAppStores } from '../../renderer/src/stores/app-stores';
import { createAskStore } from '../../renderer/src/stores/ask-store';
import { deferred, FakeApi } from './renderer-fakes';

const citation: Citation = {
  ref: 1,
  chunkId: 'c1',
  sourcePath: '/docs/orchard.pdf',
  sourceName: 'orchard.pdf',
  page: 2,
  chunkIndex: 4,
  snippet: 'The pear harvest starts in late August.',
  mimeType: 'application/pdf',
};

const delta = (askId: string, text: string): EngineEvent => ({ type: 'answer.delta', askId, text });
const done = (askId: string, overrides: Partial<AnswerDone> = {}): EngineEvent => ({
  type: 'answer.done',
  askId,
  answer: 'Late August [1].',
  citations: [citation],
  usage: { promptTokens: 90, completionTokens: 6, totalTokens: 96, estimated: false },
  partial: false,
  notice: null,
  ...overrides,
});

describe('ask store', () => {
  it('streams deltas into the asked entry, then takes the final answer and its citations', async () => {
    const api = new FakeApi();
    const store = createAskStore(api, { top: 5 });
    store.getState().setDraft('  When is the harvest?  ');
    await store.getState().ask('keyword');
    expect(api.callsNamed('ask')).toEqual([{ question: 'When is the harvest?', mode: 'keyword', top: 5 }]);
    const entry = () => store.getState().entries[0];
    expect(entry()).toMatchObject({ askId: 'ask-1', state: 'streaming', answer: '' });

    store
      .getState()
      .applyEvents([delta('ask-1', 'Late'), delta('other', 'noise'), delta('ask-1', ' August')]);
    expect(entry()?.answer).toBe('Late August');
    expect(entry()?.state).toBe('streaming');

    store.getState().applyEvents([done('ask-1')]);
    expect(entry()).toMatchObject({ state: 'done', answer: 'Late August [1].', citations: [citation] });
    // A straggler after the end changes nothing.
    store.getState().applyEvents([delta('ask-1', ' more')]);
    expect(entry()?.answer).toBe('Late August [1].');
  });

  it('applies events that overtook the reply to ask once the id is known', async () => {
    const api = new FakeApi();
    const reply = deferred<{ askId: string }>();
    api.ask = () => reply.promise;
    const store = createAskStore(api);
    store.getState().setDraft('Why?');
    const asking = store.getState().ask('hybrid');
    store.getState().applyEvents([delta('ask-9', 'Because')]);
    reply.resolve({ askId: 'ask-9' });
    await asking;
    expect(store.getState().entries[0]?.answer).toBe('Because');
  });

  it('marks partial and failed answers, keeps the text, and stops only a streaming answer', async () => {
    const api = new FakeApi();
    const store = createAskStore(api);
    store.getState().setDraft('First?');
    await store.getState().ask('hybrid');
    store.getState().applyEvents([delta('ask-1', 'Half')]);
    await store.getState().stop();
    expect(api.callsNamed('stopAnswer')).toEqual([{ askId: 'ask-1' }]);
    store.getState().applyEvents([
      done('ask-1', {
        answer: 'Half',
        citations: [],
        partial: true,
        error: { code: 'cancelled', message: 'Stopped', retryable: false },
      }),
    ]);
    expect(store.getState().entries[0]).toMatchObject({ state: 'partial', answer: 'Half' });
    await store.getState().stop();
    expect(api.callsNamed('stopAnswer')).toHaveLength(1);

    api.ask = async () => {
      throw new QuarryCallError({
        code: 'unsupported',
        message: 'Answers need a chat model',
        retryable: false,
      });
    };
    store.getState().setDraft('Second?');
    await store.getState().ask('hybrid');
    expect(store.getState().entries[0]).toMatchObject({
      question: 'Second?',
      state: 'error',
      error: { code: 'unsupported' },
    });
  });

  it('keeps the last questions of the session and shows the one picked', async () => {
    const api = new FakeApi();
    const store = createAskStore(api, { historySize: 3 });
    for (const question of ['one', 'two', 'three', 'four']) {
      store.getState().setDraft(question);
      await store.getState().ask('hybrid');
    }
    const { entries } = store.getState();
    expect(entries.map((entry) => entry.question)).toEqual(['four', 'three', 'two']);
    expect(store.getState().selectedKey).toBe(entries[0]?.key);
    store.getState().select(entries[2]?.key ?? -1);
    expect(store.getState().selectedKey).toBe(entries[2]?.key);
  });

  it('is fed by the app stores along with the jobs', async () => {
    const api = new FakeApi();
    const stores = createAppStores(api);
    stores.ask.getState().setDraft('q');
    await stores.ask.getState().ask('hybrid');
    stores.applyEvents([delta('ask-1', 'text')]);
    expect(stores.ask.getState().entries[0]?.answer).toBe('text');
  });
});

describe('answer text parts', () => {
  it('separates citation marks from the text around them', () => {
    expect(answerParts('Pears [1]. Boats [2, 3][4]; see [2-3].')).toEqual([
      { kind: 'text', text: 'Pears ' },
      { kind: 'refs', text: '[1]', refs: [1] },
      { kind: 'text', text: '. Boats ' },
      { kind: 'refs', text: '[2, 3]', refs: [2, 3] },
      { kind: 'refs', text: '[4]', refs: [4] },
      { kind: 'text', text: '; see [2-3].' },
    ]);
  });
});

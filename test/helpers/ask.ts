/** Runs `ask` on an engine and collects its streamed answer (engine and CLI tests). */
import type { AnswerDone, EngineEvent } from '../../electron/contract';
import type { Engine } from '../../electron/engine/engine';

export interface AskRun {
  askId: string;
  deltas: string[];
  done: AnswerDone;
}

/** Asks and collects the answer's events until `answer.done`. */
export async function askAndWait(
  engine: Pick<Engine, 'handlers' | 'onEvent'>,
  question: string,
  options: { top?: number; onDelta?: (askId: string, text: string) => void } = {},
): Promise<AskRun> {
  const events: EngineEvent[] = [];
  let settle: (() => void) | null = null;
  const off = engine.onEvent((event) => {
    events.push(event);
    if (event.type === 'answer.delta') options.onDelta?.(event.askId, event.text);
    settle?.();
  });
  try {
    const { askId } = await engine.handlers.ask({ question, mode: 'hybrid', top: options.top ?? 3 });
    for (;;) {
      const done = events.find(
        (event): event is Extract<EngineEvent, { type: 'answer.done' }> =>
          event.type === 'answer.done' && event.askId === askId,
      );
      if (done) {
        const deltas = events.flatMap((event) =>
          event.type === 'answer.delta' && event.askId === askId ? [event.text] : [],
        );
        const { type: _type, ...answer } = done;
        return { askId, deltas, done: answer };
      }
      await new Promise<void>((resolve) => {
        settle = resolve;
      });
    }
  } finally {
    off();
  }
}

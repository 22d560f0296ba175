import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { Citation } from '../../../electron/contract/model';
import { type AskEntry, MAX_QUESTION_LENGTH } from '../stores/ask-store';
import { useAppStores, useAsk, useSearch } from '../stores/use-stores';
import { AnswerText } from './AnswerText';
import { ErrorNotice } from './ErrorNotice';

/** Opens a cited chunk in the preview pane, with the question's words marked. */
function useOpenCitation(): (citation: Citation, question: string) => void {
  const { preview } = useAppStores();
  return (citation, question) =>
    void preview.getState().open(
      {
        id: citation.chunkId,
        sourcePath: citation.sourcePath,
        sourceName: citation.sourceName,
        page: citation.page,
        chunkIndex: citation.chunkIndex,
        score: 0,
        snippet: citation.snippet,
        highlights: [],
        mimeType: citation.mimeType,
      },
      question,
    );
}

function CitationChips({ entry }: { entry: AskEntry }) {
  const { t } = useTranslation();
  const open = useOpenCitation();
  if (entry.citations.length === 0) return null;
  return (
    <ul className="citation-chips" aria-label={t('ask.sources')}>
      {entry.citations.map((citation) => (
        <li key={citation.ref}>
          <button
            type="button"
            className="citation-chip"
            data-testid="ask-citation"
            data-path={citation.sourcePath}
            data-page={citation.page ?? ''}
            title={citation.snippet}
            aria-controls="preview-pane"
            onClick={() => open(citation, entry.question)}
          >
            <span className="citation-ref">{citation.ref}</span>
            <span className="citation-name">{citation.sourceName}</span>
            {citation.page !== null && (
              <span className="muted">{t('search.page', { page: citation.page })}</span>
            )}
          </button>
        </li>
      ))}
    </ul>
  );
}

function Answer({ entry }: { entry: AskEntry }) {
  const { t } = useTranslation();
  const open = useOpenCitation();
  const streaming = entry.state === 'streaming';
  return (
    <article
      className="answer"
      data-testid="ask-answer"
      data-state={entry.state}
      aria-busy={streaming}
      aria-label={t('ask.answerTo', { question: entry.question })}
    >
      <h3 className="answer-question">{entry.question}</h3>
      {entry.notice && <p className="notice notice-info">{entry.notice}</p>}
      {(entry.answer || streaming) && (
        <p className="answer-text">
          <AnswerText
            text={entry.answer}
            citations={entry.citations}
            onOpen={(citation) => open(citation, entry.question)}
          />
          {streaming && <span className="answer-cursor" aria-hidden="true" />}
        </p>
      )}
      {streaming && !entry.answer && <p className="muted">{t('ask.thinking')}</p>}
      {entry.state === 'partial' && <p className="answer-partial">{t('ask.partial')}</p>}
      {entry.error && <ErrorNotice error={entry.error} hints="askHint" />}
      <CitationChips entry={entry} />
      {entry.usage && (
        <p className="muted answer-usage">
          {t(entry.usage.estimated ? 'ask.usageEstimated' : 'ask.usage', {
            prompt: entry.usage.promptTokens,
            answer: entry.usage.completionTokens,
          })}
        </p>
      )}
    </article>
  );
}

function History() {
  const { t } = useTranslation();
  const entries = useAsk((state) => state.entries);
  const selectedKey = useAsk((state) => state.selectedKey);
  const select = useAsk((state) => state.select);
  if (entries.length < 2) return null;
  return (
    <nav className="ask-history" aria-label={t('ask.history')}>
      <h4 className="pane-title">{t('ask.history')}</h4>
      <ol>
        {entries.map((entry) => (
          <li key={entry.key}>
            <button
              type="button"
              className="button-quiet ask-history-item"
              data-testid="ask-history-item"
              aria-current={entry.key === selectedKey}
              onClick={() => select(entry.key)}
            >
              {entry.question}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** Ask: a question answered from the indexed files, streamed, with chips that open the cited pages. */
export function AskPanel({ inputRef }: { inputRef?: RefObject<HTMLTextAreaElement | null> }) {
  const { t } = useTranslation();
  const draft = useAsk((state) => state.draft);
  const setDraft = useAsk((state) => state.setDraft);
  const ask = useAsk((state) => state.ask);
  const stop = useAsk((state) => state.stop);
  const selected = useAsk((state) => state.entries.find((entry) => entry.key === state.selectedKey) ?? null);
  const mode = useSearch((state) => state.mode);
  const streaming = selected?.state === 'streaming';
  const submit = (): void => {
    if (draft.trim()) void ask(mode);
  };

  return (
    <div className="ask-panel">
      <form
        className="ask-box"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label className="visually-hidden" htmlFor="ask-input">
          {t('ask.inputLabel')}
        </label>
        <textarea
          id="ask-input"
          ref={inputRef}
          data-testid="ask-input"
          rows={2}
          placeholder={t('ask.placeholder')}
          maxLength={MAX_QUESTION_LENGTH}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            // Enter asks; Shift+Enter starts a new line.
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              submit();
            }
          }}
        />
        {streaming ? (
          <button
            type="button"
            className="button button-danger"
            data-testid="ask-stop"
            onClick={() => void stop()}
          >
            {t('ask.stop')}
          </button>
        ) : (
          <button type="submit" className="button" data-testid="ask-submit" disabled={!draft.trim()}>
            {t('ask.submit')}
          </button>
        )}
      </form>
      <p className="muted ask-hint">{t('ask.hint', { mode: t(`search.modes.${mode}`) })}</p>
      {selected ? <Answer entry={selected} /> : <p className="empty-state">{t('ask.empty')}</p>}
      <History />
    </div>
  );
}

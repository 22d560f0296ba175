import { useTranslation } from 'react-i18next';
import type { Citation } from '../../../electron/contract/model';
import { answerParts } from '../lib/answer-parts';

interface AnswerTextProps {
  text: string;
  citations: readonly Citation[];
  onOpen(citation: Citation): void;
}

/** The answer as text, its [n] marks as buttons that open the cited source (unknown numbers stay text). */
export function AnswerText({ text, citations, onOpen }: AnswerTextProps) {
  const { t } = useTranslation();
  const byRef = new Map(citations.map((citation) => [citation.ref, citation]));
  let offset = 0;
  return (
    <>
      {answerParts(text).map((part) => {
        const key = offset;
        offset += part.text.length;
        if (part.kind === 'text' || !part.refs.some((ref) => byRef.has(ref))) {
          return <span key={key}>{part.text}</span>;
        }
        return (
          <sup key={key} className="answer-refs">
            {part.refs.map((ref) => {
              const citation = byRef.get(ref);
              return citation ? (
                <button
                  key={ref}
                  type="button"
                  className="answer-ref"
                  title={t('ask.openSource', { name: citation.sourceName })}
                  onClick={() => onOpen(citation)}
                >
                  {ref}
                </button>
              ) : (
                <span key={ref}>{ref}</span>
              );
            })}
          </sup>
        );
      })}
    </>
  );
}

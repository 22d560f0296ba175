import { splitHighlights } from '../lib/highlight';

interface HighlightedTextProps {
  text: string;
  highlights: ReadonlyArray<readonly [number, number]>;
}

/** Text as text nodes and <mark>s: no HTML from the index ever reaches the DOM as markup. */
export function HighlightedText({ text, highlights }: HighlightedTextProps) {
  const parts = splitHighlights(text, highlights);
  let offset = 0;
  return (
    <>
      {parts.map((part) => {
        const key = offset;
        offset += part.text.length;
        return part.highlighted ? <mark key={key}>{part.text}</mark> : <span key={key}>{part.text}</span>;
      })}
    </>
  );
}

export function HighlightedSnippet({
  snippet,
  highlights,
}: {
  snippet: string;
  highlights: HighlightedTextProps['highlights'];
}) {
  return (
    <span className="snippet">
      <HighlightedText text={snippet} highlights={highlights} />
    </span>
  );
}

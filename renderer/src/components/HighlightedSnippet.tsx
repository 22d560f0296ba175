import { splitHighlights } from '../lib/highlight';

interface HighlightedSnippetProps {
  snippet: string;
  highlights: ReadonlyArray<readonly [number, number]>;
}

/** The snippet as text nodes and <mark>s: no HTML from the index ever reaches the DOM as markup. */
export function HighlightedSnippet({ snippet, highlights }: HighlightedSnippetProps) {
  const parts = splitHighlights(snippet, highlights);
  let offset = 0;
  return (
    <p className="snippet">
      {parts.map((part) => {
        const key = offset;
        offset += part.text.length;
        return part.highlighted ? <mark key={key}>{part.text}</mark> : <span key={key}>{part.text}</span>;
      })}
    </p>
  );
}

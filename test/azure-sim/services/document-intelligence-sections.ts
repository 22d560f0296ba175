import type { DiSpan } from './document-intelligence-spans';

export interface DiSection {
  spans: DiSpan[];
  elements: string[];
}

/** A top-level element of the content (a paragraph or a table), in content order. */
export interface TopLevelElement {
  pointer: string;
  heading: boolean;
  start: number;
  end: number;
}

/**
 * The section tree as the layout model reports it: section 0 covers the document and lists the
 * elements before the first heading plus one child section per section heading; each child holds
 * its heading and what follows it up to the next heading.
 */
export function buildSections(
  elements: readonly TopLevelElement[],
  span: (start: number, end: number) => DiSpan,
): DiSection[] {
  const first = elements[0];
  const last = elements.at(-1);
  if (!first || !last) return [];
  const root: DiSection = { spans: [span(first.start, last.end)], elements: [] };
  const children: { members: TopLevelElement[] }[] = [];
  for (const element of elements) {
    if (element.heading) children.push({ members: [element] });
    else if (children.length > 0) children.at(-1)?.members.push(element);
    else root.elements.push(element.pointer);
  }
  const sections = [root];
  for (const child of children) {
    const start = child.members[0]?.start ?? 0;
    const end = child.members.at(-1)?.end ?? start;
    root.elements.push(`/sections/${sections.length}`);
    sections.push({ spans: [span(start, end)], elements: child.members.map((member) => member.pointer) });
  }
  return sections;
}

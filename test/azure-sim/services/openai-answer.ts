/**
 * The sim's "model": a deterministic extractive answer derived from the prompt, so tests of an
 * "ask" feature can check both the answer and its citations.
 *
 * Convention (documented in README.md):
 * - The question is the text after the last `Question:` in the last user message; without that
 *   label, the last paragraph of the last user message.
 * - Everything else in system and user messages is context. A line starting with `[label]`
 *   (e.g. `[1]`, `[doc-2]`, `[report.pdf#p3]`) opens a source; its sentences carry that label.
 * - The answer is the (up to) two context sentences sharing the most content words with the
 *   question, in context order, each followed by ` [label]`. With no overlap it says so.
 * - When some sentences carry a label, the unlabelled ones are instructions, not sources: a
 *   model does not quote its instructions as the answer.
 */

export interface ChatMessageText {
  readonly role: string;
  readonly text: string;
}

const STOPWORDS = new Set(
  'a an and are as at be by can do does for from has have how i in is it its me my of on or that the this to was were what when where which who why will with you your about into than then there these those'.split(
    ' ',
  ),
);
const SOURCE_LINE = /^\s*\[([^\]\n]{1,80})\]\s*(.*)$/;
const SENTENCE_END = /(?<=[.!?。！？])\s+/u;

export const NO_ANSWER_TEXT = 'The provided sources do not contain an answer to this question.';

function contentWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    if (STOPWORDS.has(word)) continue;
    words.add(word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word);
  }
  return words;
}

function splitQuestion(lastUser: string): { question: string; rest: string } {
  const labelled = lastUser.lastIndexOf('Question:');
  if (labelled >= 0) {
    return {
      question: lastUser.slice(labelled + 'Question:'.length).trim(),
      rest: lastUser.slice(0, labelled),
    };
  }
  const paragraphs = lastUser.split(/\n\s*\n/);
  const question = paragraphs.pop() ?? '';
  return { question: question.trim(), rest: paragraphs.join('\n\n') };
}

interface Sentence {
  readonly text: string;
  readonly label: string | undefined;
  readonly order: number;
}

function contextSentences(context: string): Sentence[] {
  const sentences: Sentence[] = [];
  let label: string | undefined;
  for (const line of context.split('\n')) {
    const source = SOURCE_LINE.exec(line);
    let body = line;
    if (source) {
      label = source[1];
      body = source[2] ?? '';
    } else if (line.trim() === '') {
      continue;
    }
    for (const piece of body.split(SENTENCE_END)) {
      const text = piece.trim();
      if (text) sentences.push({ text, label, order: sentences.length });
    }
  }
  return sentences;
}

/** The deterministic answer for a conversation. */
export function answerFor(messages: readonly ChatMessageText[]): string {
  const lastUserIndex = messages.map((m) => m.role).lastIndexOf('user');
  const lastUser = messages[lastUserIndex]?.text ?? '';
  const { question, rest } = splitQuestion(lastUser);
  const context = [
    ...messages
      .filter((m, i) => i !== lastUserIndex && (m.role === 'system' || m.role === 'user'))
      .map((m) => m.text),
    rest,
  ].join('\n');
  const all = contextSentences(context);
  const labelled = all.filter((sentence) => sentence.label !== undefined);
  const sentences = labelled.length > 0 ? labelled : all;
  if (sentences.length === 0) return `I have no sources to answer from. You asked: ${question}`;

  const wanted = contentWords(question);
  const scored = sentences
    .map((sentence) => ({
      sentence,
      score: [...contentWords(sentence.text)].filter((w) => wanted.has(w)).length,
    }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.sentence.order - b.sentence.order)
    .slice(0, 2)
    .map((s) => s.sentence)
    .sort((a, b) => a.order - b.order);
  if (scored.length === 0) return NO_ANSWER_TEXT;
  return scored.map((s) => (s.label === undefined ? s.text : `${s.text} [${s.label}]`)).join(' ');
}

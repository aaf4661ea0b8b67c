// Builds the comment text as DOM nodes with <mark> around profanity spans.
// Spans are UTF-16 offsets into the original text, which is exactly how JavaScript strings index.
import { h } from './dom.js';

/** Returns a DocumentFragment: text nodes and <mark> elements, never parsed HTML. */
export function highlight(text, spans) {
  const frag = document.createDocumentFragment();
  const ordered = (spans || [])
    .filter(s => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end > s.start && s.start < text.length)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let at = 0;
  for (const s of ordered) {
    if (s.start < at) continue; // overlapping span: the earlier, longer one wins
    const end = Math.min(s.end, text.length);
    if (s.start > at) frag.append(document.createTextNode(text.slice(at, s.start)));
    const label = [s.term, s.severity].filter(Boolean).join(' · ');
    frag.append(h('mark', { class: `sev-${String(s.severity || 'unknown').replace(/[^a-z]/gi, '')}`, title: label || null, dataset: { term: s.term || '' } },
      text.slice(s.start, end)));
    at = end;
  }
  if (at < text.length) frag.append(document.createTextNode(text.slice(at)));
  return frag;
}

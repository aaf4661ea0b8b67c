// Word-level diff of the text a moderator decided on and the site's edit of it (docs/CONSOLE.md, "Edited comments").
// Texts are untrusted: the result is text nodes inside <del>/<ins> elements, never parsed HTML.
import { h } from './dom.js';

/** Words and the whitespace between them, so joining the tokens gives the text back exactly. */
function tokens(text) { return String(text).match(/\s+|\S+/g) || []; }

// The longest-common-subsequence table is (n+1)×(m+1); past this many cells the changed middle is shown as one
// deletion and one insertion (a 20,000-character comment has ~4,000 words: 16M cells would stall the page).
const MAX_CELLS = 1_000_000;

/**
 * [{op: 'same'|'del'|'ins', text}] turning `before` into `after`, word by word. The common start and end are
 * trimmed first, so the usual edit (a few words changed) costs a table the size of the change only.
 */
export function wordDiff(before, after) {
  const a = tokens(before), b = tokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length, endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const ops = [];
  const push = (op, text) => {
    const last = ops.at(-1);
    if (last && last.op === op) last.text += text; else ops.push({ op, text });
  };
  a.slice(0, start).forEach(t => push('same', t));
  const midA = a.slice(start, endA), midB = b.slice(start, endB);
  const n = midA.length, m = midB.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    midA.forEach(t => push('del', t));
    midB.forEach(t => push('ins', t));
  } else {
    // lcs[i][j] = length of the LCS of midA[i..] and midB[j..], in one flat array.
    const w = m + 1, lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * w + j] = midA[i] === midB[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    let i = 0, j = 0;
    while (i < n && j < m) {
      if (midA[i] === midB[j]) { push('same', midA[i]); i++; j++; }
      else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) push('del', midA[i++]);
      else push('ins', midB[j++]);
    }
    while (i < n) push('del', midA[i++]);
    while (j < m) push('ins', midB[j++]);
  }
  a.slice(endA).forEach(t => push('same', t));
  return ops;
}

/** The two sides as fragments: the decided text with removed words in <del>, the new text with added words in <ins>. */
export function diffSides(before, after) {
  const left = document.createDocumentFragment(), right = document.createDocumentFragment();
  for (const { op, text } of wordDiff(before, after)) {
    if (op !== 'ins') left.append(op === 'del' ? h('del', null, text) : document.createTextNode(text));
    if (op !== 'del') right.append(op === 'ins' ? h('ins', null, text) : document.createTextNode(text));
  }
  return { left, right };
}

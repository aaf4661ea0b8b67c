// Small DOM helpers. Everything that may hold untrusted text goes through textContent: never innerHTML.

/** h('div', {class: 'x', dataset: {id}}, child, 'text') — children may be nodes, strings, numbers, arrays or null. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) { el.replaceChildren(); return el; }

/** A horizontal bar for a value in [0, max]; width set through CSSOM (allowed by the CSP), never a style attribute. */
export function bar(value, max = 1, cls = '') {
  const fill = h('span', { class: 'bar-fill' });
  const share = Math.max(0, Math.min(1, (Number(value) || 0) / max));
  const size = `${(share * 100).toFixed(1)}%`;
  if (cls.includes('vertical')) fill.style.height = size; else fill.style.width = size;
  if (share >= 0.75) fill.classList.add('hot');
  else if (share >= 0.4) fill.classList.add('warm');
  return h('span', { class: `bar ${cls}`.trim(), role: 'presentation' }, fill);
}

export function pct(x) { return `${Math.round((Number(x) || 0) * 100)}%`; }

export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function ago(iso) {
  const d = new Date(iso);
  const s = Math.round((Date.now() - d.getTime()) / 1000);
  if (!Number.isFinite(s)) return '';
  if (s < 60) return `${Math.max(s, 0)}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

/** "mostSimilarSentence" → "Most similar sentence". */
export function humanize(key) {
  const words = String(key).replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

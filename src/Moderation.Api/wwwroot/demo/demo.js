// Reader demo: the article and its visible comments, each with the embeddable report button (report.js).
// Comment text is untrusted: it is only ever set with textContent.
const $ = sel => document.querySelector(sel);

function articleIdFromPath() {
  const parts = location.pathname.split('/').filter(Boolean); // demo, articles, {id}
  try { return decodeURIComponent(parts[2] ?? ''); } catch { return ''; }
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function renderBody(body) {
  const box = $('#body');
  box.replaceChildren();
  for (const para of String(body).split(/\n\s*\n/)) {
    if (para.trim()) box.append(el('p', null, para.trim()));
  }
}

function renderComment(c) {
  const li = el('li', 'comment');
  li.dataset.commentId = c.commentId; // report.js adds the "Report comment" button here
  li.id = `comment-${c.commentId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const head = el('div', 'comment-head');
  head.append(el('span', 'avatar', (c.authorName || '?').trim().charAt(0).toUpperCase() || '?'), el('strong', 'author', c.authorName || 'Anonymous'));
  if (c.postedAt) {
    const t = el('time', 'posted', when(c.postedAt));
    t.dateTime = c.postedAt;
    head.append(t);
  }
  li.append(head, el('p', 'comment-text', c.text));
  return li;
}

async function load() {
  const id = articleIdFromPath();
  const article = $('#article');
  if (!id) { $('#title').textContent = 'No article given'; article.removeAttribute('aria-busy'); return; }
  try {
    const response = await fetch(`/api/public/articles/${encodeURIComponent(id)}`, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) throw new Error(response.status === 404 ? 'This article does not exist.' : `The article could not be loaded (${response.status}).`);
    const a = await response.json();
    document.title = `${a.title} — reader demo`;
    $('#title').textContent = a.title;
    renderBody(a.body ?? '');
    const comments = a.comments ?? [];
    $('#comment-count').textContent = `(${comments.length})`;
    const list = $('#comments');
    list.replaceChildren(...comments.map(renderComment));
    if (!comments.length) list.append(el('li', 'empty', 'No comments yet.'));
    window.ModerationReport?.scan(list);
  } catch (e) {
    $('#title').textContent = 'Article unavailable';
    $('#body').replaceChildren(el('p', 'error', e.message));
  } finally {
    article.removeAttribute('aria-busy');
    document.body.dataset.loaded = 'true';
  }
}

load();

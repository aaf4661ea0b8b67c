// Moderator console: queue, decisions, audit and stats over the moderation JSON API.
// Comment text is untrusted: it only ever reaches the page as text nodes (see dom.js, highlight.js).
import { api, auth, ApiError, enc, query, whenUnauthorized } from './api.js';
import { h, clear, bar, pct, when, ago, humanize } from './dom.js';
import { highlight } from './highlight.js';
import { diffSides } from './diff.js';

const $ = sel => document.querySelector(sel);

const REJECT_CODES = [
  ['offensive', 'Offensive'], ['abusive', 'Abusive'], ['spam', 'Spam'], ['banned_word', 'Banned word'], ['ad', 'Advertising'],
  ['harassment_bullying', 'Harassment or bullying'], ['hate_speech', 'Hate speech'], ['irrelevant_content', 'Irrelevant content'],
  ['misinformation', 'Misinformation'], ['other', 'Other'],
];
const REASON_LABELS = {
  profanity: 'Profanity', off_topic: 'Off topic', off_topic_length: 'Off-topic rant', reader_reports: 'Reader reports',
  scoring_failed: 'Scoring failed', edited_after_decision: 'Edited after decision', approved_at_source: 'Approved on the site',
};
const UNDO_MS = 10_000;
const POLL_MS = 10_000;
const PAGE = 100;
const MAX_PRIORITY = 1.75; // max reason weight × score + reports bonus + hidden bonus (ModerationPolicy.Priority)

const state = {
  view: 'queue',
  filters: { state: 'pending', reason: '', articleId: '', sort: 'priority' },
  items: [],
  nextCursor: null,
  selectedId: null,
  detail: null,
  lastDecision: null, // { commentId, action, at }
  articles: new Map(), // articleId → Promise<article response>
  auditBefore: null,
  seq: { queue: 0, detail: 0 },
  pollTimer: 0,
  deciding: false,
};

// ---------------------------------------------------------------- sign in / out

function showSignIn(message = '') {
  clearInterval(state.pollTimer);
  $('#app').hidden = true;
  $('#signin').hidden = false;
  $('#signin-error').textContent = message;
  $('#key').value = '';
  $('#key').focus();
}

async function signIn(event) {
  event.preventDefault();
  const key = $('#key').value.trim();
  if (!key) return;
  const button = event.submitter || $('#signin-form button');
  button.disabled = true;
  try {
    await api('/api/queue?limit=1', { key });
    auth.key = key;
    showApp();
  } catch (e) {
    $('#signin-error').textContent = e instanceof ApiError && e.status === 401 ? 'That key was not recognised.'
      : e instanceof ApiError && e.status === 403 ? 'That key cannot moderate (it needs the moderator or admin role).'
      : `Could not sign in: ${e.message}`;
  } finally {
    button.disabled = false;
  }
}

function signOut() {
  auth.key = null;
  state.items = [];
  state.detail = null;
  state.selectedId = null;
  clear($('#queue-list'));
  showSignIn();
}

function showApp() {
  $('#signin').hidden = true;
  $('#app').hidden = false;
  switchView('queue');
  loadQueue();
  refreshCount();
  clearInterval(state.pollTimer);
  state.pollTimer = setInterval(poll, POLL_MS);
}

// ---------------------------------------------------------------- views

function switchView(view) {
  state.view = view;
  for (const v of ['queue', 'audit', 'stats']) $(`#view-${v}`).hidden = v !== view;
  for (const b of document.querySelectorAll('nav [data-view]')) {
    if (b.dataset.view === view) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
  }
  if (view === 'audit') loadAudit(true);
  if (view === 'stats') loadStats();
  if (view === 'queue') $('#queue-list').focus({ preventScroll: true });
}

// ---------------------------------------------------------------- queue

function queuePath(cursor, limit = PAGE) {
  const f = state.filters;
  return `/api/queue${query({ state: f.state, reason: f.reason, articleId: f.articleId.trim(), sort: f.sort, limit, cursor })}`;
}

async function loadQueue({ more = false, quiet = false } = {}) {
  const seq = ++state.seq.queue;
  const status = $('#queue-status');
  if (!quiet && !more) status.textContent = 'Loading…';
  try {
    const limit = more ? PAGE : Math.min(200, Math.max(PAGE, quiet ? state.items.length : 0));
    const page = await api(queuePath(more ? state.nextCursor : null, limit));
    if (seq !== state.seq.queue) return;
    state.items = more ? state.items.concat(page.items) : page.items;
    state.nextCursor = page.nextCursor;
    renderQueue();
    if (!state.items.some(i => i.commentId === state.selectedId)) {
      if (state.items.length) select(0); else showDetailEmpty();
    }
  } catch (e) {
    if (seq !== state.seq.queue) return;
    status.textContent = `Could not load the queue: ${e.message}`;
  }
}

function renderQueue() {
  const list = clear($('#queue-list'));
  const f = state.filters;
  const n = state.items.length;
  $('#queue-status').textContent = n === 0
    ? (f.state === 'pending' ? 'Nothing waiting for review. ' : 'No decided comments match. ') + (f.reason || f.articleId ? 'Try other filters.' : '')
    : `${n}${state.nextCursor ? '+' : ''} ${f.state} comment${n === 1 ? '' : 's'}`;
  for (const item of state.items) list.append(queueRow(item));
  $('#load-more').hidden = !state.nextCursor;
  $('#bulk').hidden = f.state !== 'pending';
  const ids = [...new Set(state.items.map(i => i.articleId))].sort();
  $('#article-ids').replaceChildren(...ids.map(id => h('option', { value: id })));
  markSelected(false);
}

function queueRow(item) {
  const decided = item.action ? `${item.action === 'approve' ? 'Approved' : 'Rejected'} by ${item.decidedBy ?? '?'}` : null;
  return h('li', {
    class: `q-item status-${item.status}`, role: 'option', id: `q-${cssId(item.commentId)}`, 'aria-selected': 'false',
    dataset: { id: item.commentId }, onclick: () => select(state.items.findIndex(i => i.commentId === item.commentId)),
  },
  h('div', { class: 'q-priority', title: `Priority ${Number(item.priority).toFixed(2)}` }, bar(item.priority, MAX_PRIORITY, 'vertical')),
  h('div', { class: 'q-body' },
    // Ingest never takes an empty text: an empty excerpt is one the retention purge removed.
    item.excerpt === '' ? h('p', { class: 'q-excerpt removed' }, h('em', null, 'removed by retention')) : h('p', { class: 'q-excerpt' }, item.excerpt),
    h('div', { class: 'q-meta' },
      (item.reasons || []).map(reasonChip),
      item.reportCount > 0 ? h('span', { class: 'chip reports', title: 'Reader reports' }, `⚑ ${item.reportCount}`) : null,
      item.status === 'hidden' ? h('span', { class: 'chip hidden-chip', title: 'Held back from readers until decided' }, 'hidden') : null,
      h('span', { class: 'q-where muted' }, item.articleId, ' · ', decided ?? ago(item.flaggedAt)))));
}

function reasonChip(r) {
  return h('span', { class: `chip reason reason-${r.code}`, title: `${REASON_LABELS[r.code] ?? r.code}: score ${Number(r.score).toFixed(2)}` },
    h('span', { class: 'chip-label' }, REASON_LABELS[r.code] ?? humanize(r.code)), bar(r.score, 1, 'mini'), h('span', { class: 'chip-score' }, pct(r.score)));
}

function cssId(id) { return String(id).replace(/[^A-Za-z0-9_-]/g, c => `_${c.charCodeAt(0).toString(16)}`); }

function selectedIndex() { return state.items.findIndex(i => i.commentId === state.selectedId); }

function select(index) {
  if (!state.items.length) { state.selectedId = null; showDetailEmpty(); return; }
  const i = Math.max(0, Math.min(state.items.length - 1, index));
  const item = state.items[i];
  const changed = item.commentId !== state.selectedId;
  state.selectedId = item.commentId;
  markSelected(true);
  if (changed || !state.detail || state.detail.commentId !== item.commentId) loadDetail(item.commentId);
}

function markSelected(scroll) {
  const list = $('#queue-list');
  let current = null;
  for (const li of list.children) {
    const on = li.dataset.id === state.selectedId;
    li.setAttribute('aria-selected', on ? 'true' : 'false');
    li.classList.toggle('selected', on);
    if (on) current = li;
  }
  if (current) {
    list.setAttribute('aria-activedescendant', current.id);
    if (scroll) current.scrollIntoView({ block: 'nearest' });
  } else list.removeAttribute('aria-activedescendant');
}

function move(delta) {
  if (!state.items.length) return;
  const i = selectedIndex();
  select(i < 0 ? 0 : i + delta);
  if (delta > 0 && selectedIndex() === state.items.length - 1 && state.nextCursor) loadQueue({ more: true });
}

// ---------------------------------------------------------------- detail

function showDetailEmpty() {
  state.detail = null;
  clear($('#detail')).append(h('p', { class: 'muted empty' }, state.items.length ? 'Select a comment (j / k).' : 'Nothing selected.'));
}

async function loadDetail(commentId) {
  const seq = ++state.seq.detail;
  const pane = $('#detail');
  pane.setAttribute('aria-busy', 'true');
  try {
    const c = await api(`/api/comments/${enc(commentId)}`);
    if (seq !== state.seq.detail) return;
    state.detail = c;
    renderDetail(c);
  } catch (e) {
    if (seq !== state.seq.detail) return;
    state.detail = null;
    clear(pane).append(h('p', { class: 'error' }, `Could not load comment ${commentId}: ${e.message}`));
  } finally {
    if (seq === state.seq.detail) pane.removeAttribute('aria-busy');
  }
}

function isOpen(c) { return c.status === 'pending' || c.status === 'hidden'; }

function renderDetail(c) {
  const pane = clear($('#detail'));
  const reasons = c.reasons || [];
  const spans = reasons.filter(r => r.code === 'profanity').flatMap(r => r.spans || []);
  const offTopic = reasons.filter(r => r.code === 'off_topic' || r.code === 'off_topic_length');
  const item = state.items.find(i => i.commentId === c.commentId);

  add(pane,
    h('div', { class: 'detail-head' },
      h('h2', null, 'Comment ', h('code', null, c.commentId)),
      h('span', { class: `status-pill status-${c.status}` }, c.status)),
    h('p', { class: 'muted meta' },
      'Article ', h('code', null, c.articleId),
      c.authorName ? [' · by ', h('strong', null, c.authorName)] : null,
      c.postedAt || c.receivedAt ? [' · ', when(c.postedAt || c.receivedAt)] : null,
      c.source ? [' · ', h('span', { id: 'site-status' }, siteStatusText(c.source))] : null),
    actionsBar(c, item),
    reasons.length ? h('div', { class: 'reasons' }, reasons.map(reasonChip)) : null,
    // A decided comment kept past Moderation:Retention:DecidedTexts has an empty text and textRemoved = 'retention'.
    c.textRemoved ? h('blockquote', { class: 'comment-text removed', id: 'comment-text' }, h('em', null, `removed by ${c.textRemoved}`))
      : h('blockquote', { class: 'comment-text', id: 'comment-text', lang: '' }, highlight(c.text, spans)),
    c.textRemoved ? null : linksBlock(c.text),
    spans.length ? h('p', { class: 'matches' }, 'Matched: ',
      spans.map((s, i) => [i ? ', ' : '', h('span', { class: `term sev-${String(s.severity || '').replace(/[^a-z]/gi, '')}` }, s.term || s.text), s.severity ? ` (${s.severity})` : ''])) : null,
    c.decidedText != null ? editBlock(c) : null,
    c.scores ? scoresBlock(c.scores) : h('p', { class: 'muted' }, 'Not scored yet.'),
  );
  add(pane, offTopic.map(r => offTopicBlock(c, r)), reportsBlock(c.reports), historyBlock(c.history || []), articleCommentsBlock(c));
}

/** How the comment stands on the site it came from (a pull source): the site's own status, or what the service set there. */
function siteStatusText(s) {
  const label = { approved: 'approved', hold: 'held', spam: 'spam', trash: 'in the trash' };
  return s.writtenStatus
    ? `on ${s.name}: ${label[s.writtenStatus] ?? s.writtenStatus} (set from here)`
    : `on ${s.name}: ${label[s.siteStatus] ?? s.siteStatus}`;
}

/**
 * Where the comment's links go: the connectors keep a link as "its text (its URL)" (docs/CONNECTORS.md), and the
 * addresses are listed apart so a spam decision takes a glance. Shown as text, never as a live link.
 */
function linksBlock(text) {
  const urls = [...new Set(String(text || '').match(/https?:\/\/[^\s()<>"]+/g) || [])];
  if (!urls.length) return null;
  return h('p', { class: 'links', id: 'comment-links' }, 'Links to: ',
    urls.map((u, i) => [i ? ', ' : '', h('code', { class: 'link-target' }, u)]));
}

/** Element.append prints null as "null": add() skips empty parts and flattens lists. */
function add(parent, ...parts) {
  for (const p of parts.flat(Infinity)) if (p !== null && p !== undefined && p !== false) parent.append(p);
  return parent;
}

function actionsBar(c, item) {
  if (!isOpen(c)) {
    const last = (c.history || []).filter(e => /approve|reject|decid/i.test(e.action)).at(-1);
    return h('div', { class: 'actions' },
      h('p', { class: 'decided' }, `Decided: ${c.status}`, last ? ` by ${last.actor}, ${when(last.at)}` : (item?.decidedBy ? ` by ${item.decidedBy}` : '')));
  }
  return h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'approve', onclick: () => decide('approve') }, 'Approve ', h('kbd', null, 'a')),
    h('button', { type: 'button', class: 'reject', onclick: () => rejectSelected() }, 'Reject… ', h('kbd', null, 'r')),
    h('button', { type: 'button', class: 'ghost', onclick: () => undo(), disabled: !canUndo() }, 'Undo ', h('kbd', null, 'u')));
}

/** The site edited a comment a moderator had decided: the decided text beside the new one, words removed and added marked. */
function editBlock(c) {
  const { left, right } = diffSides(c.decidedText, c.text);
  const decided = c.decidedStatus === 'approved' ? 'approved' : 'rejected';
  return h('section', { class: 'edited', id: 'edit-compare' },
    h('h3', null, `Edited after a moderator ${decided} it`),
    h('div', { class: 'compare' },
      h('div', { class: 'compare-decided' }, h('h4', null, `Text ${decided}`), h('p', null, left)),
      h('div', { class: 'compare-edited' }, h('h4', null, 'Text now'), h('p', null, right))));
}

function scoresBlock(s) {
  const row = (label, v, hint) => h('div', { class: 'score' }, h('span', { class: 'score-label' }, label), bar(v), h('span', { class: 'score-value', title: hint }, pct(v)));
  return h('div', { class: 'scores' },
    row('Profanity', s.profanity, 'higher = more likely profane'),
    row('Relevance', s.relevance, 'higher = more related to the article'),
    row('Off-topic length', s.offTopicLength, 'higher = a long comment about something else'));
}

/** The article's title and its most similar sentence beside the comment, plus whatever evidence the scorer gave. */
function offTopicBlock(c, reason) {
  const detail = reason.detail && typeof reason.detail === 'object' ? reason.detail : {};
  const similar = firstSentence(detail.mostSimilarSentence ?? detail.mostSimilarSentences ?? detail.similarSentences);
  const articleSide = h('div', { class: 'compare-article' }, h('h4', null, 'Article'), h('p', { class: 'article-title' }, 'Loading title…'),
    similar ? h('blockquote', { class: 'similar' }, similar) : h('p', { class: 'muted' }, 'No similar sentence given.'));
  articleFor(c.articleId).then(a => {
    articleSide.querySelector('.article-title').textContent = a.article?.title ?? c.articleId;
  }, e => { articleSide.querySelector('.article-title').textContent = `(article unavailable: ${e.message})`; });

  const evidence = Object.entries(detail).filter(([, v]) => v !== null && v !== undefined);
  return h('section', { class: 'offtopic' },
    h('h3', null, REASON_LABELS[reason.code] ?? reason.code, ' ', h('span', { class: 'muted' }, pct(reason.score))),
    h('div', { class: 'compare' },
      h('div', { class: 'compare-comment' }, h('h4', null, 'Comment'), h('p', null, excerpt(c.text, 280))),
      articleSide),
    evidence.length ? h('dl', { class: 'evidence' }, evidence.flatMap(([k, v]) => [h('dt', null, humanize(k)), h('dd', null, valueNode(v))])) : null);
}

/**
 * The article's scored comments, least relevant first. Short off-topic comments are not flagged by default
 * (docs/RELEVANCE.md: no threshold was precise enough on real comments), so this is where a moderator finds them.
 */
function articleCommentsBlock(c) {
  const list = h('ol', { class: 'by-relevance', id: 'by-relevance' });
  const button = h('button', { type: 'button', class: 'ghost', id: 'show-by-relevance' }, 'Show this article’s comments, least relevant first');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const page = await api(`/api/articles/${enc(c.articleId)}/comments${query({ limit: 20 })}`);
      clear(list);
      add(list, page.items.length ? page.items.map(i => h('li', { 'data-id': i.commentId },
        h('button', { type: 'button', class: 'link', onclick: () => openComment(i.commentId) },
          h('span', { class: 'relevance-value' }, pct(i.relevance)), ' ', excerpt(i.excerpt, 120)),
        ' ', h('span', { class: 'muted' }, i.status))) : h('li', { class: 'muted' }, 'No scored comments yet.'));
    } catch (e) {
      clear(list);
      add(list, h('li', { class: 'error' }, `Could not load the article’s comments: ${e.message}`));
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { class: 'article-comments' }, h('h3', null, 'Relevance in this article'), button, list);
}

function firstSentence(v) {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.length ? firstSentence(v[0]) : null;
  if (typeof v === 'object') return v.text ?? v.sentence ?? null;
  return String(v);
}

function excerpt(text, n) { return text.length > n ? `${text.slice(0, n)}…` : text; }

/** Any evidence value as text: strings, numbers, lists, objects (nested, shallow). */
function valueNode(v, depth = 0) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    if (!v.length) return '—';
    if (v.every(x => typeof x !== 'object' || x === null)) return h('span', { class: 'terms' }, v.map(x => h('span', { class: 'term-chip' }, String(x))));
    return h('ul', { class: 'evidence-list' }, v.slice(0, 20).map(x => h('li', null, valueNode(x, depth + 1))));
  }
  if (depth > 2) return JSON.stringify(v);
  const text = v.text ?? v.sentence;
  const rest = Object.entries(v).filter(([k]) => k !== 'text' && k !== 'sentence');
  return h('span', null, text !== undefined ? h('q', null, String(text)) : null,
    rest.length ? h('span', { class: 'muted' }, text !== undefined ? ' (' : '', rest.map(([k, x], i) => [i ? ', ' : '', humanize(k), ': ', valueNode(x, depth + 1)]), text !== undefined ? ')' : '') : null);
}

function articleFor(articleId) {
  if (!state.articles.has(articleId)) {
    const p = api(`/api/articles/${enc(articleId)}`);
    p.catch(() => state.articles.delete(articleId));
    state.articles.set(articleId, p);
  }
  return state.articles.get(articleId);
}

function reportsBlock(reports) {
  const count = reports?.count ?? 0;
  const byReason = Object.entries(reports?.byReason ?? {}).sort((a, b) => b[1] - a[1]);
  return h('section', { class: 'reports-block' },
    h('h3', null, 'Reader reports ', h('span', { class: 'badge' }, String(count))),
    byReason.length ? h('ul', { class: 'report-reasons' }, byReason.map(([r, n]) => h('li', null, h('span', null, humanize(r)), bar(n, Math.max(count, 1), 'neutral'), h('span', null, String(n)))))
      : h('p', { class: 'muted' }, 'No reports.'));
}

function historyBlock(history) {
  if (!history.length) return null;
  return h('details', { class: 'history' }, h('summary', null, `History (${history.length})`),
    h('ol', null, history.map(e => h('li', null, h('time', { datetime: e.at }, when(e.at)), ' ', h('strong', null, e.action), ' by ', e.actor,
      e.statusBefore || e.statusAfter ? ` · ${e.statusBefore ?? '∅'} → ${e.statusAfter ?? '∅'}` : '',
      e.detail ? h('code', { class: 'detail-json' }, JSON.stringify(e.detail)) : null))));
}

// ---------------------------------------------------------------- decisions

function selectedOpenItem() {
  const item = state.items.find(i => i.commentId === state.selectedId);
  if (!item) { toast('Select a comment first.'); return null; }
  if (state.detail?.commentId === item.commentId && !isOpen(state.detail)) { toast('This comment is already decided.'); return null; }
  if (item.action) { toast('This comment is already decided.'); return null; }
  return item;
}

async function decide(action, reasonCode, note) {
  const item = selectedOpenItem();
  if (!item || state.deciding) return;
  state.deciding = true;
  try {
    await api(`/api/queue/${enc(item.commentId)}/decision`, { method: 'POST', body: { action, reasonCode, note } });
    state.lastDecision = { commentId: item.commentId, action, at: Date.now() };
    toast(`${action === 'approve' ? 'Approved' : `Rejected (${reasonCode})`}: ${item.commentId}`, { undo: true });
    removeAndAdvance(item.commentId);
    refreshCount();
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) { toast(`Already decided: ${e.message}`); loadQueue({ quiet: true }); }
    else toast(`Could not ${action}: ${e.message}`, { error: true });
  } finally {
    state.deciding = false;
  }
}

function removeAndAdvance(commentId) {
  if (state.filters.state !== 'pending') { loadQueue({ quiet: true }); loadDetail(commentId); return; }
  const i = state.items.findIndex(x => x.commentId === commentId);
  if (i >= 0) state.items.splice(i, 1);
  state.selectedId = null;
  renderQueue();
  if (state.items.length) select(Math.min(i, state.items.length - 1));
  else { showDetailEmpty(); if (state.nextCursor) loadQueue(); }
}

async function rejectSelected() {
  const item = selectedOpenItem();
  if (!item) return;
  const choice = await pickReason(`Reject ${item.commentId}`);
  if (choice) await decide('reject', choice.code, choice.note);
}

function canUndo() { return !!state.lastDecision && Date.now() - state.lastDecision.at < UNDO_MS; }

async function undo() {
  if (!canUndo()) { toast('Nothing to undo (decisions can be undone for 10 seconds).'); return; }
  const { commentId } = state.lastDecision;
  state.lastDecision = null;
  try {
    await api(`/api/queue/${enc(commentId)}/undo`, { method: 'POST' });
    toast(`Undone: ${commentId} is back in the queue.`);
    state.selectedId = commentId;
    await loadQueue({ quiet: true });
    const i = state.items.findIndex(x => x.commentId === commentId);
    if (i >= 0) { state.selectedId = null; select(i); } else loadDetail(commentId);
    refreshCount();
  } catch (e) {
    toast(e instanceof ApiError && e.status === 409 ? `Too late to undo: ${e.message}` : `Could not undo: ${e.message}`, { error: true });
  }
}

async function bulk(action) {
  const f = state.filters;
  if (f.state !== 'pending') { toast('Bulk decisions apply to pending comments only.'); return; }
  const filter = { reason: f.reason || undefined, articleId: f.articleId.trim() || undefined };
  let reasonCode;
  let note;
  if (action === 'reject') {
    const choice = await pickReason('Reject every matching pending comment');
    if (!choice) return;
    ({ code: reasonCode, note } = choice);
  }
  try {
    const dry = await api('/api/queue/decisions', { method: 'POST', body: { action, reasonCode, note, filter, dryRun: true } });
    if (!dry.count) { toast('No pending comments match these filters.'); return; }
    const scope = [filter.reason ? `reason “${REASON_LABELS[filter.reason] ?? filter.reason}”` : null, filter.articleId ? `article “${filter.articleId}”` : null]
      .filter(Boolean).join(' and ');
    const verb = action === 'approve' ? 'Approve' : `Reject (${reasonCode})`;
    const ok = await confirmDialog(`${verb} ${dry.count} pending comment${dry.count === 1 ? '' : 's'}?`,
      `${dry.count} comment${dry.count === 1 ? '' : 's'} ${scope ? `matching ${scope}` : 'in the whole pending queue'} will be ${action === 'approve' ? 'approved' : 'rejected'}. Comments that arrive after now are not included. This cannot be undone with u.`,
      `${verb} ${dry.count}`);
    if (!ok) return;
    const done = await api('/api/queue/decisions', { method: 'POST', body: { action, reasonCode, note, filter, dryRun: false, asOf: dry.asOf } });
    toast(`${action === 'approve' ? 'Approved' : 'Rejected'} ${done.count} comment${done.count === 1 ? '' : 's'}.`);
    state.selectedId = null;
    await loadQueue();
    refreshCount();
  } catch (e) {
    toast(`Bulk ${action} failed: ${e.message}`, { error: true });
  }
}

// ---------------------------------------------------------------- dialogs

function pickReason(subtitle) {
  return new Promise(resolve => {
    const dialog = $('#reject-dialog');
    const list = $('#reject-choices');
    const note = $('#reject-note');
    note.value = '';
    $('#reject-title').textContent = subtitle ? `${subtitle} — why?` : 'Reject — why?';
    list.replaceChildren(...REJECT_CODES.map(([code, label], i) =>
      h('li', null, h('button', { type: 'button', class: 'choice', dataset: { code } }, h('kbd', null, String((i + 1) % 10)), ` ${label}`))));
    const buttons = [...list.querySelectorAll('button.choice')];
    let current = 0;
    let done = false;
    const finish = value => {
      if (done) return;
      done = true;
      dialog.removeEventListener('click', onClick);
      dialog.removeEventListener('keydown', onKey);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const choose = i => finish({ code: REJECT_CODES[i][0], note: note.value.trim() || undefined });
    const onClick = e => {
      const b = e.target.closest('button.choice');
      if (b) choose(buttons.indexOf(b));
      else if (e.target.id === 'reject-cancel') finish(null);
    };
    const focusAt = i => { current = (i + buttons.length) % buttons.length; buttons[current].focus(); };
    const onKey = e => {
      const inNote = e.target === note;
      if (!inNote && /^[0-9]$/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); choose(e.key === '0' ? 9 : Number(e.key) - 1); }
      else if (e.key === 'ArrowDown' || (!inNote && e.key === 'j')) { e.preventDefault(); focusAt(current + 1); }
      else if (e.key === 'ArrowUp' || (!inNote && e.key === 'k')) { e.preventDefault(); focusAt(current - 1); }
      else if (e.key === 'Enter' && inNote) { e.preventDefault(); choose(current); }
    };
    const onClose = () => finish(null);
    for (const [i, b] of buttons.entries()) b.addEventListener('focus', () => { current = i; });
    dialog.addEventListener('click', onClick);
    dialog.addEventListener('keydown', onKey);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    focusAt(0);
  });
}

function confirmDialog(title, text, okLabel) {
  return new Promise(resolve => {
    const dialog = $('#confirm-dialog');
    $('#confirm-title').textContent = title;
    $('#confirm-text').textContent = text;
    $('#confirm-ok').textContent = okLabel;
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    $('#confirm-cancel').focus();
  });
}

function showHelp() { const d = $('#help-dialog'); if (!d.open) d.showModal(); }

// ---------------------------------------------------------------- toast

let toastTimer = 0;
let toastTick = 0;
function toast(text, { undo = false, error = false } = {}) {
  const el = $('#toast');
  const undoButton = $('#toast-undo');
  clearTimeout(toastTimer);
  clearInterval(toastTick);
  el.hidden = false;
  el.classList.toggle('error', error);
  $('#toast-text').textContent = text;
  undoButton.hidden = !undo;
  const hideAfter = undo ? UNDO_MS : 4000;
  if (undo) {
    const until = Date.now() + UNDO_MS;
    const tick = () => { undoButton.lastChild.textContent = ` ${Math.max(0, Math.ceil((until - Date.now()) / 1000))}s`; };
    if (!undoButton.querySelector('.left')) undoButton.append(h('span', { class: 'left' }));
    tick();
    toastTick = setInterval(tick, 500);
  }
  toastTimer = setTimeout(() => { el.hidden = true; clearInterval(toastTick); refreshUndoButtons(); }, hideAfter);
  refreshUndoButtons();
}

function refreshUndoButtons() {
  for (const b of document.querySelectorAll('#detail .actions .ghost')) b.disabled = !canUndo();
}

// ---------------------------------------------------------------- count polling

async function refreshCount() {
  const badge = $('#queue-count');
  try {
    const stats = await api('/api/stats?days=1');
    badge.textContent = String(stats.pending);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    try { // older servers without /api/stats: count the first page
      const page = await api('/api/queue?state=pending&limit=200');
      badge.textContent = `${page.items.length}${page.nextCursor ? '+' : ''}`;
    } catch { badge.textContent = '?'; }
  }
}

function poll() {
  if (document.hidden || !auth.key) return;
  refreshCount();
  if (state.view === 'queue' && !document.querySelector('dialog[open]') && !state.deciding) loadQueue({ quiet: true });
}

// ---------------------------------------------------------------- audit

async function loadAudit(reset) {
  const rows = $('#audit-rows');
  if (reset) { state.auditBefore = null; clear(rows); }
  try {
    const page = await api(`/api/audit${query({ limit: 100, before: reset ? null : state.auditBefore })}`);
    for (const e of page.items) {
      rows.append(h('tr', null,
        h('td', null, h('time', { datetime: e.at, title: e.at }, when(e.at))),
        h('td', null, e.actor),
        h('td', null, h('span', { class: `action action-${String(e.action).replace(/[^a-z_]/gi, '')}` }, e.action)),
        h('td', null, e.commentId ? h('button', { type: 'button', class: 'link', onclick: () => openComment(e.commentId) }, e.commentId) : '—'),
        h('td', null, e.statusBefore || e.statusAfter ? `${e.statusBefore ?? '∅'} → ${e.statusAfter ?? '∅'}` : ''),
        h('td', { class: 'detail-cell' }, e.detail ? h('code', null, typeof e.detail === 'string' ? e.detail : JSON.stringify(e.detail)) : '')));
    }
    if (reset && !page.items.length) rows.append(h('tr', null, h('td', { colspan: '6', class: 'muted' }, 'No entries yet.')));
    state.auditBefore = page.nextBefore;
    $('#audit-more').hidden = page.nextBefore === null || page.nextBefore === undefined;
  } catch (e) {
    rows.append(h('tr', null, h('td', { colspan: '6', class: 'error' }, `Could not load the audit log: ${e.message}`)));
  }
}

function openComment(commentId) {
  switchView('queue');
  state.selectedId = commentId;
  markSelected(true);
  loadDetail(commentId);
}

// ---------------------------------------------------------------- stats

async function loadStats() {
  const box = $('#stats');
  const days = $('#stats-days').value;
  clear(box).append(h('p', { class: 'muted' }, 'Loading…'));
  try {
    const s = await api(`/api/stats${query({ days })}`);
    const byReason = Object.entries(s.pendingByReason ?? {}).sort((a, b) => b[1] - a[1]);
    const maxReason = Math.max(1, ...byReason.map(([, n]) => n));
    const perDay = s.perDay ?? [];
    const maxDay = Math.max(1, ...perDay.flatMap(d => [d.flagged, d.decided]));
    const mods = s.byModerator ?? [];
    const maxMod = Math.max(1, ...mods.map(m => m.decided));
    clear(box).append(
      h('div', { class: 'cards' },
        h('div', { class: 'card stat' }, h('span', { class: 'stat-value' }, String(s.pending)), h('span', { class: 'muted' }, 'pending')),
        h('div', { class: 'card stat' }, h('span', { class: 'stat-value' }, duration(s.medianSecondsToDecision)), h('span', { class: 'muted' }, 'median time to decision')),
        h('div', { class: 'card stat' }, h('span', { class: 'stat-value' }, String(perDay.reduce((n, d) => n + d.decided, 0))), h('span', { class: 'muted' }, `decided in ${days} days`))),
      h('div', { class: 'stats-grid' },
        h('section', { class: 'card' }, h('h3', null, 'Pending by reason'),
          byReason.length ? h('table', { class: 'bars' }, h('tbody', null, byReason.map(([code, n]) =>
            h('tr', null, h('th', null, REASON_LABELS[code] ?? humanize(code)), h('td', { class: 'bar-cell' }, bar(n, maxReason, 'neutral')), h('td', { class: 'num' }, String(n))))))
            : h('p', { class: 'muted' }, 'Nothing pending.')),
        h('section', { class: 'card' }, h('h3', null, 'By moderator'),
          mods.length ? h('table', { class: 'bars' }, h('tbody', null, mods.map(m =>
            h('tr', null, h('th', null, m.decidedBy), h('td', { class: 'bar-cell' }, bar(m.decided, maxMod, 'neutral')), h('td', { class: 'num' }, String(m.decided))))))
            : h('p', { class: 'muted' }, 'No decisions yet.'))),
      h('section', { class: 'card' }, h('h3', null, 'Per day ', h('span', { class: 'legend' }, h('span', { class: 'swatch flagged' }), 'flagged ', h('span', { class: 'swatch decided' }), 'decided')),
        h('table', { class: 'bars per-day' }, h('tbody', null, perDay.map(d =>
          h('tr', null, h('th', null, d.day), h('td', { class: 'bar-cell' }, h('div', { class: 'pair' }, bar(d.flagged, maxDay, 'flagged'), bar(d.decided, maxDay, 'decided'))),
            h('td', { class: 'num' }, `${d.flagged} / ${d.decided}`)))))));
  } catch (e) {
    clear(box).append(h('p', { class: 'error' }, `Could not load statistics: ${e.message}`));
  }
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 90) return `${s}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${(s / 3600).toFixed(1)}h`;
  return `${(s / 86400).toFixed(1)}d`;
}

// ---------------------------------------------------------------- keyboard

let gPending = 0;
function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if ($('#app').hidden || document.querySelector('dialog[open]')) return;
  const t = e.target;
  if (t instanceof Element && t.closest('input, select, textarea, [contenteditable="true"]')) {
    if (e.key === 'Escape') t.blur();
    return;
  }
  if (gPending) {
    clearTimeout(gPending);
    gPending = 0;
    const view = { q: 'queue', a: 'audit', s: 'stats' }[e.key];
    if (view) { e.preventDefault(); switchView(view); }
    return;
  }
  const inQueue = state.view === 'queue';
  switch (e.key) {
    case 'j': case 'ArrowDown': if (inQueue) { e.preventDefault(); move(1); } break;
    case 'k': case 'ArrowUp': if (inQueue) { e.preventDefault(); move(-1); } break;
    case 'a': if (inQueue) { e.preventDefault(); decide('approve'); } break;
    case 'r': if (inQueue) { e.preventDefault(); rejectSelected(); } break;
    case 'u': e.preventDefault(); undo(); break;
    case '?': e.preventDefault(); showHelp(); break;
    case '/': if (inQueue) { e.preventDefault(); $('#f-article').focus(); } break;
    case 'g': gPending = setTimeout(() => { gPending = 0; }, 1000); break;
    default: break;
  }
}

// ---------------------------------------------------------------- wiring

function readFilters() {
  const form = $('#filters');
  state.filters = { state: form.state.value, reason: form.reason.value, articleId: form.articleId.value, sort: form.sort.value };
  state.selectedId = null;
  loadQueue();
}

function init() {
  whenUnauthorized(() => { if (!$('#app').hidden) showSignIn('Your key was not accepted any more; sign in again.'); auth.key = null; });
  $('#signin-form').addEventListener('submit', signIn);
  $('#signout').addEventListener('click', signOut);
  $('#help-button').addEventListener('click', showHelp);
  for (const b of document.querySelectorAll('nav [data-view]')) b.addEventListener('click', () => switchView(b.dataset.view));
  const form = $('#filters');
  form.addEventListener('submit', e => { e.preventDefault(); readFilters(); });
  for (const el of [form.state, form.reason, form.sort]) el.addEventListener('change', readFilters);
  let typing = 0;
  form.articleId.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(readFilters, 400); });
  form.articleId.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); clearTimeout(typing); readFilters(); $('#queue-list').focus(); } });
  $('#bulk-approve').addEventListener('click', () => bulk('approve'));
  $('#bulk-reject').addEventListener('click', () => bulk('reject'));
  $('#load-more').addEventListener('click', () => loadQueue({ more: true }));
  $('#toast-undo').addEventListener('click', () => undo());
  $('#audit-refresh').addEventListener('click', () => loadAudit(true));
  $('#audit-more').addEventListener('click', () => loadAudit(false));
  $('#stats-refresh').addEventListener('click', loadStats);
  $('#stats-days').addEventListener('change', loadStats);
  document.addEventListener('keydown', onKey);
  document.addEventListener('visibilitychange', () => { if (!document.hidden && auth.key) refreshCount(); });

  if (auth.key) showApp(); else showSignIn();
}

init();

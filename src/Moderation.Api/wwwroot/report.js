/*!
 * Moderation "Report comment" widget. Drop it under any comment list:
 *
 *   <script src="https://moderation.example/report.js" data-endpoint="https://moderation.example" defer></script>
 *
 * then either mark your own buttons
 *   <button data-report-comment="COMMENT_ID">Report</button>
 * or let it add a button to every element carrying data-comment-id="COMMENT_ID".
 *
 * Options (attributes on the script tag):
 *   data-endpoint   where the moderation service lives (default: where this script came from)
 *   data-styles     "none" to skip loading report.css from the endpoint (style .mod-report-* yourself)
 *   data-label      text of auto-inserted buttons (default "Report comment")
 *
 * One tap on a reason sends the report. The browser remembers what it reported (localStorage) and sends
 * a random per-browser reporterId, so a reader counts once per comment. No cookies, no tracking, no HTML
 * from the server is ever inserted. Events: "moderation:reported" bubbles from the comment's button,
 * detail {commentId, reason}. API: window.ModerationReport.scan(root).
 */
(function () {
  'use strict';
  if (window.ModerationReport) return;

  var script = document.currentScript;
  var attr = function (name) { return script ? script.getAttribute(name) : null; };
  var endpoint = (attr('data-endpoint') || (script && script.src ? new URL(script.src, location.href).origin : location.origin)).replace(/\/+$/, '');
  var label = attr('data-label') || 'Report comment';
  var REASONS = [
    ['offensive', 'Offensive'],
    ['abusive', 'Abusive or harassing'],
    ['spam', 'Spam or advertising'],
    ['off_topic', 'Off topic'],
    ['other', 'Something else'],
  ];
  var ID_KEY = 'moderation.reporterId';
  var DONE_KEY = 'moderation.reported';
  var MAX_REMEMBERED = 1000;
  var memory = {}; // fallback when localStorage is blocked

  function read(key) { try { return window.localStorage.getItem(key); } catch (e) { return memory[key] || null; } }
  function write(key, value) { try { window.localStorage.setItem(key, value); } catch (e) { memory[key] = value; } }

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  /** A random id made once per browser (per site), so the service can count each reader once. */
  function reporterId() {
    var id = read(ID_KEY);
    if (!id || !/^[!-~]{1,128}$/.test(id)) { id = 'rdr-' + randomId(); write(ID_KEY, id); }
    return id;
  }

  function reportedList() {
    try { var list = JSON.parse(read(DONE_KEY) || '[]'); return Array.isArray(list) ? list : []; } catch (e) { return []; }
  }
  function wasReported(commentId) { return reportedList().indexOf(commentId) >= 0; }
  function remember(commentId) {
    var list = reportedList().filter(function (x) { return x !== commentId; });
    list.push(commentId);
    write(DONE_KEY, JSON.stringify(list.slice(-MAX_REMEMBERED)));
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function markDone(button, message) {
    button.disabled = true;
    button.setAttribute('aria-disabled', 'true');
    button.setAttribute('data-reported', 'true');
    button.classList.add('mod-report-done');
    button.textContent = 'Reported';
    if (message) button.title = message;
  }

  function statusFor(button) {
    var id = button.getAttribute('aria-describedby');
    var status = id && document.getElementById(id);
    if (!status) {
      status = el('span', 'mod-report-status');
      status.id = 'mod-report-status-' + randomId();
      status.setAttribute('role', 'status');
      status.setAttribute('aria-live', 'polite');
      button.insertAdjacentElement('afterend', status);
      button.setAttribute('aria-describedby', status.id);
    }
    return status;
  }

  function closePicker(button, focusButton) {
    var picker = button._modPicker;
    if (picker && picker.parentNode) picker.parentNode.removeChild(picker);
    button._modPicker = null;
    button.setAttribute('aria-expanded', 'false');
    if (focusButton) button.focus();
  }

  function openPicker(button) {
    var commentId = button.getAttribute('data-report-comment');
    if (button._modPicker) { closePicker(button, true); return; }
    var picker = el('div', 'mod-report-picker');
    picker.setAttribute('role', 'group');
    var heading = el('p', 'mod-report-question', 'Why should a moderator look at this comment?');
    heading.id = 'mod-report-q-' + randomId();
    picker.setAttribute('aria-labelledby', heading.id);
    picker.appendChild(heading);
    var choices = el('div', 'mod-report-choices');
    REASONS.forEach(function (r) {
      var b = el('button', 'mod-report-reason', r[1]);
      b.type = 'button';
      b.setAttribute('data-reason', r[0]);
      b.addEventListener('click', function () { send(button, commentId, r[0], picker); });
      choices.appendChild(b);
    });
    var cancel = el('button', 'mod-report-cancel', 'Cancel');
    cancel.type = 'button';
    cancel.addEventListener('click', function () { closePicker(button, true); });
    choices.appendChild(cancel);
    picker.appendChild(choices);
    picker.addEventListener('keydown', function (e) { if (e.key === 'Escape') { e.preventDefault(); closePicker(button, true); } });
    statusFor(button).textContent = '';
    button.insertAdjacentElement('afterend', picker);
    button._modPicker = picker;
    button.setAttribute('aria-expanded', 'true');
    choices.firstChild.focus();
  }

  function send(button, commentId, reason, picker) {
    var buttons = picker.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    var status = statusFor(button);
    status.textContent = 'Sending…';
    fetch(endpoint + '/api/comments/' + encodeURIComponent(commentId) + '/reports', {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: reason, reporterId: reporterId() }),
    }).then(function (response) {
      if (response.ok) {
        remember(commentId);
        closePicker(button, false);
        markDone(button);
        status.textContent = 'Thank you. A moderator will take a look.';
        button.dispatchEvent(new CustomEvent('moderation:reported', { bubbles: true, detail: { commentId: commentId, reason: reason } }));
        return;
      }
      for (var j = 0; j < buttons.length; j++) buttons[j].disabled = false;
      if (response.status === 429) status.textContent = 'Too many reports from here just now. Please try again in a minute.';
      else if (response.status === 404) { closePicker(button, false); status.textContent = 'This comment can no longer be reported.'; }
      else status.textContent = 'Sorry, the report could not be sent (' + response.status + '). Please try again.';
    }, function () {
      for (var j = 0; j < buttons.length; j++) buttons[j].disabled = false;
      status.textContent = 'Sorry, the report could not be sent. Check your connection and try again.';
    });
  }

  function wire(button) {
    if (button.getAttribute('data-report-ready')) return;
    button.setAttribute('data-report-ready', 'true');
    if (button.tagName === 'BUTTON' && !button.getAttribute('type')) button.type = 'button';
    button.classList.add('mod-report-button');
    button.setAttribute('aria-expanded', 'false');
    if (wasReported(button.getAttribute('data-report-comment'))) { markDone(button, 'You reported this comment.'); return; }
    button.addEventListener('click', function (e) {
      e.preventDefault();
      if (!button.disabled) openPicker(button);
    });
  }

  /** Wires every report button under root and adds one to each [data-comment-id] element that has none. */
  function scan(root) {
    root = root || document;
    var hosts = root.querySelectorAll ? root.querySelectorAll('[data-comment-id]') : [];
    var all = [];
    if (root.nodeType === 1 && root.hasAttribute('data-comment-id')) all.push(root);
    for (var i = 0; i < hosts.length; i++) all.push(hosts[i]);
    all.forEach(function (host) {
      var id = host.getAttribute('data-comment-id');
      if (!id || host.querySelector('[data-report-comment]')) return;
      var wrap = el('div', 'mod-report');
      var b = el('button', null, label);
      b.type = 'button';
      b.setAttribute('data-report-comment', id);
      wrap.appendChild(b);
      host.appendChild(wrap);
    });
    var buttons = root.querySelectorAll ? root.querySelectorAll('[data-report-comment]') : [];
    for (var k = 0; k < buttons.length; k++) wire(buttons[k]);
    if (root.nodeType === 1 && root.hasAttribute('data-report-comment')) wire(root);
  }

  function loadStyles() {
    if (attr('data-styles') === 'none') return;
    var href = endpoint + '/report.css';
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) if (links[i].href === href) return;
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    document.head.appendChild(link);
  }

  function start() {
    loadStyles();
    scan(document);
    if (window.MutationObserver) {
      var pending = false;
      new MutationObserver(function () {
        if (pending) return;
        pending = true;
        setTimeout(function () { pending = false; scan(document); }, 0);
      }).observe(document.body, { childList: true, subtree: true });
    }
  }

  window.ModerationReport = { scan: scan, reporterId: reporterId, endpoint: endpoint };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

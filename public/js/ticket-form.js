/*
 * FAQ suggestions while a customer writes a ticket. Under the description, a polite live region lists
 * at most a few articles that may answer the question; each is a plain link into the ticket flow
 * (/portal/tickets/new/faq/<id>), so reading one counts and the way back keeps the draft. Nothing here
 * moves the focus. Without this script the form still works: the server shows the same articles once,
 * as a check step, before it files the ticket.
 *
 * The draft (subject, description, choices, idempotency key) is kept in sessionStorage while the
 * person reads an article, and put back when the server says a draft is waiting (data-kept="yes").
 * Titles and summaries are set as text, never as HTML.
 */
(function () {
  'use strict';
  var form = document.getElementById('tp-new-form');
  var title = document.getElementById('tp-title');
  var body = document.getElementById('tp-body');
  var region = document.getElementById('tp-suggestions');
  if (!form || !title || !body || !region || !window.fetch) return;

  var STORAGE_KEY = 'loket.ticketDraft';
  var DELAY_MS = 300;
  var BODY_PREFIX = 5000;
  var MIN_WORD = 3;
  var suggestUrl = form.getAttribute('data-suggest-url') || '';
  var openUrl = form.getAttribute('data-open-url') || '';
  var language = form.getAttribute('data-language') || '';
  var max = Number(form.getAttribute('data-max')) || 5;
  var headingText = form.getAttribute('data-text-heading') || '';
  var hintText = form.getAttribute('data-text-hint') || '';
  var checked = document.getElementById('tp-checked');
  var key = document.getElementById('tp-key');
  var fields = ['tp-queue', 'tp-service', 'tp-priority'];

  function storage() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null;
    }
  }

  function valueOf(id) {
    var el = document.getElementById(id);
    return el ? el.value : '';
  }

  function saveDraft() {
    var store = storage();
    if (!store) return;
    var draft = { title: title.value, body: body.value, idempotencyKey: key ? key.value : '' };
    for (var i = 0; i < fields.length; i++) draft[fields[i]] = valueOf(fields[i]);
    try {
      store.setItem(STORAGE_KEY, JSON.stringify(draft));
    } catch (e) {
      // Full or forbidden: the draft is only a convenience.
    }
  }

  function setIfOffered(id, value) {
    var el = document.getElementById(id);
    if (!el || typeof value !== 'string') return;
    for (var i = 0; i < el.options.length; i++) if (el.options[i].value === value) el.value = value;
  }

  /** Back from an article: the server kept what it knew, the browser fills in what only it saw. */
  function restoreDraft() {
    var store = storage();
    if (!store) return;
    if (form.getAttribute('data-kept') !== 'yes') {
      store.removeItem(STORAGE_KEY);
      return;
    }
    var draft = null;
    try {
      draft = JSON.parse(store.getItem(STORAGE_KEY) || 'null');
    } catch (e) {
      draft = null;
    }
    if (!draft || typeof draft !== 'object') return;
    // Only an empty form is refilled: what the server put back (or the person typed) wins.
    if (title.value !== '' || body.value !== '') return;
    if (typeof draft.title === 'string') title.value = draft.title;
    if (typeof draft.body === 'string') body.value = draft.body;
    for (var i = 0; i < fields.length; i++) setIfOffered(fields[i], draft[fields[i]]);
    if (key && typeof draft.idempotencyKey === 'string' && /^[0-9a-f]{32}$/.test(draft.idempotencyKey)) key.value = draft.idempotencyKey;
  }

  function wordsOf(text) {
    var seen = {};
    var words = [];
    var parts = text.toLowerCase().split(/[^\p{L}\p{N}]+/u);
    for (var i = 0; i < parts.length; i++) {
      var w = parts[i];
      if (w.length >= MIN_WORD && !Object.prototype.hasOwnProperty.call(seen, w)) {
        seen[w] = true;
        words.push(w);
      }
    }
    return words;
  }

  /** The same plan as the server's check step (plugin/tickets/pages/portal-suggestions.ts). */
  function queriesFor(subject, description) {
    var titleWords = wordsOf(subject);
    var all = wordsOf(titleWords.join(' ') + ' ' + description.slice(0, BODY_PREFIX));
    var longest = all
      .map(function (w, i) {
        return { w: w, i: i };
      })
      .sort(function (a, b) {
        return b.w.length - a.w.length || a.i - b.i;
      })
      .slice(0, 3)
      .map(function (x) {
        return x.w;
      });
    var candidates = [titleWords.slice(0, 8).join(' '), longest.join(' ')].concat(longest);
    var queries = [];
    for (var i = 0; i < candidates.length; i++) if (candidates[i] !== '' && queries.indexOf(candidates[i]) === -1) queries.push(candidates[i]);
    return queries.slice(0, 5);
  }

  function render(found) {
    region.textContent = '';
    if (!found.length) return;
    var heading = document.createElement('h2');
    heading.id = 'tp-suggest-heading';
    heading.textContent = headingText;
    var hint = document.createElement('p');
    hint.textContent = hintText;
    var list = document.createElement('ul');
    list.id = 'tp-suggest-list';
    list.setAttribute('aria-labelledby', heading.id);
    for (var i = 0; i < found.length; i++) {
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = openUrl + encodeURIComponent(String(found[i].id)) + '?q=' + encodeURIComponent(found[i].q);
      link.textContent = found[i].title;
      if (found[i].language) link.lang = found[i].language;
      link.addEventListener('click', saveDraft);
      item.appendChild(link);
      if (found[i].summary) {
        var summary = document.createElement('small');
        summary.textContent = found[i].summary;
        if (found[i].language) summary.lang = found[i].language;
        item.appendChild(document.createElement('br'));
        item.appendChild(summary);
      }
      list.appendChild(item);
    }
    region.appendChild(heading);
    region.appendChild(hint);
    region.appendChild(list);
  }

  var controller = null;
  var round = 0;

  function ask(q, signal) {
    var url = suggestUrl + '?q=' + encodeURIComponent(q) + '&limit=' + max + (language ? '&language=' + encodeURIComponent(language) : '');
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: signal }).then(function (res) {
      if (!res.ok) throw new Error('suggest answered ' + res.status);
      return res.json();
    });
  }

  function lookUp() {
    var mine = ++round;
    if (controller) controller.abort();
    controller = typeof AbortController === 'function' ? new AbortController() : null;
    var signal = controller ? controller.signal : undefined;
    var queries = queriesFor(title.value, body.value);
    var found = [];
    var ids = {};
    function next(i) {
      if (mine !== round) return undefined;
      if (i >= queries.length || found.length >= max) {
        render(found);
        // They have seen what the FAQ offers: the server need not stop them again before filing.
        if (checked) checked.value = '1';
        return undefined;
      }
      return ask(queries[i], signal).then(function (data) {
        var items = data && Array.isArray(data.items) ? data.items : [];
        for (var j = 0; j < items.length && found.length < max; j++) {
          var hit = items[j];
          if (hit && typeof hit.id === 'number' && !ids[hit.id]) {
            ids[hit.id] = true;
            found.push({ id: hit.id, title: String(hit.title || ''), summary: String(hit.summary || ''), language: String(hit.language || ''), q: queries[i] });
          }
        }
        return next(i + 1);
      });
    }
    Promise.resolve(next(0)).catch(function () {
      // Offline or refused: no live suggestions, and the server's check step stays in place.
    });
  }

  var timer = null;
  function schedule() {
    saveDraft();
    if (timer) clearTimeout(timer);
    timer = setTimeout(lookUp, DELAY_MS);
  }

  restoreDraft();
  title.addEventListener('input', schedule);
  body.addEventListener('input', schedule);
  for (var i = 0; i < fields.length; i++) {
    var el = document.getElementById(fields[i]);
    if (el) el.addEventListener('change', saveDraft);
  }
  if (title.value !== '' || body.value !== '') lookUp();
})();

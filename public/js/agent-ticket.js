/*
 * "Insert link" beside each FAQ search result on an agent's ticket page: puts a line
 * `Title: https://…/faq/<category>/<slug>` into the reply at the cursor, so the customer gets a link
 * they can follow from the mail too. Ticking "link this article" works without this script; the button
 * only saves copying the address by hand. Titles and addresses are set as text, never as HTML.
 */
(function () {
  'use strict';
  var results = document.getElementById('at-faq-results');
  var reply = document.getElementById('at-reply-body');
  var status = document.getElementById('at-faq-status');
  if (!results || !reply) return;
  var label = results.getAttribute('data-text-insert') || 'Insert link';
  var done = results.getAttribute('data-text-inserted') || '';

  function insert(line) {
    var start = typeof reply.selectionStart === 'number' ? reply.selectionStart : reply.value.length;
    var end = typeof reply.selectionEnd === 'number' ? reply.selectionEnd : start;
    var before = reply.value.slice(0, start);
    var after = reply.value.slice(end);
    // The link gets a line of its own, whatever was around the cursor.
    var text = (before && !/\n$/.test(before) ? '\n' : '') + line + (after && !/^\n/.test(after) ? '\n' : '');
    reply.value = before + text + after;
    var cursor = (before + text).length;
    reply.focus();
    if (typeof reply.setSelectionRange === 'function') reply.setSelectionRange(cursor, cursor);
    if (status) status.textContent = done;
  }

  var items = results.querySelectorAll('li[data-faq-url]');
  for (var i = 0; i < items.length; i++) {
    (function (item) {
      var title = item.getAttribute('data-faq-title') || '';
      var url = new URL(item.getAttribute('data-faq-url') || '', window.location.href).href;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary outline at-insert-link';
      button.textContent = label;
      button.setAttribute('aria-label', label + ': ' + title);
      button.addEventListener('click', function () {
        insert(title + ': ' + url);
      });
      item.appendChild(document.createTextNode(' '));
      item.appendChild(button);
    })(items[i]);
  }
})();

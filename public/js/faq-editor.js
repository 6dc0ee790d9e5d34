/*
 * Live preview for the FAQ article editor. While an editor types in the body, this sends the unsaved
 * markdown to the preview API and shows the result in the preview pane. Nothing is saved. Without
 * JavaScript, or when the call fails, the form's Preview button does the same through a page load.
 * The HTML comes from Loket's own markdown renderer (raw HTML off, links checked), the same code that
 * renders a saved article, so it is put into the pane as it is; status texts are written as text.
 */
(function () {
  'use strict';
  var form = document.getElementById('fe-form');
  var body = document.getElementById('fe-body');
  var pane = document.getElementById('fe-preview');
  var status = document.getElementById('fe-preview-status');
  if (!form || !body || !pane || !status || !window.fetch) return;
  var url = form.getAttribute('data-preview-url');
  var texts = {
    unsaved: form.getAttribute('data-text-unsaved') || '',
    failed: form.getAttribute('data-text-failed') || '',
  };
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var timer = null;
  var sequence = 0;
  var lastSent = null;

  function say(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  function refresh() {
    var text = body.value;
    if (text === lastSent) return;
    lastSent = text;
    var mine = (sequence += 1);
    pane.setAttribute('aria-busy', 'true');
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ body: text }),
    })
      .then(function (response) {
        if (!response.ok) throw new Error('preview answered ' + response.status);
        return response.json();
      })
      .then(function (result) {
        // A slower answer to earlier typing must not overwrite a newer one.
        if (mine !== sequence) return;
        pane.innerHTML = typeof result.html === 'string' ? result.html : '';
        pane.removeAttribute('aria-busy');
        say(texts.unsaved);
      })
      .catch(function () {
        if (mine !== sequence) return;
        lastSent = null;
        pane.removeAttribute('aria-busy');
        say(texts.failed);
      });
  }

  body.addEventListener('input', function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();

/*
 * Progress of a running directory sync (/admin/backends/<key>/sync). Every second this asks the status
 * URL (the same SyncStatus as GET /api/v1/backends/<key>/sync) and writes the phase and entry count into
 * the polite live region and the counts into their list. The live region only changes when the phase
 * changes, so a screen reader hears "users", "groups", "done" rather than a number every second. When
 * the run has finished, the page is loaded again so the server shows the full report. Without this
 * script the page's "refresh" link does the same by hand. Texts come from the section's data attribute
 * (the page's language) and everything is written with textContent, never as HTML.
 */
(function () {
  'use strict';
  var section = document.getElementById('ls-section');
  var phaseText = document.getElementById('ls-phase');
  if (!section || !phaseText || !window.fetch || section.getAttribute('data-running') !== 'yes') return;
  var texts;
  try {
    texts = JSON.parse(section.getAttribute('data-texts') || '');
  } catch (e) {
    return;
  }
  var url = section.getAttribute('data-status-url');
  var INTERVAL_MS = 1000;
  var lastPhase = null;

  function fill(template, values) {
    return template.replace(/%(PHASE|ENTRIES)%/g, function (slot, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : slot;
    });
  }

  function show(progress) {
    var phase = Object.prototype.hasOwnProperty.call(texts.phases, progress.phase) ? texts.phases[progress.phase] : String(progress.phase);
    if (progress.phase !== lastPhase) {
      lastPhase = progress.phase;
      phaseText.textContent = fill(texts.progress, { PHASE: phase, ENTRIES: String(progress.entries) });
    }
    var cells = document.querySelectorAll('#ls-counts [data-count]');
    for (var i = 0; i < cells.length; i++) {
      var name = cells[i].getAttribute('data-count');
      if (progress.counts && Object.prototype.hasOwnProperty.call(progress.counts, name)) cells[i].textContent = String(progress.counts[name]);
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (res) {
        if (!res.ok) throw new Error('status ' + res.status);
        return res.json();
      })
      .then(function (status) {
        if (status.progress) show(status.progress);
        if (status.running) {
          window.setTimeout(poll, INTERVAL_MS);
          return;
        }
        phaseText.textContent = texts.finished;
        window.location.reload();
      })
      .catch(function () {
        // A failed poll (network, session ended) leaves the refresh link to the person.
      });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();

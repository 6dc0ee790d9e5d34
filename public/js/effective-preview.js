/*
 * Live preview of a customer user's effective permissions. As an admin ticks boxes in the "Groups and
 * services" form, this asks the API what the unsaved boxes would give and redraws the two tables, marked
 * as a preview. Nothing is saved. Without JavaScript, or when the call fails, the form's Preview button
 * does the same through a page load. Texts come from the form's data attribute (the page's language);
 * everything is written with textContent, never as HTML.
 */
(function () {
  'use strict';
  var form = document.getElementById('acc-form');
  var groupsTable = document.getElementById('acc-eff-groups');
  var servicesTable = document.getElementById('acc-eff-services');
  var status = document.getElementById('acc-preview-status');
  if (!form || !groupsTable || !servicesTable || !status || !window.fetch) return;
  var config;
  try {
    config = JSON.parse(form.getAttribute('data-preview-texts') || '');
  } catch (e) {
    return;
  }
  var texts = config.texts;
  var url = form.getAttribute('data-preview-url');
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var timer = null;
  var sequence = 0;

  /** One pass over the template, so a name containing `%ID%` is never filled in again. */
  function fill(template, values) {
    return template.replace(/%(NAME|ID|GROUP|REASON|STRONGEST|DN|BACKEND)%/g, function (slot, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : slot;
    });
  }

  function customerWords(customerId) {
    var name = Object.prototype.hasOwnProperty.call(config.customers, customerId) ? config.customers[customerId] : null;
    return name === null ? fill(texts.customerId, { ID: customerId }) : fill(texts.customer, { NAME: name, ID: customerId });
  }

  function groupReason(reason) {
    var words;
    if (reason.source === 'direct') words = texts.direct;
    else if (reason.source === 'customer') words = customerWords(String(reason.customerId));
    else if (reason.source === 'default') words = reason.scope === 'customers' ? texts.defaultCustomers : texts.defaultUsers;
    else if (reason.source === 'delegation') words = fill(texts.delegation, { ID: String(reason.delegationId) });
    else if (reason.source === 'directory') words = fill(texts.directory, { DN: String(reason.ldapGroupDn), BACKEND: String(reason.backend) });
    else words = String(reason.source);
    return reason.impliedBy ? fill(texts.implied, { REASON: words, STRONGEST: String(reason.impliedBy) }) : words;
  }

  function serviceReason(reason) {
    if (reason.source === 'direct') return texts.direct;
    if (reason.source === 'customer') return customerWords(String(reason.customerId));
    if (reason.source === 'group') return fill(texts.group, { GROUP: String(reason.group) });
    if (reason.source === 'default') return texts.defaultServices;
    if (reason.source === 'form-run') return texts.formRun.replace('%ID%', String(reason.runId));
    return String(reason.source);
  }

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function reasonList(reasons) {
    var list = element('ul');
    list.className = 'reasons';
    reasons.forEach(function (words) {
      list.appendChild(element('li', words));
    });
    return list;
  }

  function emptyRow(columns, text) {
    var row = element('tr');
    var cell = element('td', text);
    cell.colSpan = columns;
    row.appendChild(cell);
    return row;
  }

  function notHeld() {
    var cell = element('td');
    var dash = element('span', '—');
    dash.setAttribute('aria-hidden', 'true');
    var words = element('span', texts.notHeld);
    words.className = 'visually-hidden';
    cell.appendChild(dash);
    cell.appendChild(words);
    return cell;
  }

  function replaceBody(table, rows) {
    var body = element('tbody');
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    table.replaceChild(body, table.tBodies[0]);
  }

  function drawGroups(groups) {
    var byGroup = new Map();
    groups.forEach(function (cell) {
      if (!byGroup.has(cell.group)) byGroup.set(cell.group, new Map());
      byGroup.get(cell.group).set(cell.permission, cell.reasons.map(groupReason));
    });
    var rows = [];
    byGroup.forEach(function (cells, group) {
      var row = element('tr');
      var head = element('th', group);
      head.scope = 'row';
      row.appendChild(head);
      config.types.forEach(function (type) {
        var reasons = cells.get(type);
        if (!reasons || !reasons.length) {
          row.appendChild(notHeld());
          return;
        }
        var cell = element('td');
        cell.appendChild(reasonList(reasons));
        row.appendChild(cell);
      });
      rows.push(row);
    });
    replaceBody(groupsTable, rows.length ? rows : [emptyRow(config.types.length + 1, texts.noGroups)]);
    groupsTable.caption.textContent = texts.groupsCaptionPreview;
  }

  function drawServices(services) {
    var rows = services.map(function (entry) {
      var row = element('tr');
      var head = element('th', entry.service);
      head.scope = 'row';
      row.appendChild(head);
      var cell = element('td');
      cell.appendChild(reasonList(entry.reasons.map(serviceReason)));
      row.appendChild(cell);
      return row;
    });
    replaceBody(servicesTable, rows.length ? rows : [emptyRow(2, texts.noServices)]);
    servicesTable.caption.textContent = texts.servicesCaptionPreview;
  }

  /** The boxes as the API's body: `{ groups: [{ group, permissions }], services: [...] }`. */
  function unsaved() {
    var byGroup = new Map();
    form.querySelectorAll('input[name="grant"]:checked').forEach(function (box) {
      var split = box.value.indexOf(':');
      var permission = box.value.slice(0, split);
      var group = box.value.slice(split + 1);
      if (!byGroup.has(group)) byGroup.set(group, []);
      byGroup.get(group).push(permission);
    });
    var groups = [];
    byGroup.forEach(function (permissions, group) {
      groups.push({ group: group, permissions: permissions });
    });
    var services = [];
    form.querySelectorAll('input[name="service"]:checked').forEach(function (box) {
      services.push(box.value);
    });
    return { groups: groups, services: services };
  }

  function say(text, strong) {
    status.textContent = '';
    status.appendChild(strong ? element('strong', text) : document.createTextNode(text));
  }

  function refresh() {
    var mine = (sequence += 1);
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(unsaved()),
    })
      .then(function (response) {
        if (!response.ok) throw new Error('preview answered ' + response.status);
        return response.json();
      })
      .then(function (result) {
        // A slower answer to an earlier tick must not overwrite a newer one.
        if (mine !== sequence) return;
        drawGroups(result.groups || []);
        drawServices(result.services || []);
        say(texts.previewStatus, true);
      })
      .catch(function () {
        if (mine === sequence) say(texts.previewFailed, false);
      });
  }

  form.addEventListener('change', function (event) {
    var target = event.target;
    if (!target || target.type !== 'checkbox') return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
})();

// Tells the site's developer how the engine mapped the form: the console table (once per state
// of the mapping), the error event when a required part maps to nothing, and with data-debug
// every mapped field outlined and tagged with its path.
import { createElement } from './dom.mjs';

/** @typedef {import('./widget.mjs').Widget} Widget */

/**
 * Reports the mapping when it changed: a warning, the table and `donation-guard:error` for
 * required parts nothing maps (the donor is never blocked for them); the table alone with
 * data-debug.
 * @param {Widget} widget
 */
export function reportMapping(widget) {
  const mapping = widget.mapping;
  if (!mapping) return;
  widget.lastMap = widget.fullMap();
  const missing = widget.missing();
  const key = missing.join(' ') + '|' + widget.mappingKey;
  if (key === widget.reportedKey) return;
  widget.reportedKey = key;
  const rows = mapping.fields.map((field) => ({ path: field.path, field: field.names.join(', '), label: field.label, from: field.source }));
  for (const [path, link] of widget.fields) {
    if (link.own && !path.startsWith('attestations.')) rows.push({ path, field: link.elements[0].name, label: widget.label(path), from: 'widget' });
  }
  missing.forEach((path) => rows.push({ path, field: '(missing)', label: '', from: '' }));
  if (missing.length) {
    console.warn('[donation-guard] the form maps, but not these required parts: ' + missing.join(', ') +
      '. The donor is never blocked for them: the hidden field says {"decision":"unavailable","reason":"unmapped"} and the server checks alone. Add data-dg-field="<path>" to the field that holds each.');
    console.table(rows);
    widget.fail({ code: 'unavailable', reason: 'unmapped', missing, mapped: mapping.fields.map((field) => ({ path: field.path, names: field.names })), unmapped: mapping.unmapped });
  } else if (widget.debug) {
    console.info('[donation-guard] field map (data-debug)');
    console.table(rows);
  }
  if (widget.debug) outlineFields(widget, missing);
}

/**
 * data-debug: every mapped field outlined and tagged with its path and source names, the
 * unmapped controls tagged grey, the missing parts listed at the top of the form.
 * @param {Widget} widget
 * @param {string[]} missing
 */
function outlineFields(widget, missing) {
  widget.debugTags.forEach((tag) => tag.remove());
  /** @type {HTMLElement[]} */
  const tags = [];
  widget.debugTags = tags;
  for (const [path, link] of widget.fields) {
    if (path.startsWith('attestations.')) continue;
    link.elements.forEach((element) => element.classList.add('dg-debug'));
    const first = link.elements[0];
    if (!first) continue;
    const tag = createElement('span', { class: 'dg-debug-tag', 'data-dg-own': true, text: path + (link.own ? ' (widget)' : ' ← ' + (link.names || []).join(' + ')) });
    (first.closest('label') || first).before(tag);
    tags.push(tag);
  }
  const unmapped = new Set(/** @type {NonNullable<Widget['mapping']>} */ (widget.mapping).unmapped);
  for (const formElement of widget.form.elements) {
    const element = /** @type {HTMLInputElement} */ (formElement);
    if (!unmapped.has(element.name) || element.closest('[data-dg-own]')) continue;
    unmapped.delete(element.name);
    const tag = createElement('span', { class: 'dg-debug-tag dg-debug-unmapped', 'data-dg-own': true, text: 'not mapped: ' + element.name });
    (element.closest('label') || element).before(tag);
    tags.push(tag);
  }
  if (missing.length) {
    const box = createElement('div', { class: 'dg-debug-missing', 'data-dg-own': true, text: 'donation-guard: not mapped: ' + missing.join(', ') + ' (the donor is not blocked for them)' });
    widget.form.prepend(box);
    tags.push(box);
  }
}

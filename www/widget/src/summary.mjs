// The error summary: at the top of the form, focused on a blocked submit, kept in step
// afterwards. It lists each reject once, in form order, each linking to its field.
import { createElement, isChoice } from './dom.mjs';

/**
 * @typedef {import('./widget.mjs').Widget} Widget
 * @typedef {import('./engine.mjs').Finding} Finding
 */

/**
 * Shows (or updates, or takes away) the widget's error summary.
 * @param {Widget} widget
 * @param {boolean} focus moves the focus to it (on submit)
 */
export function updateSummary(widget, focus) {
  /** The control a finding's link goes to: the filled box of its field, else its first shown control. */
  const target = (/** @type {Finding} */ finding) => {
    const link = widget.fields.get(finding.field);
    return link && (link.elements.find((e) => !e.closest('[hidden]') && !isChoice(e) && String(e.value).trim()) || link.elements.find((e) => !e.closest('[hidden]')));
  };
  const rejects = (widget.verdict ? (widget.shownFindings || []).filter((f) => f.severity === 'reject') : [])
    .filter((f, i, all) => all.findIndex((g) => g.field === f.field) === i)
    .sort((a, b) => {
      const x = target(a), y = target(b);
      return x && y ? (x.compareDocumentPosition(y) & 2 ? 1 : -1) : x ? -1 : y ? 1 : 0;
    });
  if (!rejects.length) { removeSummary(widget); return; }
  if (!widget.summaryElement) {
    const summary = createElement('div', { class: 'dg-summary', role: 'alert', tabindex: '-1', 'data-dg-own': true, id: widget.id + '-summary' });
    widget.summaryElement = summary;
    widget.form.prepend(summary);
    summary.addEventListener('click', (event) => {
      const link = /** @type {Element} */ (event.target).closest('a[data-dg-target]');
      if (!link) return;
      event.preventDefault();
      const field = document.getElementById(/** @type {string} */ (link.getAttribute('data-dg-target')));
      if (field) { field.focus(); if (field.scrollIntoView) field.scrollIntoView({ block: 'center' }); }
    });
  }
  const list = createElement('ul');
  rejects.forEach((finding) => {
    const field = target(finding);
    const label = widget.label(finding.field);
    const text = (label ? label + (label[0] === '“' ? ' ' : ': ') : '') + finding.message;
    list.append(createElement('li', {}, [field ? createElement('a', { href: '#' + field.id, 'data-dg-target': field.id, text }) : text]));
  });
  if (list.innerHTML !== widget.summaryKey) {
    widget.summaryKey = list.innerHTML;
    widget.summaryElement.replaceChildren(createElement('p', { text: widget.words.summary }), list);
  }
  if (focus) widget.summaryElement.focus();
}

/** Takes the error summary away. @param {Widget} widget */
export function removeSummary(widget) {
  if (widget.summaryElement) {
    widget.summaryElement.remove();
    widget.summaryElement = null;
    widget.summaryKey = null;
  }
}

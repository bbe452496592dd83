// The public API (`window.donationGuard`), the forms the widget renders on its own (marked
// data-donation-guard, or found by the engine when only the script tag is on the page), and the
// <donation-guard> element.
import { whenDomReady, perf } from './dom.mjs';
import { config, engine, loadEngine } from './engine.mjs';
import { describeControls, descriptorsOf } from './fields.mjs';
import { dataOptions, scriptTag } from './script-tag.mjs';
import { EVENT_PREFIX, Widget, widgetsByForm, widgetsById } from './widget.mjs';

export const VERSION = '0.1.0';

/**
 * A widget by its id, its form, or a selector for the form.
 * @param {unknown} ref
 * @returns {Widget | undefined}
 */
const find = (ref) => (ref instanceof Widget ? ref : typeof ref === 'string'
  ? widgetsById.get(ref) || widgetsByForm.get(/** @type {HTMLFormElement} */ (document.querySelector(ref)))
  : widgetsByForm.get(/** @type {HTMLFormElement} */ (ref)));

/**
 * Renders the widget on a form and returns its id (the existing widget's, when the form has one).
 * An explicit render with options replaces the one the script tag made on its own.
 * @param {HTMLFormElement | string} target
 * @param {import('./widget.mjs').WidgetOptions} [options]
 * @returns {string}
 */
export function render(target, options) {
  const form = /** @type {HTMLFormElement | null} */ (typeof target === 'string' ? document.querySelector(target) : target);
  if (!form || form.tagName !== 'FORM') throw new TypeError('donationGuard.render: a <form> is required');
  const old = widgetsByForm.get(form);
  if (old && !(old.automatic && options)) return old.id;
  if (old) old.remove();
  loadEngine().catch(() => {});
  return new Widget(form, Object.assign(dataOptions(form, 'data-'), options || {})).id;
}

/** Renders every form marked data-donation-guard that has no widget yet. */
function renderMarkedForms() {
  document.querySelectorAll('form[data-donation-guard]').forEach((form) => {
    if (!widgetsByForm.has(/** @type {HTMLFormElement} */ (form))) render(/** @type {HTMLFormElement} */ (form));
  });
}

/**
 * One script tag and nothing else: with no form marked data-donation-guard, the widget guards
 * the forms the engine reads as donation forms (an amount and the donor's name), with the script
 * tag's own data-* options. `data-form="<selector>"` on the script tag names the form instead;
 * `data-auto="off"` turns this off.
 */
function renderFromScriptTag() {
  const tag = scriptTag;
  const running = engine;
  if (!tag || !running || (tag.getAttribute('data-auto') || '').toLowerCase() === 'off') return;
  const selector = tag.getAttribute('data-form');
  /** @type {Element[]} */
  let forms = [];
  try {
    forms = selector ? [...document.querySelectorAll(selector)] : document.querySelector('form[data-donation-guard]') ? [] : [...document.forms];
  } catch (_) { console.warn('[donation-guard] data-form is not a selector:', selector); }
  for (const form of forms) {
    if (!(form instanceof HTMLFormElement) || widgetsByForm.has(form)) continue;
    if (!selector) {
      /** @type {import('./engine.mjs').FormMapping | null} */
      let mapping = null;
      try { mapping = running.mapForm(descriptorsOf(describeControls(form))); } catch (_) { mapping = null; }
      const maps = (/** @type {string} */ path) => !!(mapping && mapping.map && Object.prototype.hasOwnProperty.call(mapping.map, path));
      if (!maps('contribution.amount') || !(maps('donor.first_name') || maps('donor.last_name') || maps('donor.full_name'))) continue;
    }
    const widget = widgetsById.get(render(form, dataOptions(tag, 'data-')));
    if (widget) widget.automatic = true;
  }
}

/**
 * Renders the implicit forms once the document has parsed and the engine runs. Resolves true
 * then, false when the engine is unavailable (never rejects), and fires `donation-guard:ready`.
 * @returns {Promise<boolean>}
 */
export function renderImplicitForms() {
  return whenDomReady()
    .then(() => scriptTag || new Promise((resolve) => setTimeout(resolve))) // lets the ES module entry configure us first
    .then(() => { renderMarkedForms(); return loadEngine(); })
    .then(() => renderFromScriptTag())
    .then(() => new Promise((resolve) => setTimeout(resolve)).then(() => true), () => false)
    .then((available) => { document.dispatchEvent(new CustomEvent(EVENT_PREFIX + 'ready', { detail: { available } })); return available; });
}

/**
 * The object the page sees as `window.donationGuard`.
 * @param {Promise<boolean>} ready
 */
export function publicApi(ready) {
  return {
    version: VERSION,
    ready,
    render,
    reset(/** @type {unknown} */ ref) { const widget = find(ref); if (widget) widget.reset(); },
    remove(/** @type {unknown} */ ref) { const widget = find(ref); if (widget) widget.remove(); },
    getResponse(/** @type {unknown} */ ref) { const widget = find(ref); return widget ? widget.responseField.value : ''; },
    getSubmission(/** @type {unknown} */ ref) { const widget = find(ref); return widget ? widget.submission() : null; },
    getVerdict(/** @type {unknown} */ ref) { const widget = find(ref); return widget ? widget.verdict : null; },
    getMapping(/** @type {unknown} */ ref) {
      const widget = find(ref);
      return widget && widget.mapping ? Object.assign({}, widget.mapping, { map: widget.fullMap(), missing: widget.missing() }) : null;
    },
    config(/** @type {Record<string, unknown> | undefined} */ options) { Object.assign(config, options || {}); return Object.assign({}, config); },
    engineVersion() { return engine ? engine.version() : null; },
  };
}

/**
 * `<donation-guard recipient-type="candidate" election="primary">` inside a form renders the
 * widget's added fields where the element stands; removing it removes the widget.
 */
export function defineElement() {
  if (!window.customElements || customElements.get('donation-guard')) return;
  customElements.define('donation-guard', class extends HTMLElement {
    constructor() {
      super();
      /** @type {string | null} */
      this.widgetId = null;
    }

    connectedCallback() {
      const form = this.closest('form');
      if (!form || widgetsByForm.has(form)) return;
      this.widgetId = render(form, Object.assign(dataOptions(this, ''), { mount: this }));
    }

    disconnectedCallback() {
      if (this.widgetId) {
        const widget = widgetsById.get(this.widgetId);
        if (widget) widget.remove();
        this.widgetId = null;
      }
    }
  });
}

/** Marks the moment the script ran (before the page's DOMContentLoaded). */
export const markScript = () => { if (perf.mark) perf.mark('donation-guard:script'); };

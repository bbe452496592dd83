// DOM helpers the rest of the widget builds on: text of nodes, element creation, a global
// callback by name, and the document being ready.

/** Collapses runs of white space and trims; null and undefined become ''. */
export const squish = (/** @type {unknown} */ value) => String(value == null ? '' : value).replace(/\s+/g, ' ').trim();

/** A node's text, white space collapsed ('' for no node). */
export const textOf = (/** @type {Node | null | undefined} */ node) => (node ? squish(node.textContent) : '');

/**
 * Creates an element. `props.text` becomes its text; every other prop an attribute (`true` is an
 * empty attribute; `null`, `undefined` and `false` are left out).
 * @param {string} tag
 * @param {Record<string, string | boolean | null | undefined>} [props]
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {HTMLElement}
 */
export function createElement(tag, props, children) {
  const element = document.createElement(tag);
  const all = props || {};
  for (const key in all) {
    const value = all[key];
    if (key === 'text') element.textContent = /** @type {string} */ (value);
    else if (value != null && value !== false) element.setAttribute(key, value === true ? '' : value);
  }
  (children || []).forEach((child) => child && element.append(child));
  return element;
}

/**
 * A function option: the function itself, or the name of a global one (`"app.onVerdict"`).
 * @param {unknown} option
 * @returns {Function | null}
 */
export function resolveCallback(option) {
  if (typeof option === 'function') return option;
  if (typeof option === 'string' && option) {
    /** @type {any} */
    const found = option.split('.').reduce((/** @type {any} */ object, key) => (object == null ? object : object[key]), window);
    return found;
  }
  return null;
}

/** @type {Promise<void> | null} */
let domReadyPromise = null;
/** Resolves once the document has parsed (at once when it already has). */
export function whenDomReady() {
  if (!domReadyPromise) {
    domReadyPromise = new Promise((resolve) => {
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => resolve(), { once: true });
      else resolve();
    });
  }
  return domReadyPromise;
}

/** `performance`, or a stand-in without marks where the page has none. */
export const perf = /** @type {Performance} */ (window.performance || { now: Date.now, mark() {}, measure() {} });

/** A radio button or checkbox. */
export const isChoice = (/** @type {{ type: string }} */ element) => /^(radio|checkbox)$/.test(element.type);

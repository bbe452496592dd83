// The script tag that loaded the widget, and the options written on it or on a form as data-*
// attributes.

/**
 * The `<script>` element running this file, read while it runs (null in an ES module, or when
 * injected by another script after the fact).
 * @type {HTMLScriptElement | null}
 */
export const scriptTag = /** @type {HTMLScriptElement | null} */ (document.currentScript);

/**
 * The widget's options from an element's attributes: `data-recipient-type` and the like on a
 * form or the script tag (prefix `data-`), or `recipient-type` on `<donation-guard>` (prefix '').
 * Attributes that are absent are left out, so they do not override defaults.
 * @param {Element} element
 * @param {string} prefix
 * @returns {import('./widget.mjs').WidgetOptions}
 */
export function dataOptions(element, prefix) {
  const attribute = (/** @type {string} */ name) => element.getAttribute(prefix + name);
  /** @type {Record<string, string | null>} */
  const options = {
    recipientType: attribute('recipient-type'), election: attribute('election'), language: attribute('language'),
    callback: attribute('callback'), errorCallback: attribute('error-callback'), responseFieldName: attribute('response-field-name'),
    citizenship: attribute('citizenship'), method: attribute('method'), ruleset: attribute('ruleset'), country: attribute('country'),
    lang: attribute('lang'), debug: attribute('debug'), rulesetUrl: attribute('ruleset-url'),
  };
  for (const key in options) if (options[key] == null) delete options[key];
  return options;
}

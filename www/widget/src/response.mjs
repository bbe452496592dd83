// The hidden response field: how the browser's verdict reaches the committee's server. On
// accept or review it carries the decision, the digests and the field map; on a reject it is
// empty; when the widget cannot check it says "unavailable" and why, and the server checks alone.
import { createElement } from './dom.mjs';

/**
 * The form's hidden field named `name`: the page's own when it has one, else one the widget
 * adds (returned as `added`, to be taken away with the widget).
 * @param {HTMLFormElement} form
 * @param {string} name
 * @returns {{ field: HTMLInputElement, added: HTMLInputElement | null }}
 */
export function responseField(form, name) {
  const existing = /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll('input[type=hidden]')]).find((input) => input.name === name);
  if (existing) return { field: existing, added: null };
  const field = /** @type {HTMLInputElement} */ (createElement('input', { type: 'hidden', name, 'data-dg-own': true }));
  form.append(field);
  return { field, added: field };
}

/**
 * The field's value when the widget stands aside: `{"decision":"unavailable","reason":...}`.
 * @param {string} reason `csp`, `load_failed`, `unsupported`, `timeout`, `engine_error`,
 *   `ruleset_failed`, `invalid_submission`, or `unmapped` (with `missing` and `map`)
 * @param {{ missing: string[], map: unknown }} [unmapped]
 */
export const unavailableResponse = (reason, unmapped) =>
  JSON.stringify(unmapped ? { decision: 'unavailable', reason, missing: unmapped.missing, map: unmapped.map } : { decision: 'unavailable', reason });

/**
 * The field's value for a verdict the server may rely on (accept or review).
 * @param {import('./engine.mjs').Verdict} verdict
 * @param {unknown} map
 */
export const verdictResponse = (verdict, map) =>
  JSON.stringify({ decision: verdict.decision, submission_digest: verdict.submission_digest, ruleset_digest: verdict.ruleset.digest, map });

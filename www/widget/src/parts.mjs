// What the widget adds to a form that lacks it: the citizenship question, the U.S. passport
// field (shown only while the engine asks about a passport), and the statements the donor
// confirms (the ruleset's attestations, with the ruleset's translation above each when it has
// one). The hints under the questions state the law, so their words come from the ruleset's
// `prompts`; a ruleset without them gets no hint.
import { createElement } from './dom.mjs';
import { CITIZENSHIP_ANSWERS } from './messages.mjs';

/**
 * A ruleset prompt in the widget's language (English when the ruleset has none in it), or null.
 * @param {import('./engine.mjs').Ruleset} ruleset
 * @param {string} name
 * @param {string} language
 * @returns {{ text: string, lang: string } | null}
 */
function prompt(ruleset, name, language) {
  const texts = (ruleset.prompts || {})[name] || {};
  if (typeof texts[language] === 'string') return { text: texts[language], lang: language };
  return typeof texts.en === 'string' ? { text: texts.en, lang: 'en' } : null;
}

/**
 * The citizenship question: a fieldset of radio buttons posting as `name`.
 * @param {string} widgetId
 * @param {import('./messages.mjs').UiWords} words
 * @param {string} name
 * @param {import('./engine.mjs').Ruleset} ruleset
 * @param {string} language
 */
export function citizenshipQuestion(widgetId, words, name, ruleset, language) {
  const hint = prompt(ruleset, 'citizenship_hint', language);
  const fieldset = createElement('fieldset', hint ? { class: 'dg-fieldset dg-cit', 'aria-describedby': widgetId + '-cit-hint' } : { class: 'dg-fieldset dg-cit' }, [
    createElement('legend', { class: 'dg-legend', text: words.cit }),
  ]);
  if (hint) fieldset.append(createElement('p', { class: 'dg-hint', id: widgetId + '-cit-hint', lang: hint.lang, text: hint.text }));
  CITIZENSHIP_ANSWERS.forEach((answer) => {
    const id = widgetId + '-c-' + answer;
    fieldset.append(createElement('div', { class: 'dg-row' }, [
      createElement('input', { type: 'radio', id, name, value: answer, 'data-dg-field': 'donor.citizenship' }),
      createElement('label', { for: id, text: words[answer] }),
    ]));
  });
  return fieldset;
}

/**
 * The U.S. passport field, hidden until the engine asks about a passport.
 * @param {string} widgetId
 * @param {import('./messages.mjs').UiWords} words
 * @param {HTMLFormElement} form
 * @param {import('./engine.mjs').Ruleset} ruleset
 * @param {string} language
 */
export function passportField(widgetId, words, form, ruleset, language) {
  const id = widgetId + '-passport';
  const hint = prompt(ruleset, 'passport_hint', language);
  /** @type {Record<string, string>} */
  const attributes = {
    class: 'dg-input', id, name: form.elements.namedItem('passport_number') ? id : 'passport_number', type: 'text',
    autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: '20',
    'data-dg-field': 'donor.passport.number',
  };
  if (hint) attributes['aria-describedby'] = id + '-hint';
  return createElement('div', { class: 'dg-field', hidden: true }, [
    createElement('label', { for: id, text: words.pp }),
    ...(hint ? [createElement('p', { class: 'dg-hint', id: id + '-hint', lang: hint.lang, text: hint.text })] : []),
    createElement('input', attributes),
  ]);
}

/**
 * The statements ("contribution rules"): one checkbox per attestation, posting as
 * `attestations[]`. The card statement's row starts hidden (it shows when the method is card).
 * @param {string} widgetId
 * @param {import('./messages.mjs').UiWords} words
 * @param {string} language
 * @param {import('./engine.mjs').Attestation[]} attestations
 * @returns {{ fieldset: HTMLElement, rows: { attestation: import('./engine.mjs').Attestation, wrapper: HTMLElement, row: HTMLElement, checkbox: HTMLInputElement }[] }}
 */
export function attestationsFieldset(widgetId, words, language, attestations) {
  const fieldset = createElement('fieldset', { class: 'dg-fieldset dg-attest' }, [
    createElement('legend', { class: 'dg-legend', text: words.rules }),
    createElement('p', { class: 'dg-hint', text: words.rulesHint }),
  ]);
  const rows = attestations.map((attestation) => {
    const id = widgetId + '-a-' + attestation.id;
    const translation = language !== 'en' && (attestation.texts || {})[language];
    const label = createElement('label', { for: id }, translation ?
      [createElement('span', { lang: language, text: translation }), createElement('span', { class: 'dg-orig', lang: 'en', text: attestation.text })] :
      [createElement('span', { lang: 'en', text: attestation.text })]);
    const checkbox = /** @type {HTMLInputElement} */ (createElement('input', { type: 'checkbox', id, name: 'attestations[]', value: attestation.id, 'data-dg-field': 'attestations.' + attestation.id }));
    const row = createElement('div', { class: 'dg-row' }, [checkbox, label]);
    const wrapper = createElement('div', { class: 'dg-att', 'data-dg-attestation': attestation.id, hidden: attestation.required === 'card' }, [row]);
    fieldset.append(wrapper);
    return { attestation, wrapper, row, checkbox };
  });
  return { fieldset, rows };
}

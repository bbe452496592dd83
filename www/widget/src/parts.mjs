// What the widget adds to a form that lacks it: the citizenship question, the U.S. passport
// field (shown only while the engine asks about a passport), and the statements the donor
// confirms (the ruleset's attestations, with a Spanish translation above each when it has one).
import { createElement } from './dom.mjs';
import { CITIZENSHIP_ANSWERS, SPANISH_ATTESTATIONS } from './messages.mjs';

/**
 * The citizenship question: a fieldset of radio buttons posting as `name`.
 * @param {string} widgetId
 * @param {import('./messages.mjs').UiWords} words
 * @param {string} name
 */
export function citizenshipQuestion(widgetId, words, name) {
  const fieldset = createElement('fieldset', { class: 'dg-fieldset dg-cit', 'aria-describedby': widgetId + '-cit-hint' }, [
    createElement('legend', { class: 'dg-legend', text: words.cit }),
    createElement('p', { class: 'dg-hint', id: widgetId + '-cit-hint', text: words.citHint }),
  ]);
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
 */
export function passportField(widgetId, words, form) {
  const id = widgetId + '-passport';
  return createElement('div', { class: 'dg-field', hidden: true }, [
    createElement('label', { for: id, text: words.pp }),
    createElement('p', { class: 'dg-hint', id: id + '-hint', text: words.ppHint }),
    createElement('input', {
      class: 'dg-input', id, name: form.elements.namedItem('passport_number') ? id : 'passport_number', type: 'text',
      autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: '20',
      'aria-describedby': id + '-hint', 'data-dg-field': 'donor.passport.number',
    }),
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
    const translation = language === 'es' && SPANISH_ATTESTATIONS[attestation.text];
    const label = createElement('label', { for: id }, translation ?
      [createElement('span', { lang: 'es', text: translation }), createElement('span', { class: 'dg-orig', lang: 'en', text: attestation.text })] :
      [createElement('span', { lang: 'en', text: attestation.text })]);
    const checkbox = /** @type {HTMLInputElement} */ (createElement('input', { type: 'checkbox', id, name: 'attestations[]', value: attestation.id, 'data-dg-field': 'attestations.' + attestation.id }));
    const row = createElement('div', { class: 'dg-row' }, [checkbox, label]);
    const wrapper = createElement('div', { class: 'dg-att', 'data-dg-attestation': attestation.id, hidden: attestation.required === 'card' }, [row]);
    fieldset.append(wrapper);
    return { attestation, wrapper, row, checkbox };
  });
  return { fieldset, rows };
}

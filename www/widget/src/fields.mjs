// Describes the form's controls as the page shows them, for the engine's mapForm: name, type,
// autocomplete, label texts, the group's legend, placeholder, options. The engine maps them (in
// English and Spanish) and reads the form (readForm); the widget holds no table of field names.
// Lookups keyed by the page's field names are Maps, never plain objects ("constructor",
// "__proto__").
import { squish, textOf } from './dom.mjs';

/**
 * A control of the page's form (what `form.elements` holds that has a name and a value).
 * @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Control
 */
/**
 * What the engine's mapForm reads of one named control (a radio group is one).
 * @typedef {{
 *   name: string, type: string, autocomplete: string, labels: string[], legend: string,
 *   placeholder: string, options: { value: string, text: string }[], path: string | null
 * }} ControlDescriptor
 */
/**
 * A named control and its elements (several for a radio group).
 * @typedef {{ elements: Control[], descriptor: ControlDescriptor }} ControlGroup
 */

const SKIPPED_TYPES = /^(submit|button|reset|image|file|password)$/;
const SKIPPED_TAGS = /^(FIELDSET|OBJECT|OUTPUT|BUTTON)$/;

/**
 * A label's own words, without the text of the controls inside it (a select's options).
 * @param {Element} label
 */
export function labelText(label) {
  if (!label.querySelector('select,textarea,input,button')) return textOf(label);
  const copy = /** @type {Element} */ (label.cloneNode(true));
  copy.querySelectorAll('select,textarea,input,button,[data-dg-own]').forEach((inner) => inner.remove());
  return textOf(copy);
}

/** The texts of the elements an `aria-labelledby` names. */
const textOfIds = (/** @type {string | null} */ ids) =>
  squish(ids).split(' ').filter(Boolean).map((id) => textOf(document.getElementById(id))).filter(Boolean).join(' ');

/**
 * A control's label texts: its `<label>`s, `aria-label`, `aria-labelledby`.
 * @param {Element} element
 * @returns {string[]}
 */
export function labelsOf(element) {
  const out = [];
  for (const label of /** @type {Partial<Control>} */ (element).labels || []) {
    const text = labelText(label);
    if (text) out.push(text);
  }
  const ariaLabel = squish(element.getAttribute('aria-label'));
  if (ariaLabel) out.push(ariaLabel);
  const labelledBy = textOfIds(element.getAttribute('aria-labelledby'));
  if (labelledBy) out.push(labelledBy);
  return out;
}

/**
 * The nearest group's name: a fieldset's legend or a radiogroup's label, whichever is closer.
 * @param {Element} element
 * @returns {string}
 */
function legendOf(element) {
  const group = element.closest('fieldset,[role=radiogroup],[role=group]');
  if (!group) return '';
  if (group.tagName === 'FIELDSET') {
    const legend = [...group.children].find((child) => child.tagName === 'LEGEND');
    return legend ? labelText(legend) : legendOf(group.parentElement || group);
  }
  return squish(group.getAttribute('aria-label')) || textOfIds(group.getAttribute('aria-labelledby')) || legendOf(group.parentElement || group);
}

/**
 * A radio group's own question when it is not a legend: a `<label for>` naming the group
 * (CiviCRM's label for="custom_12"), or a label for no control in the group's wrapper.
 * @param {Control} element
 * @param {HTMLFormElement} form
 */
function groupLabel(element, form) {
  const name = element.name;
  const forName = [...form.querySelectorAll('label[for]')].find((label) => /** @type {HTMLLabelElement} */ (label).htmlFor === name && !(/** @type {HTMLLabelElement} */ (label).control));
  if (forName) return labelText(forName);
  const group = [...form.elements].filter((other) => /** @type {Control} */ (other).name === name);
  let box = element.parentElement;
  for (let depth = 0; box && box !== form && depth < 5; depth++, box = box.parentElement) {
    const wrapper = box;
    if (!group.every((other) => wrapper.contains(other))) continue;
    const label = [...wrapper.querySelectorAll('label')].find((candidate) => !candidate.control && !candidate.closest('[data-dg-own]'));
    if (label) return labelText(label);
    if (wrapper.matches('fieldset,[role=radiogroup],[role=group]')) break;
  }
  return '';
}

/**
 * One descriptor per name (a radio group is one control), with its elements, in form order.
 * The widget's own controls (`[data-dg-own]`, its response field among them) and buttons, files
 * and passwords are left out; the page's hidden inputs are described by name only.
 * @param {HTMLFormElement} form
 * @returns {Map<string, ControlGroup>}
 */
export function describeControls(form) {
  /** @type {Map<string, ControlGroup>} */
  const groups = new Map();
  for (const formElement of form.elements) {
    const element = /** @type {Control} */ (formElement);
    const name = element.name == null ? '' : String(element.name);
    if (!name || !element.type || element.closest('[data-dg-own]') || SKIPPED_TYPES.test(element.type) || SKIPPED_TAGS.test(element.tagName)) continue;
    const radio = element.type === 'radio', checkbox = element.type === 'checkbox';
    let group = groups.get(name);
    if (!group && element.type === 'hidden') {
      // The page's own hidden inputs (the one its amount buttons write): the engine maps one by
      // its name only, so the donor never reads it and nothing else of it is described.
      group = { elements: [], descriptor: { name, type: 'hidden', autocomplete: '', labels: [], legend: '', placeholder: '', options: [], path: element.getAttribute('data-dg-field') || null } };
      groups.set(name, group);
    }
    if (!group) {
      const type = element.tagName === 'SELECT' ? 'select' : element.tagName === 'TEXTAREA' ? 'textarea' : String(element.type);
      group = {
        elements: [],
        descriptor: {
          name, type, autocomplete: squish(element.getAttribute('autocomplete')), labels: radio ? [] : labelsOf(element),
          legend: (radio && groupLabel(element, form)) || legendOf(element), placeholder: squish(element.getAttribute('placeholder')),
          options: [], path: element.getAttribute('data-dg-field') || null,
        },
      };
      groups.set(name, group);
    }
    group.elements.push(element);
    if (radio || checkbox) group.descriptor.options.push({ value: String(element.value), text: labelsOf(element).join(' ') });
    else if (element.tagName === 'SELECT') {
      for (const option of /** @type {HTMLSelectElement} */ (element).options) group.descriptor.options.push({ value: String(option.value), text: textOf(option) });
    }
  }
  return groups;
}

/**
 * The descriptors alone, for mapForm.
 * @param {Map<string, ControlGroup>} groups
 */
export const descriptorsOf = (groups) => [...groups.values()].map((group) => group.descriptor);

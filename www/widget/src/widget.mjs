// One widget on one form: it watches the form's controls, has the engine map and read them,
// checks on every change, shows each finding beside its field, blocks a submit on a reject, and
// writes the verdict into the hidden response field. Whatever goes wrong on the widget's side
// (no engine, a form it cannot map, a value the engine cannot read) never blocks the donor.
import { createElement, isChoice, perf, resolveCallback, squish, textOf, whenDomReady } from './dom.mjs';
import { engine, forgetRuleset, loadEngine, rulesetOf } from './engine.mjs';
import { describeControls, descriptorsOf, labelsOf } from './fields.mjs';
import { reportMapping } from './mapping-report.mjs';
import { UI_WORDS } from './messages.mjs';
import { attestationsFieldset, citizenshipQuestion, passportField } from './parts.mjs';
import { afterPointerUp, isPointerDown } from './pointer.mjs';
import { responseField, unavailableResponse, verdictResponse } from './response.mjs';
import { addStyles } from './styles.mjs';
import { removeSummary, updateSummary } from './summary.mjs';

/**
 * @typedef {import('./fields.mjs').Control} Control
 * @typedef {import('./engine.mjs').Engine} Engine
 * @typedef {import('./engine.mjs').FieldMap} FieldMap
 * @typedef {import('./engine.mjs').FormMapping} FormMapping
 * @typedef {import('./engine.mjs').Ruleset} Ruleset
 * @typedef {import('./engine.mjs').Submission} Submission
 * @typedef {import('./engine.mjs').Verdict} Verdict
 * @typedef {import('./engine.mjs').Finding} Finding
 */
/**
 * Options of `render()`, the same as the form's data-* attributes (README, "Options").
 * @typedef {{
 *   recipientType?: string, election?: string, language?: string, lang?: string,
 *   callback?: unknown, errorCallback?: unknown, responseFieldName?: string,
 *   citizenship?: string, method?: string, country?: string, ruleset?: string,
 *   rulesetUrl?: string, debug?: unknown, mount?: Element,
 *   history?: unknown, debounce?: number, [option: string]: unknown
 * }} WidgetOptions
 */
/**
 * A submission path and the controls that feed it, with the element its message goes in.
 * `own` is a control the widget added; `placed` a message whose place the site chose.
 * @typedef {{
 *   elements: Control[], message: HTMLElement, own: boolean, placed: boolean,
 *   label?: string, names?: string[], used?: string
 * }} FieldLink
 */

export const EVENT_PREFIX = 'donation-guard:';
const DEFAULT_RESPONSE_FIELD = 'donation-guard-response';

/** Counts the ids the widgets make (widget ids, message ids, field ids). */
let sequence = 0;
/** The first widget's setup sets the performance mark `donation-guard:interactive`. */
let interactiveMarked = false;

/** Every widget by its form. @type {Map<HTMLFormElement, Widget>} */
export const widgetsByForm = new Map();
/** Every widget by its id. @type {Map<string, Widget>} */
export const widgetsById = new Map();

export class Widget {
  /**
   * @param {HTMLFormElement} form
   * @param {WidgetOptions} [options]
   */
  constructor(form, options) {
    this.id = 'dg-' + ++sequence;
    this.form = form;
    /** @type {WidgetOptions & { recipientType: string, citizenship: string, responseFieldName: string }} */
    this.options = Object.assign({ recipientType: 'candidate', citizenship: 'ask', responseFieldName: DEFAULT_RESPONSE_FIELD }, options);
    const language = String(this.options.language || this.options.lang || /** @type {HTMLElement} */ (form.closest('[lang]') || {}).lang || 'en').toLowerCase().slice(0, 2);
    this.language = UI_WORDS[language] ? language : 'en';
    this.words = UI_WORDS[this.language];
    this.debug = this.options.debug != null && this.options.debug !== false && this.options.debug !== 'false';
    /** Submission path → its controls and message. @type {Map<string, FieldLink>} */
    this.fields = new Map();
    /** Control → its submission path. @type {WeakMap<Element, string>} */
    this.pathOf = new WeakMap();
    /** Attestation id → its row (hidden while it does not apply). @type {Map<string, HTMLElement>} */
    this.attestationRows = new Map();
    /** The paths the donor has changed. @type {Set<string>} */
    this.touched = new Set();
    /** The nodes the widget inserted. @type {Element[]} */
    this.added = [];
    /** The ARIA the widget changed: [element, attribute, original value]. @type {[Element, string, string | null][]} */
    this.savedAria = [];
    /** The data-debug tags. @type {HTMLElement[]} */
    this.debugTags = [];
    /** The site's slots for parts (data-dg-slot) → the block in each. @type {Map<Element, HTMLElement> | null} */
    this.slots = null;
    this.submitted = false;
    /** The last verdict. @type {Verdict | null} */
    this.verdict = null;
    /** What the last verdict event was for. */
    this.verdictKey = '';
    /** The engine's map of the form. @type {FormMapping | null} */
    this.mapping = null;
    /** The descriptors the mapping was made from, as JSON. */
    this.mappingKey = '';
    /** @type {string | null} */
    this.reportedKey = null;
    this.errorKey = '';
    /** The map the last submission was read with. @type {FieldMap | null} */
    this.lastMap = null;
    /** The findings shown (those of mapped parts). @type {Finding[] | null} */
    this.shownFindings = null;
    this.blocking = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** How many controls the form had when it was mapped. */
    this.controlCount = 0;
    /** @type {Ruleset | null} */
    this.ruleset = null;
    /** @type {HTMLElement | null} */
    this.passportField = null;
    this.initialized = false;
    /** A submit made before the engine was ready: its submitter, to submit again. @type {HTMLElement | true | null} */
    this.heldSubmit = null;
    /** Why the widget stands aside (then it never blocks). @type {string | null} */
    this.unavailableReason = null;
    /** @type {import('./engine.mjs').EngineError | null} */
    this.rulesetError = null;
    this.removed = false;
    /** Rendered by the script tag on its own (an explicit render replaces it). */
    this.automatic = false;
    /** @type {HTMLElement | null} */
    this.summaryElement = null;
    /** @type {string | null} */
    this.summaryKey = null;
    this.readyMarked = false;
    /** @type {HTMLElement} */
    this.block = /** @type {any} */ (null);
    /** @type {HTMLElement} */
    this.generalMessage = /** @type {any} */ (null);
    this.listener = (/** @type {Event} */ event) => this.onEvent(event);
    widgetsByForm.set(form, this);
    widgetsById.set(this.id, this);
    addStyles();
    // The hidden field, at once: a submit before anything else still carries it.
    const response = responseField(form, this.options.responseFieldName);
    this.responseField = response.field;
    if (response.added) this.added.push(response.added);
    whenDomReady().then(() => this.setup());
  }

  setup() {
    if (!widgetsById.has(this.id)) return;
    const form = this.form;
    ['input', 'change', 'focusout', 'click'].forEach((type) => form.addEventListener(type, this.listener));
    form.addEventListener('reset', this.listener);
    // What the form lacks goes into one block: in <donation-guard> or [data-dg-slot=""] when the
    // site placed one, else just before the submit button. A part can have its own place:
    // data-dg-slot="citizenship", "passport" or "attestations" (or several, space-separated).
    const mount = this.options.mount || form.querySelector('donation-guard,[data-dg-slot=""]');
    this.block = createElement('div', { class: 'dg-block', 'data-dg-own': true });
    if (mount) { mount.append(this.block); } else {
      /** @type {Node | null} */
      let at = form.querySelector('button:not([type]),button[type=submit],input[type=submit]');
      while (at && at.parentNode !== form) at = at.parentNode;
      form.insertBefore(this.block, at || null);
    }
    this.added.push(this.block);
    this.generalMessage = createElement('div', { class: 'dg-msg', id: this.id + '-general', 'aria-live': 'polite', hidden: true });
    this.block.append(this.generalMessage);
    if (perf.mark && !interactiveMarked) { interactiveMarked = true; perf.mark('donation-guard:interactive'); }
    loadEngine().then(() => this.loadRuleset()).then(() => this.init(), (reason) => this.unavailable(reason));
  }

  // data-ruleset-url: a committee's own ruleset (its wording, its languages), fetched and
  // validated by the engine (loadRuleset), then named by every submission. A ruleset that does
  // not load is the widget's failure: the form submits and the server checks alone.
  async loadRuleset() {
    const url = this.options.rulesetUrl;
    if (!url) return;
    /** @type {{ id?: string, error?: import('./engine.mjs').EngineError } | null} */
    let answer;
    try {
      const response = await fetch(new URL(url, location.href).href, { credentials: 'same-origin' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      answer = /** @type {Engine} */ (engine).loadRuleset(await response.text());
    } catch (error) { answer = { error: { code: 'load_failed', message: String((error && /** @type {Error} */ (error).message) || error) } }; }
    if (!answer || answer.error || !answer.id) {
      console.warn('[donation-guard] the ruleset at ' + url + ' could not be loaded; the form submits without the browser check.', answer && answer.error);
      this.rulesetError = (answer && answer.error) || { code: 'load_failed' };
      throw 'ruleset_failed';
    }
    forgetRuleset(answer.id);
    this.options.ruleset = answer.id;
  }

  // Called once the engine is ready: the engine maps the form, then what needs the ruleset.
  init() {
    if (!widgetsById.has(this.id) || this.ruleset) return;
    const words = this.words, form = this.form;
    try {
      const running = /** @type {Engine} */ (engine);
      if (typeof running.mapForm !== 'function' || typeof running.readForm !== 'function') throw new Error('an engine without mapForm/readForm');
      this.ruleset = rulesetOf(this.options.ruleset);
      if (!this.ruleset || this.ruleset.error) throw new Error('ruleset: ' + JSON.stringify(this.ruleset && this.ruleset.error));
      this.map();
    } catch (error) { console.error(error); this.unavailable('engine_error'); return; }
    if (!this.mapping) return;
    if (this.options.citizenship !== 'off' && !this.fields.has('donor.citizenship')) {
      const name = form.elements.namedItem('citizenship') ? this.id + '-citizenship' : 'citizenship';
      const question = citizenshipQuestion(this.id, words, name, this.ruleset, this.language);
      this.part('citizenship').append(question);
      this.own('donor.citizenship', /** @type {HTMLInputElement[]} */ ([...question.querySelectorAll('input')]), question);
    }
    if (!this.fields.has('donor.passport.number')) {
      this.passportField = passportField(this.id, words, form, this.ruleset, this.language);
      this.part('passport', this.passportField);
      const input = /** @type {HTMLInputElement} */ (this.passportField.querySelector('input'));
      this.own('donor.passport.number', [input], input);
    }
    const attestations = this.ruleset.attestations || [];
    if (attestations.length) {
      const { fieldset, rows } = attestationsFieldset(this.id, words, this.language, attestations);
      rows.forEach(({ attestation, wrapper, row, checkbox }) => {
        this.attestationRows.set(attestation.id, wrapper);
        this.own('attestations.' + attestation.id, [checkbox], row);
      });
      this.part('attestations', fieldset);
    }
    this.initialized = true;
    reportMapping(this);
    this.validate();
    if (this.heldSubmit) { const submitter = this.heldSubmit; this.heldSubmit = null; this.resubmit(submitter); }
  }

  /**
   * The block for one part of what the widget adds: the site's slot for it, else the main block.
   * @param {string} name
   * @param {HTMLElement} [node] appended to it
   */
  part(name, node) {
    const slot = this.form.querySelector('[data-dg-slot~="' + name + '"]');
    let block = this.block;
    if (slot) {
      const slots = this.slots || (this.slots = new Map());
      let own = slots.get(slot);
      if (!own) {
        own = createElement('div', { class: 'dg-block', 'data-dg-own': true });
        slot.append(own);
        slots.set(slot, own);
        this.added.push(own);
      }
      block = own;
    }
    if (node) block.insertBefore(node, block === this.block ? this.generalMessage : null);
    return block;
  }

  /**
   * Tells the site's developer: the `donation-guard:error` event and `errorCallback`.
   * @param {Record<string, unknown>} detail
   */
  fail(detail) {
    this.form.dispatchEvent(new CustomEvent(EVENT_PREFIX + 'error', { detail, bubbles: true }));
    const callback = resolveCallback(this.options.errorCallback);
    if (callback) try { callback(detail); } catch (error) { console.error(error); }
  }

  /** The widget stands aside: the form submits and the server checks alone. @param {unknown} reason */
  unavailable(reason) {
    if (this.removed) return;
    this.unavailableReason = /** @type {string} */ (reason) || 'load_failed';
    this.setResponse(unavailableResponse(this.unavailableReason));
    this.fail(Object.assign({ code: 'unavailable', reason: this.unavailableReason }, this.rulesetError ? { error: this.rulesetError } : {}));
    if (this.heldSubmit) { const submitter = this.heldSubmit; this.heldSubmit = null; this.resubmit(submitter); }
  }

  /** @param {string} value */
  setResponse(value) { this.responseField.value = value; }

  // The site's own fields, mapped by the engine; re-mapped when the form's controls change.
  map() {
    const running = /** @type {Engine} */ (engine);
    const groups = describeControls(this.form);
    this.controlCount = this.form.elements.length;
    const descriptors = descriptorsOf(groups);
    const key = JSON.stringify(descriptors);
    if (key === this.mappingKey && this.mapping) return;
    const mapping = running.mapForm(descriptors);
    if (!mapping || mapping.error || !mapping.map) {
      console.error('[donation-guard] the engine could not map this form', mapping && mapping.error);
      this.mapping = null;
      this.unavailable('engine_error');
      return;
    }
    this.mappingKey = key;
    this.mapping = mapping;
    const elementsOf = (/** @type {string[]} */ names) => names.flatMap((name) => (groups.get(name) || { elements: [] }).elements);
    const wanted = new Map(mapping.fields.map((field) => [field.path, field]));
    for (const [path, link] of [...this.fields]) if (!link.own && !wanted.has(path)) { this.unlink(link); this.fields.delete(path); }
    for (const field of mapping.fields) {
      const elements = elementsOf(field.names);
      const link = this.fields.get(field.path);
      if (link && link.own) continue;
      if (!(link && link.elements.length === elements.length && link.elements.every((element, i) => element === elements[i]))) {
        if (link) this.unlink(link);
        this.link(field.path, elements, false);
      }
      Object.assign(/** @type {FieldLink} */ (this.fields.get(field.path)), { label: field.label, names: field.names });
    }
    if (this.initialized) reportMapping(this);
  }

  /**
   * Links a control the widget added to its path; its message goes after `after`.
   * @param {string} path
   * @param {Control[]} elements
   * @param {Element} after
   */
  own(path, elements, after) { this.link(path, elements, true, after); }

  /**
   * Links controls to a submission path: a message element for it (the site's
   * `data-dg-message-for`, else one after the control), named by each control's aria-describedby.
   * @param {string} path
   * @param {Control[]} elements
   * @param {boolean} own
   * @param {Element} [after]
   */
  link(path, elements, own, after) {
    const messageId = this.id + '-m-' + ++sequence;
    /** @type {HTMLElement | undefined} */
    let message = /** @type {HTMLElement[]} */ ([...this.form.querySelectorAll('[data-dg-message-for]')]).find((x) => x.getAttribute('data-dg-message-for') === path);
    if (message) { message.id = message.id || messageId; message.classList.add('dg-msg'); } else {
      message = createElement('div', { class: 'dg-msg', id: messageId, 'aria-live': 'polite' });
      (after || this.anchor(elements, elements[0])).after(message);
      if (!own) this.added.push(message);
    }
    const messageElement = message;
    elements.forEach((element) => {
      if (!element.id) { element.id = this.id + '-f-' + (++sequence); }
      this.pathOf.set(element, path);
      const describedBy = element.getAttribute('aria-describedby');
      this.savedAria.push([element, 'aria-describedby', describedBy], [element, 'aria-invalid', element.getAttribute('aria-invalid')]);
      element.setAttribute('aria-describedby', (describedBy ? describedBy + ' ' : '') + messageElement.id);
    });
    this.fields.set(path, { elements, message: messageElement, own, placed: !!after || messageElement.hasAttribute('data-dg-message-for') });
  }

  /** Takes away a link's message when the widget made it. @param {FieldLink} link */
  unlink(link) {
    if (!link.own && link.message.parentNode && link.message.matches('div.dg-msg:not([data-dg-message-for])')) link.message.remove();
  }

  /**
   * Where a message goes for the control `element` of a field: after a text box (or its
   * label), after a radio group's fieldset.
   * @param {Control[]} elements
   * @param {Control | undefined} element
   * @returns {Element}
   */
  anchor(elements, element) {
    if (!element) return this.generalMessage;
    if (isChoice(element)) {
      const group = elements.filter((other) => other.name === element.name);
      const holdsOnlyGroup = (/** @type {Element} */ box) => /** @type {Control[]} */ ([...box.querySelectorAll('input,select,textarea')])
        .every((control) => group.includes(control) || control.type === 'hidden' || control.closest('[data-dg-own]'));
      // The group's own box (fieldset, radiogroup, or the nearest wrapper of all its
      // choices), as long as it holds nothing else.
      /** @type {Element | null} */
      let box = element.closest('fieldset,[role=radiogroup],[role=group]');
      const outer = box;
      if (!(outer && group.every((other) => outer.contains(other)) && holdsOnlyGroup(outer))) {
        box = element.parentElement;
        while (box && box !== this.form && !group.every((other) => /** @type {Element} */ (box).contains(other))) box = box.parentElement;
      }
      if (group.length > 1 && box && box !== this.form && holdsOnlyGroup(box)) return box;
      const last = group[group.length - 1] || element;
      return last.closest('label') || (last.labels && last.labels[0] && last.compareDocumentPosition(last.labels[0]) & 4 ? last.labels[0] : last);
    }
    return element.closest('label') || element;
  }

  /**
   * The message of a field with several controls (an amount's radios and its "other" box) shows
   * beside the one the donor used: a filled box, else the chosen radio's group.
   * @param {FieldLink} link
   */
  place(link) {
    if (link.own || link.placed || link.elements.length < 2) return;
    const box = link.elements.filter((e) => !isChoice(e) && e.tagName !== 'SELECT' && String(e.value).trim()).pop();
    const at = this.anchor(link.elements, box || link.elements.find((e) => isChoice(e) && /** @type {HTMLInputElement} */ (e).checked) || link.elements[0]);
    // Named by the box's own label when the message stands beside that box.
    link.used = box ? squish(labelsOf(box)[0] || '') : '';
    if (at !== link.message && link.message.previousElementSibling !== at) at.after(link.message);
  }

  /** input, change, focusout, click and reset on the form. @param {Event} event */
  onEvent(event) {
    if (event.type === 'reset') { setTimeout(() => this.reset(true)); return; }
    const element = /** @type {Element | null} */ (event.target);
    if (!element || !element.getAttribute || (this.summaryElement && this.summaryElement.contains(element))) return;
    // A page's own button (a preset amount) may write a hidden input, which fires no event: check
    // again after its click. Other clicks change nothing.
    if (event.type === 'click' && !element.closest('button[type=button],[role=button]')) return;
    const path = this.pathOf.get(element);
    if (event.type === 'change' && path) this.touched.add(path);
    clearTimeout(this.timer);
    // A message that appears while the donor's pointer is down (the blur of a mousedown) would
    // move what they are clicking: show it once the click is over.
    const delay = event.type === 'input' ? (this.options.debounce == null ? 120 : this.options.debounce) : isPointerDown() ? -1 : 0;
    if (delay < 0) afterPointerUp(this);
    else if (delay) this.timer = setTimeout(() => this.validate(), delay);
    else this.validate();
  }

  /**
   * The whole field map: the engine's, plus what the widget adds or the page fixes. A
   * null-prototype object: its keys are paths, its values field names.
   * @returns {FieldMap}
   */
  fullMap() {
    /** @type {FieldMap} */
    const map = Object.assign(Object.create(null), this.mapping ? this.mapping.map : null);
    const fixed = (/** @type {string} */ path, /** @type {unknown} */ value) => { if (!(path in map) && value != null && value !== '') map[path] = { value: String(value) }; };
    for (const [path, link] of this.fields) if (link.own && !path.startsWith('attestations.') && link.elements[0]) map[path] = link.elements[0].name;
    const options = this.options;
    fixed('ruleset', options.ruleset);
    fixed('recipient.type', options.recipientType);
    const recipientType = map['recipient.type'];
    if (recipientType && recipientType.value === 'candidate') fixed('recipient.election', options.election);
    fixed('donor.address.country', options.country || 'US');
    if (options.method !== 'none') fixed('contribution.method', options.method || 'card');
    if (this.passportField && this.passportField.hidden) delete map['donor.passport.number'];
    const passport = this.fields.get('donor.passport.number');
    if ('donor.passport.number' in map && passport && passport.elements.some((e) => String(e.value).trim())) fixed('donor.passport.country', 'US');
    if (this.ruleset) {
      map['attestations.version'] = { value: this.ruleset.attestation_digest };
      (this.ruleset.attestations || []).forEach((a) => { if (this.fields.has('attestations.' + a.id)) map['attestations.affirmed.' + a.id] = 'attestations[]'; });
      if (this.language !== 'en' && (this.ruleset.languages || []).includes(this.language)) fixed('language', this.language);
    }
    return map;
  }

  /**
   * The posted name/value pairs the map reads (nothing else leaves the page's DOM).
   * @param {FieldMap} map
   * @returns {[string, string][]}
   */
  pairs(map) {
    /** @type {Set<string>} */
    const names = new Set();
    const add = (/** @type {any} */ name) => { if (typeof name === 'string') names.add(name); else if (name && typeof name.name === 'string') names.add(name.name); };
    for (const path in map) { const value = map[path]; if (Array.isArray(value)) value.forEach(add); else add(value); }
    /** @type {[string, string][]} */
    const out = [];
    for (const [name, value] of new FormData(this.form)) if (typeof value === 'string' && names.has(name)) out.push([name, value]);
    return out;
  }

  /** The submission the engine reads from the form (null while the widget cannot). @returns {Submission | null} */
  submission() {
    if (!engine || !this.mapping || this.unavailableReason) return null;
    const running = engine;
    if (this.form.elements.length !== this.controlCount) this.map();
    const map = this.fullMap();
    let submission = running.readForm(this.pairs(map), map);
    // The card statement counts only when the method is card.
    const ruleset = this.ruleset;
    if (submission && !submission.error && ruleset && !(submission.contribution && submission.contribution.method === 'card')) {
      const card = (ruleset.attestations || []).filter((a) => a.required === 'card' && ('attestations.affirmed.' + a.id) in map);
      // Read again only when the engine read a card statement as affirmed: a mapping that
      // affirmed nothing changes nothing when dropped (and the first check stays one call).
      const affirmed = (submission.attestations && submission.attestations.affirmed) || [];
      if (card.some((a) => affirmed.includes(a.id))) {
        card.forEach((a) => delete map['attestations.affirmed.' + a.id]);
        submission = running.readForm(this.pairs(map), map);
      }
    }
    this.lastMap = map;
    if (submission && !submission.error && this.options.history) submission.history = this.options.history;
    return submission;
  }

  /** Required paths nothing maps: the engine's list, less what the widget supplies. @returns {string[]} */
  missing() {
    const map = this.lastMap || this.fullMap();
    return this.mapping ? this.mapping.missing.filter((path) => !(path in map)) : [];
  }

  /**
   * Checks the form as it stands and shows the result.
   * @param {number} [depth] 1 when checking again after the passport field appeared or went
   * @returns {Verdict | null}
   */
  validate(depth) {
    if (!engine || this.unavailableReason || !this.ruleset || this.removed || !this.mapping) return this.verdict;
    const running = engine, ruleset = this.ruleset;
    clearTimeout(this.timer);
    const start = perf.now();
    /** @type {Submission | null} */
    let submission = null;
    /** @type {(Verdict | Submission) | null} */
    let result;
    try {
      submission = this.submission();
      result = submission && !submission.error ? running.check(submission) : submission;
    } catch (error) { console.error(error); result = { error: { code: 'engine_error', message: String(error && /** @type {Error} */ (error).message) } }; }
    if (!result || result.error || !submission) {
      // Not a submission (a field over the engine's size limit), or the engine could not run
      // on this page (a patched String.prototype.normalize): never block; the server checks.
      const error = (result && result.error) || { code: 'engine_error' };
      const reason = /^(too_large|invalid_json)$/.test(error.code) ? 'invalid_submission' : 'engine_error';
      this.verdict = null; this.verdictKey = ''; this.blocking = false;
      this.setResponse(unavailableResponse(reason));
      const key = reason + error.code + error.message;
      if (key !== this.errorKey) {
        this.errorKey = key;
        console.warn('[donation-guard] no browser check for this state of the form (' + reason + '): ' + (error.message || error.code) + '. The form submits; the server checks alone.');
        this.fail({ code: 'unavailable', reason, error });
      }
      return null;
    }
    const verdict = /** @type {Verdict} */ (result);
    this.errorKey = '';
    // The card statement shows when the method is card; the passport field when the engine
    // asks about the passport (a foreign address).
    const card = !!(submission.contribution && submission.contribution.method === 'card');
    (ruleset.attestations || []).forEach((a) => { const row = this.attestationRows.get(a.id); if (a.required === 'card' && row) row.hidden = !card; });
    if (this.passportField) {
      const wanted = verdict.findings.some((f) => f.field.startsWith('donor.passport.'));
      if (wanted === this.passportField.hidden) {
        this.passportField.hidden = !wanted;
        if (!depth) return this.validate(1);
      }
    }
    this.apply(verdict);
    if (perf.measure) perf.measure('donation-guard:validate', { start, end: perf.now() });
    if (!this.readyMarked) { this.readyMarked = true; if (perf.mark) perf.mark('donation-guard:ready'); }
    return verdict;
  }

  /**
   * Shows a verdict: each field's message, the general message, the summary, the hidden field,
   * and the verdict event when it changed.
   * @param {Verdict} verdict
   */
  apply(verdict) {
    this.verdict = verdict;
    // A required part nobody maps is the widget's failure, not the donor's: its findings are
    // left to the server.
    const missing = new Set(this.missing());
    const findings = verdict.findings.filter((f) => !missing.has(f.field));
    this.shownFindings = findings;
    const unplaced = findings.filter((f) => {
      const link = this.fields.get(f.field);
      return !link || link.elements.every((e) => e.closest('[hidden]'));
    });
    for (const [path, link] of this.fields) {
      const show = this.submitted || this.touched.has(path);
      // One message per field: the engine sorts the worst first (passport_invalid before
      // us_passport_required, which says the same less precisely).
      const shown = show ? findings.filter((f) => f.field === path).slice(0, 1) : [];
      const worst = shown.length ? shown[0].severity : '';
      this.place(link);
      const label = link.own ? '' : link.used || this.label(path);
      link.message.textContent = shown.map((f) => (label ? label + ': ' : '') + f.message).join(' ');
      link.message.classList.toggle('dg-review', worst === 'review');
      link.message.classList.toggle('dg-info', worst === 'info');
      link.elements.forEach((element) => {
        if (worst === 'reject') element.setAttribute('aria-invalid', 'true'); else element.removeAttribute('aria-invalid');
        element.classList.toggle('dg-invalid', worst === 'reject');
      });
    }
    const general = this.submitted ? unplaced.filter((f) => f.severity !== 'info') : [];
    this.generalMessage.textContent = general.map((f) => f.message).join(' ');
    this.generalMessage.hidden = !general.length;
    this.blocking = findings.some((f) => f.severity === 'reject');
    const trusted = verdict.decision === 'accept' || verdict.decision === 'review';
    const map = this.lastMap;
    if (missing.size) this.setResponse(this.blocking ? '' : unavailableResponse('unmapped', { missing: [...missing], map }));
    else this.setResponse(trusted ? verdictResponse(verdict, map) : '');
    if (this.summaryElement) updateSummary(this, false);
    const key = JSON.stringify([verdict.decision, verdict.submission_digest, verdict.findings.map((f) => f.code + f.field)]);
    if (key !== this.verdictKey) {
      this.verdictKey = key;
      this.form.dispatchEvent(new CustomEvent(EVENT_PREFIX + 'verdict', { detail: verdict, bubbles: true }));
      const callback = resolveCallback(this.options.callback);
      if (callback) try { callback(verdict, this.responseField.value); } catch (error) { console.error(error); }
    }
  }

  /**
   * The field's name as the donor reads it (its label), for messages.
   * @param {string} path
   */
  label(path) {
    const link = this.fields.get(path);
    const element = link && link.elements[0];
    if (!link || !element) return '';
    if (link.own && /radio/.test(element.type)) return this.words.cit;
    if (path.startsWith('attestations.')) {
      const span = /** @type {ParentNode} */ (element.parentNode).querySelector('label span');
      const text = span ? span.textContent || '' : '';
      return text && '“' + (text.length > 48 ? text.slice(0, 46).replace(/\s+\S*$/, '') + '…' : text) + '”';
    }
    if (link.own) return (element.labels && element.labels[0] ? textOf(element.labels[0]) : '');
    const text = squish(link.label || '').replace(/[\s*:]+$/, '').trim();
    return text.length > 60 ? text.slice(0, 58).replace(/\s+\S*$/, '') + '…' : text;
  }

  /**
   * The capturing submit listener: holds a submit made before the engine is ready, blocks one
   * with a reject (before the site's own handlers run) and shows the summary.
   * @param {SubmitEvent} event
   */
  submit(event) {
    if (this.unavailableReason) return; // our own failure never blocks the donor
    if (!engine || !this.ruleset) {
      // The engine is still loading: hold this submit until it is ready or has failed.
      event.preventDefault(); event.stopImmediatePropagation();
      this.heldSubmit = event.submitter || true;
      return;
    }
    this.submitted = true;
    const verdict = this.validate();
    if (verdict && this.blocking) {
      event.preventDefault(); event.stopImmediatePropagation();
      updateSummary(this, true);
    } else removeSummary(this);
  }

  /** Submits a held submit again, with its submitter. @param {HTMLElement | true} submitter */
  resubmit(submitter) {
    const form = this.form;
    if (form.requestSubmit) form.requestSubmit(submitter instanceof HTMLElement ? submitter : undefined); else form.submit();
  }

  /** Forgets what the donor touched (and, unless the form itself was reset, what they put in the widget's parts), then checks again. @param {boolean} [fromForm] */
  reset(fromForm) {
    this.touched.clear();
    this.submitted = false;
    removeSummary(this);
    if (!fromForm && this.block) {
      this.block.querySelectorAll('input').forEach((input) => { if (/radio|checkbox/.test(input.type)) input.checked = false; else input.value = ''; });
    }
    this.verdictKey = '';
    this.validate();
  }

  /** Takes away everything the widget added and restores the fields' ARIA. */
  remove() {
    this.removed = true;
    clearTimeout(this.timer);
    ['input', 'change', 'focusout', 'reset'].forEach((type) => this.form.removeEventListener(type, this.listener));
    if (this.summaryElement) this.summaryElement.remove();
    this.debugTags.forEach((tag) => tag.remove());
    this.added.forEach((node) => node.remove());
    this.savedAria.reverse().forEach(([element, attribute, value]) => { if (value == null) element.removeAttribute(attribute); else element.setAttribute(attribute, value); });
    this.fields.forEach((link) => link.elements.forEach((element) => element.classList.remove('dg-invalid', 'dg-debug')));
    widgetsByForm.delete(this.form);
    widgetsById.delete(this.id);
  }
}

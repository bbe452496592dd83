/*! donation-guard widget 0.1.0 | MIT OR Apache-2.0
 * Checks a donation form against U.S. federal law (52 U.S.C. 30121) in the browser, with the
 * same WebAssembly engine the committee's server runs. One script tag:
 *   <script src="/widget/donation-guard.js" async defer></script>
 *   <form data-donation-guard data-recipient-type="candidate" data-election="primary"> ... </form>
 * The engine (engine/donation_guard.js + engine/donation_guard_bg.wasm) loads from beside this
 * file. If it cannot load, the form still submits and the response says "unavailable". */
(() => {
  'use strict';
  const W = window, D = document;
  if (W.donationGuard && W.donationGuard.version) return; // loaded twice

  const VERSION = '0.1.0';
  const RESPONSE = 'donation-guard-response';
  const EVT = 'donation-guard:';
  const me = D.currentScript;
  const cfg = { base: me && me.src ? me.src : null, engineUrl: null, timeout: 10000 };
  const perf = W.performance || { now: Date.now, mark() {}, measure() {} };
  const warned = new Set();
  const warn = (m) => { if (!warned.has(m)) { warned.add(m); console.warn('[donation-guard] ' + m); } };

  // ---------------------------------------------------------------- form descriptors
  // The engine maps the form (mapForm: names, autocomplete, labels, legends, options, in English
  // and Spanish) and reads it (readForm); the widget only says what the page shows. Lookups
  // keyed by the page's field names are Maps, never plain objects ("constructor", "__proto__").
  const SKIP_TYPES = /^(submit|button|reset|image|file|hidden|password)$/;
  const squish = (s) => String(s == null ? '' : s).replace(/\s+/g, ' ').trim();
  const textOf = (n) => (n ? squish(n.textContent) : '');
  // A label's own words, without the text of the controls inside it (a select's options).
  function labelText(l) {
    if (!l.querySelector('select,textarea,input,button')) return textOf(l);
    const c = l.cloneNode(true);
    c.querySelectorAll('select,textarea,input,button,[data-dg-own]').forEach((x) => x.remove());
    return textOf(c);
  }
  const byIds = (ids) => squish(ids).split(' ').filter(Boolean).map((i) => textOf(D.getElementById(i))).filter(Boolean).join(' ');
  function labelsOf(el) {
    const out = [];
    for (const l of el.labels || []) { const t = labelText(l); if (t) out.push(t); }
    const a = squish(el.getAttribute('aria-label')); if (a) out.push(a);
    const b = byIds(el.getAttribute('aria-labelledby')); if (b) out.push(b);
    return out;
  }
  // The nearest group's name: a fieldset's legend or a radiogroup's label, whichever is closer.
  function legendOf(el) {
    const g = el.closest('fieldset,[role=radiogroup],[role=group]');
    if (!g) return '';
    if (g.tagName === 'FIELDSET') {
      const lg = [...g.children].find((c) => c.tagName === 'LEGEND');
      return lg ? labelText(lg) : legendOf(g.parentElement || g);
    }
    return squish(g.getAttribute('aria-label')) || byIds(g.getAttribute('aria-labelledby')) || legendOf(g.parentElement || g);
  }
  // A radio group's own question when it is not a legend: a <label for> naming the group
  // (CiviCRM's label for="custom_12"), or a label for no control in the group's wrapper.
  function groupLabel(el, form) {
    const name = el.name;
    const forName = [...form.querySelectorAll('label[for]')].find((l) => l.htmlFor === name && !l.control);
    if (forName) return labelText(forName);
    const group = [...form.elements].filter((e) => e.name === name);
    let box = el.parentElement;
    for (let i = 0; box && box !== form && i < 5; i++, box = box.parentElement) {
      if (!group.every((e) => box.contains(e))) continue;
      const l = [...box.querySelectorAll('label')].find((x) => !x.control && !x.closest('[data-dg-own]'));
      if (l) return labelText(l);
      if (box.matches('fieldset,[role=radiogroup],[role=group]')) break;
    }
    return '';
  }
  /** One descriptor per name (a radio group is one control), with its elements. */
  function controls(form) {
    const groups = new Map();
    for (const el of form.elements) {
      const name = el.name == null ? '' : String(el.name);
      if (!name || !el.type || el.closest('[data-dg-own]') || SKIP_TYPES.test(el.type) || /^(FIELDSET|OBJECT|OUTPUT|BUTTON)$/.test(el.tagName)) continue;
      const radio = el.type === 'radio', box = el.type === 'checkbox';
      let g = groups.get(name);
      if (!g) {
        const type = el.tagName === 'SELECT' ? 'select' : el.tagName === 'TEXTAREA' ? 'textarea' : String(el.type);
        g = { els: [], d: { name, type, autocomplete: squish(el.getAttribute('autocomplete')), labels: radio ? [] : labelsOf(el),
          legend: (radio && groupLabel(el, form)) || legendOf(el), placeholder: squish(el.getAttribute('placeholder')), options: [], path: el.getAttribute('data-dg-field') || null } };
        groups.set(name, g);
      }
      g.els.push(el);
      if (radio || box) g.d.options.push({ value: String(el.value), text: labelsOf(el).join(' ') });
      else if (el.tagName === 'SELECT') for (const o of el.options) g.d.options.push({ value: String(o.value), text: textOf(o) });
    }
    return groups;
  }
  const isChoice = (el) => /^(radio|checkbox)$/.test(el.type);
  // ---------------------------------------------------------------- words the widget itself shows
  // Findings are worded by the engine, in the ruleset's languages (`language` in the
  // submission). What stays here is the widget's own chrome: the questions it adds, and a
  // translation of the statements (shown above the English text the donor confirms).
  // Translations of the attestation texts, keyed by the exact English text they translate: a
  // committee that words a statement differently gets no stale translation.
  const ES_ATTEST = {
    'I am a U.S. citizen or a lawfully admitted permanent resident (green card holder).': 'Soy ciudadano o ciudadana de los EE. UU., o residente permanente legal (titular de tarjeta verde).',
    'This contribution is made from my own funds, not funds given to me by another person or entity to make it.': 'Hago esta contribución con mis propios fondos, no con fondos que otra persona o entidad me haya dado para hacerla.',
    'I am paying with my own personal card, not a corporate or business card or a card issued to someone else.': 'Pago con mi propia tarjeta personal, no con una tarjeta corporativa o de empresa ni con una tarjeta emitida a nombre de otra persona.',
    'I am not a federal government contractor.': 'No soy contratista del gobierno federal.',
    'I am at least 18 years old.': 'Tengo al menos 18 años.',
  };
  const UI = {
    en: {
      summary: 'Please correct the following to continue:',
      rules: 'Contribution rules',
      rulesHint: 'By checking each box, I confirm that the statement is true.',
      cit: 'Citizenship',
      citHint: 'Federal law allows contributions only from U.S. citizens, U.S. nationals and green card holders.',
      us_citizen: 'U.S. citizen',
      us_national: 'U.S. national (for example, born in American Samoa)',
      permanent_resident: 'Lawful permanent resident (green card holder)',
      foreign_national: 'None of these (foreign national)',
      pp: 'U.S. passport number',
      ppHint: 'Your address is outside the United States. Federal law asks U.S. citizens abroad for a passport number: nine digits, or one letter and eight digits.',
      form: 'Form',
    },
    es: {
      summary: 'Corrija lo siguiente para continuar:',
      rules: 'Reglas de contribución',
      rulesHint: 'Al marcar cada casilla, confirmo que la declaración es verdadera. Usted confirma el texto legal en inglés que aparece debajo de cada traducción.',
      cit: 'Ciudadanía',
      citHint: 'La ley federal solo permite contribuciones de ciudadanos y nacionales de los EE. UU. y de titulares de tarjeta verde.',
      us_citizen: 'Ciudadano o ciudadana de los EE. UU.',
      us_national: 'Nacional de los EE. UU. (por ejemplo, nacido o nacida en Samoa Americana)',
      permanent_resident: 'Residente permanente legal (titular de tarjeta verde)',
      foreign_national: 'Ninguna de las anteriores (persona extranjera)',
      pp: 'Número de pasaporte de los EE. UU.',
      ppHint: 'Su dirección está fuera de los Estados Unidos. La ley federal pide a los ciudadanos que viven en el extranjero un número de pasaporte: nueve dígitos, o una letra y ocho dígitos.',
      form: 'Formulario',
    },
  };
  const CITIZENSHIP = ['us_citizen', 'us_national', 'permanent_resident', 'foreign_national'];
  const message = (w, f) => f.message;

  // ---------------------------------------------------------------- engine
  let engineP = null, eng = null, failure = null;
  const rulesets = new Map();
  function classify(e) {
    const m = String((e && e.message) || e);
    return /Content.Security|unsafe-eval|CSP/i.test(m) ? 'csp' : /^(timeout|unsupported)$/.test(m) ? m : 'load_failed';
  }
  function engine() {
    if (!engineP) {
      const load = (async () => {
        if (typeof WebAssembly !== 'object') throw new Error('unsupported');
        const url = cfg.engineUrl || new URL('engine/donation_guard.js', cfg.base || location.href).href;
        // The wasm downloads (and compiles, streaming) while the glue module loads.
        const wasm = fetch(cfg.wasmUrl || new URL('donation_guard_bg.wasm', url).href, { credentials: 'same-origin' });
        wasm.catch(() => {});
        const m = await import(url);
        await m.default({ module_or_path: wasm });
        if (perf.mark) perf.mark('donation-guard:engine');
        return m;
      })();
      const late = new Promise((_, no) => setTimeout(() => no(new Error('timeout')), cfg.timeout));
      engineP = Promise.race([load, late]).then(
        (m) => { if (!failure) eng = m; return m; },
        (e) => { failure = failure || classify(e); console.warn('[donation-guard] engine unavailable (' + failure + '); the form submits without the browser check.', e); throw failure; });
    }
    return engineP;
  }
  function rulesetOf(id) {
    const k = id || '';
    if (!rulesets.has(k)) rulesets.set(k, id ? eng.ruleset(id) : eng.ruleset());
    return rulesets.get(k);
  }

  // ---------------------------------------------------------------- styles
  const CSS = `
.dg-block{display:grid;gap:var(--dg-gap,.75rem);margin:var(--dg-gap,.75rem) 0;font:inherit;color:inherit}
.dg-block [hidden]{display:none}
.dg-fieldset{margin:0;padding:var(--dg-pad,.75rem 1rem);border:var(--dg-border,1px solid color-mix(in srgb,currentColor 25%,transparent));border-radius:var(--dg-radius,.5rem);min-width:0;font:inherit;color:inherit;background:var(--dg-background,transparent)}
.dg-legend{padding:0 .25rem;font-weight:var(--dg-legend-weight,600)}
.dg-hint{margin:.25rem 0 .5rem;font-size:.875em;opacity:.85}
.dg-row{display:flex;gap:.5rem;align-items:flex-start;margin:.375rem 0 0}
.dg-row input{flex:none;width:1.125em;height:1.125em;margin:.15em 0 0;accent-color:var(--dg-accent-color,auto)}
.dg-row label{display:block;margin:0;cursor:pointer;font-weight:var(--dg-label-weight,400)}
.dg-orig{display:block;font-size:.875em;opacity:.85}
.dg-field label{display:block;font-weight:var(--dg-legend-weight,600)}
.dg-input{box-sizing:border-box;width:100%;max-width:20em;font:inherit;color:inherit;background:var(--dg-input-background,transparent);padding:var(--dg-input-pad,.5rem .625rem);border:var(--dg-border,1px solid color-mix(in srgb,currentColor 40%,transparent));border-radius:var(--dg-radius,.5rem)}
.dg-msg{min-height:var(--dg-msg-height,1.4em);font-size:var(--dg-msg-size,.875em);line-height:1.4;margin:.25rem 0 0;color:var(--dg-error-color,#b3261e)}
.dg-msg.dg-review{color:var(--dg-warning-color,#8a4b00)}
.dg-msg.dg-info{color:var(--dg-info-color,inherit)}
.dg-invalid:not(:focus){border-color:var(--dg-error-color,#b3261e)!important}
.dg-summary{margin:0 0 var(--dg-gap,.75rem);padding:var(--dg-pad,.75rem 1rem);border:2px solid var(--dg-error-color,#b3261e);border-radius:var(--dg-radius,.5rem);font:inherit;color:inherit;background:var(--dg-summary-background,transparent)}
.dg-summary:focus{outline:3px solid var(--dg-focus-color,var(--dg-error-color,#b3261e));outline-offset:2px}
.dg-summary p{margin:0 0 .375rem;font-weight:600}
.dg-summary ul{margin:0;padding-left:1.25rem}
.dg-summary a{color:var(--dg-error-color,#b3261e)}
.dg-debug{outline:2px dashed var(--dg-debug-color,#0b5fff)!important;outline-offset:2px}
.dg-debug-tag{display:inline-block;justify-self:start;width:max-content;margin:0 .25rem .125rem 0;padding:0 .375em;border-radius:.25rem;font:600 11px/1.6 ui-monospace,monospace;color:#fff;background:var(--dg-debug-color,#0b5fff);vertical-align:middle}
.dg-debug-unmapped{background:#6b6b6b}
.dg-debug-missing{margin:0 0 var(--dg-gap,.75rem);padding:.5rem .75rem;border:2px dashed #b3261e;border-radius:.25rem;font:12px/1.5 ui-monospace,monospace;color:#b3261e}
`;
  let styled = false;
  function style() {
    if (styled) return;
    styled = true;
    try { // A constructed sheet is CSSOM, so a strict style-src policy does not block it.
      const s = new CSSStyleSheet();
      s.replaceSync(CSS);
      D.adoptedStyleSheets = D.adoptedStyleSheets.concat(s);
    } catch (_) {
      const s = D.createElement('style');
      s.textContent = CSS;
      D.head.appendChild(s);
    }
  }

  // ---------------------------------------------------------------- the widget
  let seq = 0, marked = 0;
  const byForm = new Map(), byId = new Map();
  const fn = (f) => (typeof f === 'function' ? f : typeof f === 'string' && f ?
    f.split('.').reduce((o, k) => (o == null ? o : o[k]), W) : null);
  const h = (tag, props, kids) => {
    const e = D.createElement(tag);
    for (const k in props || {}) {
      if (k === 'text') e.textContent = props[k];
      else if (props[k] != null && props[k] !== false) e.setAttribute(k, props[k] === true ? '' : props[k]);
    }
    (kids || []).forEach((c) => c && e.append(c));
    return e;
  };
  const domReady = new Promise((ok) => {
    if (D.readyState === 'loading') D.addEventListener('DOMContentLoaded', () => ok(), { once: true });
    else ok();
  });

  function dataOptions(el, prefix) {
    const g = (k) => el.getAttribute(prefix + k);
    const o = {
      recipientType: g('recipient-type'), election: g('election'), language: g('language'),
      callback: g('callback'), errorCallback: g('error-callback'), responseFieldName: g('response-field-name'),
      citizenship: g('citizenship'), method: g('method'), ruleset: g('ruleset'), country: g('country'),
      lang: g('lang'), debug: g('debug'), rulesetUrl: g('ruleset-url'),
    };
    for (const k in o) if (o[k] == null) delete o[k];
    return o;
  }

  class Widget {
    constructor(form, opt) {
      this.id = 'dg-' + ++seq;
      this.form = form;
      this.opt = Object.assign({ recipientType: 'candidate', citizenship: 'ask', responseFieldName: RESPONSE }, opt);
      const l = String(this.opt.language || this.opt.lang || (form.closest('[lang]') || {}).lang || 'en').toLowerCase().slice(0, 2);
      this.lang = UI[l] ? l : 'en';
      this.t = UI[this.lang];
      this.debug = this.opt.debug != null && this.opt.debug !== false && this.opt.debug !== 'false';
      this.fields = new Map(); // path -> {els, msg, own, label, names}
      this.elPath = new WeakMap(); // element -> path
      this.rows = new Map(); // attestation id -> its row
      this.touched = new Set();
      this.added = []; // nodes we inserted
      this.aria = []; // [element, attribute, original value]
      this.submitted = false;
      this.v = null; this.key = ''; this.mapping = null; this.mapKey = ''; this.reported = null; this.errKey = '';
      this.timer = 0; this.n = 0;
      this.on = (e) => this.event(e);
      byForm.set(form, this); byId.set(this.id, this);
      style();
      this.response();
      domReady.then(() => this.setup());
    }

    setup() {
      if (!byId.has(this.id)) return;
      const f = this.form;
      ['input', 'change', 'focusout'].forEach((k) => f.addEventListener(k, this.on));
      f.addEventListener('reset', this.on);
      // What the form lacks goes into one block: in <donation-guard> or [data-dg-slot=""] when the
      // site placed one, else just before the submit button. A part can have its own place:
      // data-dg-slot="citizenship", "passport" or "attestations" (or several, space-separated).
      const mount = this.opt.mount || f.querySelector('donation-guard,[data-dg-slot=""]');
      this.block = h('div', { class: 'dg-block', 'data-dg-own': true });
      if (mount) { mount.append(this.block); } else {
        let at = f.querySelector('button:not([type]),button[type=submit],input[type=submit]');
        while (at && at.parentNode !== f) at = at.parentNode;
        f.insertBefore(this.block, at || null);
      }
      this.added.push(this.block);
      this.general = h('div', { class: 'dg-msg', id: this.id + '-general', 'aria-live': 'polite', hidden: true });
      this.block.append(this.general);
      if (perf.mark && !marked++) perf.mark('donation-guard:interactive');
      engine().then(() => this.loadRuleset()).then(() => this.init(), (r) => this.unavailable(r));
    }

    // data-ruleset-url: a committee's own ruleset (its wording, its languages), fetched and
    // validated by the engine (loadRuleset), then named by every submission. A ruleset that does
    // not load is the widget's failure: the form submits and the server checks alone.
    async loadRuleset() {
      const url = this.opt.rulesetUrl;
      if (!url) return;
      let answer;
      try {
        const res = await fetch(new URL(url, location.href).href, { credentials: 'same-origin' });
        if (!res.ok) throw new Error('HTTP ' + res.status);
        answer = eng.loadRuleset(await res.text());
      } catch (e) { answer = { error: { code: 'load_failed', message: String((e && e.message) || e) } }; }
      if (!answer || answer.error || !answer.id) {
        console.warn('[donation-guard] the ruleset at ' + url + ' could not be loaded; the form submits without the browser check.', answer && answer.error);
        this.rulesetError = (answer && answer.error) || { code: 'load_failed' };
        throw 'ruleset_failed';
      }
      rulesets.delete(answer.id);
      this.opt.ruleset = answer.id;
    }

    // Called once the engine is ready: the engine maps the form, then what needs the ruleset.
    init() {
      if (!byId.has(this.id) || this.rs) return;
      const t = this.t, f = this.form;
      try {
        if (typeof eng.mapForm !== 'function' || typeof eng.readForm !== 'function') throw new Error('an engine without mapForm/readForm');
        this.rs = rulesetOf(this.opt.ruleset);
        if (!this.rs || this.rs.error) throw new Error('ruleset: ' + JSON.stringify(this.rs && this.rs.error));
        this.map();
      } catch (e) { console.error(e); return this.unavailable('engine_error'); }
      if (!this.mapping) return undefined;
      if (this.opt.citizenship !== 'off' && !this.fields.has('donor.citizenship')) {
        const name = f.elements.namedItem('citizenship') ? this.id + '-citizenship' : 'citizenship';
        const fs = h('fieldset', { class: 'dg-fieldset dg-cit', 'aria-describedby': this.id + '-cit-hint' }, [
          h('legend', { class: 'dg-legend', text: t.cit }),
          h('p', { class: 'dg-hint', id: this.id + '-cit-hint', text: t.citHint }),
        ]);
        CITIZENSHIP.forEach((c) => {
          const id = this.id + '-c-' + c;
          fs.append(h('div', { class: 'dg-row' }, [
            h('input', { type: 'radio', id, name, value: c, 'data-dg-field': 'donor.citizenship' }),
            h('label', { for: id, text: t[c] }),
          ]));
        });
        this.part('citizenship').append(fs);
        this.own('donor.citizenship', [...fs.querySelectorAll('input')], fs);
      }
      if (!this.fields.has('donor.passport.number')) {
        const id = this.id + '-passport';
        this.pp = h('div', { class: 'dg-field', hidden: true }, [
          h('label', { for: id, text: t.pp }),
          h('p', { class: 'dg-hint', id: id + '-hint', text: t.ppHint }),
          h('input', { class: 'dg-input', id, name: f.elements.namedItem('passport_number') ? id : 'passport_number', type: 'text',
            autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: '20',
            'aria-describedby': id + '-hint', 'data-dg-field': 'donor.passport.number' }),
        ]);
        this.part('passport', this.pp);
        const input = this.pp.querySelector('input');
        this.own('donor.passport.number', [input], input);
      }
      const atts = this.rs.attestations || [];
      if (atts.length) {
        const fs = h('fieldset', { class: 'dg-fieldset dg-attest' }, [
          h('legend', { class: 'dg-legend', text: t.rules }),
          h('p', { class: 'dg-hint', text: t.rulesHint }),
        ]);
        atts.forEach((a) => {
          const id = this.id + '-a-' + a.id;
          const tr = this.lang === 'es' && ES_ATTEST[a.text];
          const label = h('label', { for: id }, tr ?
            [h('span', { lang: 'es', text: tr }), h('span', { class: 'dg-orig', lang: 'en', text: a.text })] :
            [h('span', { lang: 'en', text: a.text })]);
          const row = h('div', { class: 'dg-row' }, [
            h('input', { type: 'checkbox', id, name: 'attestations[]', value: a.id, 'data-dg-field': 'attestations.' + a.id }),
            label,
          ]);
          const wrap = h('div', { class: 'dg-att', 'data-dg-attestation': a.id, hidden: a.required === 'card' }, [row]);
          this.rows.set(a.id, wrap);
          fs.append(wrap);
          this.own('attestations.' + a.id, [row.firstChild], row);
        });
        this.part('attestations', fs);
      }
      this.inited = true;
      this.report();
      this.validate();
      if (this.held) { const s = this.held; this.held = null; this.resubmit(s); }
      return undefined;
    }

    // The block for one part of what we add: the site's slot for it, else the main block.
    part(name, node) {
      const slot = this.form.querySelector('[data-dg-slot~="' + name + '"]');
      let b = this.block;
      if (slot) {
        b = (this.slots || (this.slots = new Map())).get(slot);
        if (!b) {
          b = h('div', { class: 'dg-block', 'data-dg-own': true });
          slot.append(b);
          this.slots.set(slot, b);
          this.added.push(b);
        }
      }
      if (node) b.insertBefore(node, b === this.block ? this.general : null);
      return b;
    }

    /** Tells the site's developer: the `donation-guard:error` event and `errorCallback`. */
    fail(detail) {
      this.form.dispatchEvent(new CustomEvent(EVT + 'error', { detail, bubbles: true }));
      const cb = fn(this.opt.errorCallback);
      if (cb) try { cb(detail); } catch (e) { console.error(e); }
    }

    unavailable(reason) {
      if (this.gone) return;
      this.down = reason || 'load_failed';
      this.setResponse(JSON.stringify({ decision: 'unavailable', reason: this.down }));
      this.fail(Object.assign({ code: 'unavailable', reason: this.down }, this.rulesetError ? { error: this.rulesetError } : {}));
      if (this.held) { const s = this.held; this.held = null; this.resubmit(s); }
    }

    response() {
      const name = this.opt.responseFieldName;
      let r = [...this.form.querySelectorAll('input[type=hidden]')].find((e) => e.name === name);
      if (!r) { r = h('input', { type: 'hidden', name, 'data-dg-own': true }); this.form.append(r); this.added.push(r); }
      this.resp = r;
    }
    setResponse(v) { this.resp.value = v; }

    // The site's own fields, mapped by the engine; re-mapped when the form's controls change.
    map() {
      const groups = controls(this.form);
      this.n = this.form.elements.length;
      const ds = [...groups.values()].map((g) => g.d);
      const key = JSON.stringify(ds);
      if (key === this.mapKey && this.mapping) return;
      const m = eng.mapForm(ds);
      if (!m || m.error || !m.map) {
        console.error('[donation-guard] the engine could not map this form', m && m.error);
        this.mapping = null;
        this.unavailable('engine_error');
        return;
      }
      this.mapKey = key;
      this.mapping = m;
      const els = (names) => names.flatMap((n) => (groups.get(n) || { els: [] }).els);
      const want = new Map(m.fields.map((x) => [x.path, x]));
      for (const [p, fd] of [...this.fields]) if (!fd.own && !want.has(p)) { this.unlink(fd); this.fields.delete(p); }
      for (const x of m.fields) {
        const e = els(x.names);
        const fd = this.fields.get(x.path);
        if (fd && fd.own) continue;
        if (!(fd && fd.els.length === e.length && fd.els.every((y, i) => y === e[i]))) {
          if (fd) this.unlink(fd);
          this.link(x.path, e, false);
        }
        Object.assign(this.fields.get(x.path), { label: x.label, names: x.names });
      }
      if (this.inited) this.report();
    }
    own(p, els, after) { this.link(p, els, true, after); }

    link(path, els, own, after) {
      const ids = this.id + '-m-' + ++seq;
      let msg = [...this.form.querySelectorAll('[data-dg-message-for]')].find((x) => x.getAttribute('data-dg-message-for') === path);
      if (msg) { msg.id = msg.id || ids; msg.classList.add('dg-msg'); } else {
        msg = h('div', { class: 'dg-msg', id: ids, 'aria-live': 'polite' });
        (after || this.anchor(els, els[0])).after(msg);
        if (!own) this.added.push(msg);
      }
      els.forEach((el) => {
        if (!el.id) { el.id = this.id + '-f-' + (++seq); }
        this.elPath.set(el, path);
        const d = el.getAttribute('aria-describedby');
        this.aria.push([el, 'aria-describedby', d], [el, 'aria-invalid', el.getAttribute('aria-invalid')]);
        el.setAttribute('aria-describedby', (d ? d + ' ' : '') + msg.id);
      });
      this.fields.set(path, { els, msg, own, placed: !!after || msg.hasAttribute('data-dg-message-for') });
    }
    unlink(fd) { if (!fd.own && fd.msg.parentNode && fd.msg.matches('div.dg-msg:not([data-dg-message-for])')) fd.msg.remove(); }

    // Where a message goes for the control `el` of a field: after a text box (or its label),
    // after a radio group's fieldset.
    anchor(els, el) {
      if (!el) return this.general;
      if (isChoice(el)) {
        const group = els.filter((e) => e.name === el.name);
        const only = (box) => [...box.querySelectorAll('input,select,textarea')].every((c) => group.includes(c) || c.type === 'hidden' || c.closest('[data-dg-own]'));
        // The group's own box (fieldset, radiogroup, or the nearest wrapper of all its
        // choices), as long as it holds nothing else.
        let box = el.closest('fieldset,[role=radiogroup],[role=group]');
        if (!(box && group.every((e) => box.contains(e)) && only(box))) {
          box = el.parentElement;
          while (box && box !== this.form && !group.every((e) => box.contains(e))) box = box.parentElement;
        }
        if (group.length > 1 && box && box !== this.form && only(box)) return box;
        const last = group[group.length - 1] || el;
        return last.closest('label') || (last.labels && last.labels[0] && last.compareDocumentPosition(last.labels[0]) & 4 ? last.labels[0] : last);
      }
      return el.closest('label') || el;
    }

    // The message of a field with several controls (an amount's radios and its "other" box)
    // shows beside the one the donor used: a filled box, else the chosen radio's group.
    place(fd) {
      if (fd.own || fd.placed || fd.els.length < 2) return;
      const box = fd.els.filter((e) => !isChoice(e) && e.tagName !== 'SELECT' && String(e.value).trim()).pop();
      const at = this.anchor(fd.els, box || fd.els.find((e) => isChoice(e) && e.checked) || fd.els[0]);
      // Named by the box's own label when the message stands beside that box.
      fd.used = box ? squish(labelsOf(box)[0] || '') : '';
      if (at !== fd.msg && fd.msg.previousElementSibling !== at) at.after(fd.msg);
    }

    event(e) {
      if (e.type === 'reset') { setTimeout(() => this.reset(true)); return; }
      const el = e.target;
      if (!el || !el.getAttribute || (this.sum && this.sum.contains(el))) return;
      const p = this.elPath.get(el);
      if (e.type === 'change' && p) this.touched.add(p);
      clearTimeout(this.timer);
      // A message that appears while the donor's pointer is down (the blur of a mousedown) would
      // move what they are clicking: show it once the click is over.
      const later = e.type === 'input' ? (this.opt.debounce == null ? 120 : this.opt.debounce) : pointer ? -1 : 0;
      if (later < 0) afterPointer.add(this);
      else if (later) this.timer = setTimeout(() => this.validate(), later);
      else this.validate();
    }

    /** The whole field map: the engine's, plus what the widget adds or the page fixes. A
     * null-prototype object: its keys are paths, its values field names. */
    fullMap() {
      const m = Object.assign(Object.create(null), this.mapping ? this.mapping.map : null);
      const fixed = (p, v) => { if (!(p in m) && v != null && v !== '') m[p] = { value: String(v) }; };
      for (const [p, fd] of this.fields) if (fd.own && !p.startsWith('attestations.') && fd.els[0]) m[p] = fd.els[0].name;
      const o = this.opt;
      fixed('ruleset', o.ruleset);
      fixed('recipient.type', o.recipientType);
      const rt = m['recipient.type'];
      if (rt && rt.value === 'candidate') fixed('recipient.election', o.election);
      fixed('donor.address.country', o.country || 'US');
      if (o.method !== 'none') fixed('contribution.method', o.method || 'card');
      if (this.pp && this.pp.hidden) delete m['donor.passport.number'];
      const pn = this.fields.get('donor.passport.number');
      if ('donor.passport.number' in m && pn && pn.els.some((e) => String(e.value).trim())) fixed('donor.passport.country', 'US');
      if (this.rs) {
        m['attestations.version'] = { value: this.rs.attestation_digest };
        (this.rs.attestations || []).forEach((a) => { if (this.fields.has('attestations.' + a.id)) m['attestations.affirmed.' + a.id] = 'attestations[]'; });
        if (this.lang !== 'en' && (this.rs.languages || []).includes(this.lang)) fixed('language', this.lang);
      }
      return m;
    }

    /** The posted name/value pairs the map reads (nothing else leaves the page's DOM). */
    pairs(map) {
      const names = new Set();
      const add = (n) => { if (typeof n === 'string') names.add(n); else if (n && typeof n.name === 'string') names.add(n.name); };
      for (const p in map) { const v = map[p]; if (Array.isArray(v)) v.forEach(add); else add(v); }
      const out = [];
      for (const [n, v] of new FormData(this.form)) if (typeof v === 'string' && names.has(n)) out.push([n, v]);
      return out;
    }

    submission() {
      if (!eng || !this.mapping || this.down) return null;
      if (this.form.elements.length !== this.n) this.map();
      const map = this.fullMap();
      let s = eng.readForm(this.pairs(map), map);
      // The card statement counts only when the method is card.
      if (s && !s.error && this.rs && !(s.contribution && s.contribution.method === 'card')) {
        const card = (this.rs.attestations || []).filter((a) => a.required === 'card' && ('attestations.affirmed.' + a.id) in map);
        if (card.length) { card.forEach((a) => delete map['attestations.affirmed.' + a.id]); s = eng.readForm(this.pairs(map), map); }
      }
      this.lastMap = map;
      if (s && !s.error && this.opt.history) s.history = this.opt.history;
      return s;
    }

    /** Required paths nothing maps: the engine's list, less what the widget supplies. */
    missing() {
      const m = this.lastMap || this.fullMap();
      return this.mapping ? this.mapping.missing.filter((p) => !(p in m)) : [];
    }

    // The console table (once per state of the mapping), the error event, and data-debug.
    report() {
      if (!this.mapping) return;
      this.lastMap = this.fullMap();
      const miss = this.missing();
      const key = miss.join(' ') + '|' + this.mapKey;
      if (key === this.reported) return;
      this.reported = key;
      const rows = this.mapping.fields.map((x) => ({ path: x.path, field: x.names.join(', '), label: x.label, from: x.source }));
      for (const [p, fd] of this.fields) if (fd.own && !p.startsWith('attestations.')) rows.push({ path: p, field: fd.els[0].name, label: this.label(p), from: 'widget' });
      miss.forEach((p) => rows.push({ path: p, field: '(missing)', label: '', from: '' }));
      if (miss.length) {
        console.warn('[donation-guard] the form maps, but not these required parts: ' + miss.join(', ') +
          '. The donor is never blocked for them: the hidden field says {"decision":"unavailable","reason":"unmapped"} and the server checks alone. Add data-dg-field="<path>" to the field that holds each.');
        console.table(rows);
        this.fail({ code: 'unavailable', reason: 'unmapped', missing: miss, mapped: this.mapping.fields.map((x) => ({ path: x.path, names: x.names })), unmapped: this.mapping.unmapped });
      } else if (this.debug) {
        console.info('[donation-guard] field map (data-debug)');
        console.table(rows);
      }
      if (this.debug) this.outline(miss);
    }

    // data-debug: every mapped field outlined and tagged with its path; the missing ones listed.
    outline(miss) {
      (this.tags || []).forEach((n) => n.remove());
      this.tags = [];
      for (const [p, fd] of this.fields) {
        if (p.startsWith('attestations.')) continue;
        fd.els.forEach((el) => el.classList.add('dg-debug'));
        const first = fd.els[0];
        if (!first) continue;
        const tag = h('span', { class: 'dg-debug-tag', 'data-dg-own': true, text: p + (fd.own ? ' (widget)' : ' ← ' + (fd.names || []).join(' + ')) });
        (first.closest('label') || first).before(tag);
        this.tags.push(tag);
      }
      const left = new Set(this.mapping.unmapped);
      for (const el of this.form.elements) {
        if (!left.has(el.name) || el.closest('[data-dg-own]')) continue;
        left.delete(el.name);
        const tag = h('span', { class: 'dg-debug-tag dg-debug-unmapped', 'data-dg-own': true, text: 'not mapped: ' + el.name });
        (el.closest('label') || el).before(tag);
        this.tags.push(tag);
      }
      if (miss.length) {
        const box = h('div', { class: 'dg-debug-missing', 'data-dg-own': true, text: 'donation-guard: not mapped: ' + miss.join(', ') + ' (the donor is not blocked for them)' });
        this.form.prepend(box);
        this.tags.push(box);
      }
    }

    validate(depth) {
      if (!eng || this.down || !this.rs || this.gone || !this.mapping) return this.v;
      clearTimeout(this.timer);
      const t0 = perf.now();
      let sub, v;
      try {
        sub = this.submission();
        v = sub && !sub.error ? eng.check(sub) : sub;
      } catch (e) { console.error(e); v = { error: { code: 'engine_error', message: String(e && e.message) } }; }
      if (!v || v.error) {
        // Not a submission (a field over the engine's size limit), or the engine could not run
        // on this page (a patched String.prototype.normalize): never block; the server checks.
        const err = (v && v.error) || { code: 'engine_error' };
        const reason = /^(too_large|invalid_json)$/.test(err.code) ? 'invalid_submission' : 'engine_error';
        this.v = null; this.key = ''; this.blocking = false;
        this.setResponse(JSON.stringify({ decision: 'unavailable', reason }));
        const k = reason + err.code + err.message;
        if (k !== this.errKey) {
          this.errKey = k;
          console.warn('[donation-guard] no browser check for this state of the form (' + reason + '): ' + (err.message || err.code) + '. The form submits; the server checks alone.');
          this.fail({ code: 'unavailable', reason, error: err });
        }
        return null;
      }
      this.errKey = '';
      // The passport field shows when the engine asks about the passport (a foreign address).
      const card = !!(sub.contribution && sub.contribution.method === 'card');
      (this.rs.attestations || []).forEach((a) => { const r = this.rows.get(a.id); if (a.required === 'card' && r) r.hidden = !card; });
      if (this.pp) {
        const want = v.findings.some((f) => f.field.startsWith('donor.passport.'));
        if (want === this.pp.hidden) {
          this.pp.hidden = !want;
          if (!depth) return this.validate(1);
        }
      }
      this.apply(v);
      if (perf.measure) perf.measure('donation-guard:validate', { start: t0, end: perf.now() });
      if (!this.readyMarked) { this.readyMarked = true; perf.mark && perf.mark('donation-guard:ready'); }
      return v;
    }

    apply(v) {
      this.v = v;
      // A required part nobody maps is the widget's failure, not the donor's: its findings are
      // left to the server.
      const miss = new Set(this.missing());
      const findings = v.findings.filter((f) => !miss.has(f.field));
      this.shown = findings;
      const rest = findings.filter((f) => !this.fields.has(f.field) || this.fields.get(f.field).els.every((e) => e.closest('[hidden]')));
      for (const [p, fd] of this.fields) {
        const show = this.submitted || this.touched.has(p);
        // One message per field: the engine sorts the worst first (passport_invalid before
        // us_passport_required, which says the same less precisely).
        const fs = show ? findings.filter((f) => f.field === p).slice(0, 1) : [];
        const worst = fs.length ? fs[0].severity : '';
        this.place(fd);
        const lab = fd.own ? '' : fd.used || this.label(p);
        fd.msg.textContent = fs.map((f) => (lab ? lab + ': ' : '') + message(this, f)).join(' ');
        fd.msg.classList.toggle('dg-review', worst === 'review');
        fd.msg.classList.toggle('dg-info', worst === 'info');
        fd.els.forEach((el) => {
          if (worst === 'reject') el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
          el.classList.toggle('dg-invalid', worst === 'reject');
        });
      }
      const g = this.submitted ? rest.filter((f) => f.severity !== 'info') : [];
      this.general.textContent = g.map((f) => message(this, f)).join(' ');
      this.general.hidden = !g.length;
      this.blocking = findings.some((f) => f.severity === 'reject');
      const ok = v.decision === 'accept' || v.decision === 'review';
      const map = this.lastMap;
      if (miss.size) this.setResponse(this.blocking ? '' : JSON.stringify({ decision: 'unavailable', reason: 'unmapped', missing: [...miss], map }));
      else this.setResponse(ok ? JSON.stringify({ decision: v.decision, submission_digest: v.submission_digest, ruleset_digest: v.ruleset.digest, map }) : '');
      if (this.sum) this.summary(false);
      const key = JSON.stringify([v.decision, v.submission_digest, v.findings.map((f) => f.code + f.field)]);
      if (key !== this.key) {
        this.key = key;
        this.form.dispatchEvent(new CustomEvent(EVT + 'verdict', { detail: v, bubbles: true }));
        const cb = fn(this.opt.callback);
        if (cb) try { cb(v, this.resp.value); } catch (e) { console.error(e); }
      }
    }

    /** The field's name as the donor reads it (its label), for messages. */
    label(p) {
      const fd = this.fields.get(p);
      const el = fd && fd.els[0];
      if (!el) return '';
      if (fd.own && /radio/.test(el.type)) return this.t.cit;
      if (p.startsWith('attestations.')) {
        const row = el.parentNode.querySelector('label span');
        const t = row ? row.textContent : '';
        return t && '“' + (t.length > 48 ? t.slice(0, 46).replace(/\s+\S*$/, '') + '…' : t) + '”';
      }
      if (fd.own) return (el.labels && el.labels[0] ? textOf(el.labels[0]) : '');
      const t = squish(fd.label || '').replace(/[\s*:]+$/, '').trim();
      return t.length > 60 ? t.slice(0, 58).replace(/\s+\S*$/, '') + '…' : t;
    }

    // The error summary: at the top of the form, focused on submit, kept in step afterwards.
    summary(focus) {
      const at = (f) => { const fd = this.fields.get(f.field); return fd && (fd.els.find((e) => !e.closest('[hidden]') && !isChoice(e) && String(e.value).trim()) || fd.els.find((e) => !e.closest('[hidden]'))); };
      const rej = (this.v ? (this.shown || []).filter((f) => f.severity === 'reject') : [])
        .filter((f, i, all) => all.findIndex((g) => g.field === f.field) === i)
        .sort((a, b) => { const x = at(a), y = at(b); return x && y ? (x.compareDocumentPosition(y) & 2 ? 1 : -1) : x ? -1 : y ? 1 : 0; });
      if (!rej.length) { this.unsum(); return; }
      if (!this.sum) {
        this.sum = h('div', { class: 'dg-summary', role: 'alert', tabindex: '-1', 'data-dg-own': true, id: this.id + '-summary' });
        this.form.prepend(this.sum);
        this.sum.addEventListener('click', (e) => {
          const a = e.target.closest('a[data-dg-target]');
          if (!a) return;
          e.preventDefault();
          const el = D.getElementById(a.getAttribute('data-dg-target'));
          if (el) { el.focus(); el.scrollIntoView && el.scrollIntoView({ block: 'center' }); }
        });
      }
      const ul = h('ul');
      rej.forEach((f) => {
        const el = at(f);
        const lab = this.label(f.field);
        const text = (lab ? lab + (lab[0] === '“' ? ' ' : ': ') : '') + message(this, f);
        ul.append(h('li', {}, [el ? h('a', { href: '#' + el.id, 'data-dg-target': el.id, text }) : text]));
      });
      if (ul.innerHTML !== this.sumKey) {
        this.sumKey = ul.innerHTML;
        this.sum.replaceChildren(h('p', { text: this.t.summary }), ul);
      }
      if (focus) this.sum.focus();
    }

    unsum() { if (this.sum) { this.sum.remove(); this.sum = this.sumKey = null; } }

    submit(e) {
      if (this.down) return; // our own failure never blocks the donor
      if (!eng || !this.rs) {
        // The engine is still loading: hold this submit until it is ready or has failed.
        e.preventDefault(); e.stopImmediatePropagation();
        this.held = e.submitter || true;
        return;
      }
      this.submitted = true;
      const v = this.validate();
      if (v && this.blocking) {
        e.preventDefault(); e.stopImmediatePropagation();
        this.summary(true);
      } else this.unsum();
    }
    resubmit(s) {
      const f = this.form;
      if (f.requestSubmit) f.requestSubmit(s instanceof HTMLElement ? s : undefined); else f.submit();
    }

    reset(fromForm) {
      this.touched.clear();
      this.submitted = false;
      this.unsum();
      if (!fromForm && this.block) this.block.querySelectorAll('input').forEach((i) => { if (/radio|checkbox/.test(i.type)) i.checked = false; else i.value = ''; });
      this.key = '';
      this.validate();
    }

    remove() {
      this.gone = true;
      clearTimeout(this.timer);
      ['input', 'change', 'focusout', 'reset'].forEach((k) => this.form.removeEventListener(k, this.on));
      if (this.sum) this.sum.remove();
      (this.tags || []).forEach((n) => n.remove());
      this.added.forEach((n) => n.remove());
      this.aria.reverse().forEach(([el, a, v]) => { if (v == null) el.removeAttribute(a); else el.setAttribute(a, v); });
      this.fields.forEach((fd) => fd.els.forEach((el) => el.classList.remove('dg-invalid', 'dg-debug')));
      byForm.delete(this.form); byId.delete(this.id);
    }
  }

  let pointer = false;
  const afterPointer = new Set();
  const up = () => {
    pointer = false;
    setTimeout(() => { afterPointer.forEach((w) => w.validate()); afterPointer.clear(); });
  };
  D.addEventListener('pointerdown', () => { pointer = true; }, true);
  D.addEventListener('pointerup', up, true);
  D.addEventListener('pointercancel', up, true);

  // One capturing listener sees every submit before the site's own handlers do.
  W.addEventListener('submit', (e) => { const w = byForm.get(e.target); if (w) w.submit(e); }, true);

  // ---------------------------------------------------------------- public API
  const find = (x) => (x instanceof Widget ? x : typeof x === 'string' ? byId.get(x) || byForm.get(D.querySelector(x)) : byForm.get(x));
  function render(form, options) {
    if (typeof form === 'string') form = D.querySelector(form);
    if (!form || form.tagName !== 'FORM') throw new TypeError('donationGuard.render: a <form> is required');
    const old = byForm.get(form);
    // An explicit render with options replaces the one the script tag made on its own.
    if (old && !(old.auto && options)) return old.id;
    if (old) old.remove();
    engine().catch(() => {});
    return new Widget(form, Object.assign(dataOptions(form, 'data-'), options || {})).id;
  }
  function scan() {
    D.querySelectorAll('form[data-donation-guard]').forEach((f) => { if (!byForm.has(f)) render(f); });
  }
  // One script tag and nothing else: with no form marked data-donation-guard, the widget guards
  // the forms the engine reads as donation forms (an amount and the donor's name), with the
  // script tag's own data-* options. `data-form="<selector>"` on the script tag names the form
  // instead; `data-auto="off"` turns this off.
  function autoScan() {
    if (!me || !eng || (me.getAttribute('data-auto') || '').toLowerCase() === 'off') return;
    const sel = me.getAttribute('data-form');
    let forms = [];
    try { forms = sel ? [...D.querySelectorAll(sel)] : D.querySelector('form[data-donation-guard]') ? [] : [...D.forms]; } catch (e) { console.warn('[donation-guard] data-form is not a selector:', sel); }
    for (const f of forms) {
      if (!(f instanceof HTMLFormElement) || byForm.has(f)) continue;
      if (!sel) {
        let m = null;
        try { m = eng.mapForm([...controls(f).values()].map((g) => g.d)); } catch (_) { m = null; }
        const has = (p) => !!(m && m.map && Object.prototype.hasOwnProperty.call(m.map, p));
        if (!has('contribution.amount') || !(has('donor.first_name') || has('donor.last_name') || has('donor.full_name'))) continue;
      }
      const w = byId.get(render(f, dataOptions(me, 'data-')));
      if (w) w.auto = true;
    }
  }
  const ready = domReady
    .then(() => me || new Promise((ok) => setTimeout(ok))) // lets the ES module entry configure us first
    .then(() => { scan(); return engine(); })
    .then(() => autoScan())
    .then(() => new Promise((ok) => setTimeout(ok)).then(() => true), () => false)
    .then((ok) => { D.dispatchEvent(new CustomEvent(EVT + 'ready', { detail: { available: ok } })); return ok; });
  if (perf.mark) perf.mark('donation-guard:script');
  if (me) engine().catch(() => {}); // start fetching the engine now, while the page parses

  W.donationGuard = {
    version: VERSION,
    ready,
    render,
    reset(x) { const w = find(x); if (w) w.reset(); },
    remove(x) { const w = find(x); if (w) w.remove(); },
    getResponse(x) { const w = find(x); return w ? w.resp.value : ''; },
    getSubmission(x) { const w = find(x); return w ? w.submission() : null; },
    getVerdict(x) { const w = find(x); return w ? w.v : null; },
    getMapping(x) { const w = find(x); return w && w.mapping ? Object.assign({}, w.mapping, { map: w.fullMap(), missing: w.missing() }) : null; },
    config(o) { Object.assign(cfg, o || {}); return Object.assign({}, cfg); },
    engineVersion() { return eng ? eng.version() : null; },
  };

  // <donation-guard recipient-type="candidate" election="primary"> inside a form: renders the
  // widget's added fields where the element stands.
  if (W.customElements && !customElements.get('donation-guard')) {
    customElements.define('donation-guard', class extends HTMLElement {
      connectedCallback() {
        const f = this.closest('form');
        if (!f || byForm.has(f)) return;
        this.w = render(f, Object.assign(dataOptions(this, ''), { mount: this }));
      }
      disconnectedCallback() { if (this.w) { const w = byId.get(this.w); if (w) w.remove(); this.w = null; } }
    });
  }
})();

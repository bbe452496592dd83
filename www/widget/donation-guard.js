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

  // ---------------------------------------------------------------- field mapping
  // A field's path comes from data-dg-field, else from its name (the last one or two bracket
  // parts, lowercased, with everything but letters and digits removed), else from autocomplete.
  const table = (s) => {
    const m = {};
    s.split('|').forEach((row) => { const [k, v] = row.split(':'); v.split(' ').forEach((a) => { m[a] = k; }); });
    return m;
  };
  const A = 'donor.address.';
  const NAMES = table(
    'donor.first_name:firstname fname givenname first forename|' +
    'donor.last_name:lastname lname surname familyname last|donor.email:email emailaddress|' +
    A + 'line1:line1 address1 addressline1 address street streetaddress addr1 addr|' +
    A + 'line2:line2 address2 addressline2 addr2|' + A + 'city:city town locality addresscity|' +
    A + 'state:state stateprovince province region addressstate|' +
    A + 'postal_code:postalcode zip zipcode postcode addresspostalcode addresszip|' +
    A + 'country:country countrycode addresscountry|donor.employer:employer employername|' +
    'donor.occupation:occupation jobtitle|donor.citizenship:citizenship|donor.kind:kind donorkind|' +
    'donor.passport.number:passportnumber passport|donor.passport.country:passportcountry|' +
    'contribution.amount:amount donationamount contributionamount|' +
    'contribution.method:method paymentmethod|contribution.currency:currency|recipient.election:election'
  );
  const AUTOCOMPLETE = table(
    'donor.first_name:given-name|donor.last_name:family-name|donor.email:email|' +
    A + 'line1:address-line1 street-address|' + A + 'line2:address-line2|' + A + 'city:address-level2|' +
    A + 'state:address-level1|' + A + 'postal_code:postal-code|' + A + 'country:country country-name|' +
    'contribution.amount:transaction-amount'
  );
  const KNOWN = new Set(Object.values(NAMES).concat('recipient.type'));
  // Values of enumerations, by their normalised spelling, so "Credit card" or "green-card" work.
  const ENUMS = {
    'donor.citizenship': table('us_citizen:uscitizen citizen|us_national:usnational national|' +
      'permanent_resident:permanentresident lpr greencard greencardholder resident lawfulpermanentresident|' +
      'foreign_national:foreignnational foreign noncitizen none'),
    'contribution.method': table('card:card credit creditcard debit debitcard|ach:ach bank echeck banktransfer|' +
      'check:check cheque|wire:wire wiretransfer|cash:cash|other:other'),
    'donor.kind': table('individual:individual person|organization:organization organisation company business'),
    'recipient.election': table('primary:primary|general:general|runoff:runoff|special:special'),
    'recipient.type': table('candidate:candidate|pac:pac|party_national:partynational|party_state:partystate'),
  };
  const norm = (s) => String(s).toLowerCase().replace(/[^a-z0-9]/g, '');

  function pathOf(el) {
    const d = el.getAttribute('data-dg-field');
    if (d) {
      if (KNOWN.has(d)) return d;
      warn('unknown data-dg-field "' + d + '" ignored');
      return null;
    }
    const parts = (el.name || '').match(/[^[\]]+/g) || [];
    const n = parts.length;
    const p = (n > 1 && NAMES[norm(parts[n - 2] + parts[n - 1])]) || (n && NAMES[norm(parts[n - 1])]);
    if (p) return p;
    const ac = (el.getAttribute('autocomplete') || '').trim().toLowerCase().split(/\s+/).pop();
    return AUTOCOMPLETE[ac] || null;
  }

  function enumValue(path, v) {
    const e = ENUMS[path];
    if (!e) return v;
    const r = e[norm(v)];
    if (!r) warn('value "' + v + '" of ' + path + ' is not recognised; it is left out');
    return r;
  }

  // "$1,000" and " 25 " are what donors type; the engine's syntax is exact ("1000", "25").
  function amount(v) {
    const t = v.replace(/^\$\s*/, '').replace(/,(?=\d{3}(?:\D|$))/g, '').trim();
    return /^\d+(\.\d{1,2})?$/.test(t) ? t : v;
  }

  // ---------------------------------------------------------------- messages (en, es)
  // English comes from the engine (the ruleset's words, with its figures filled in). Spanish is
  // a table keyed by finding code; numbers come from the ruleset, never from the English text.
  const ES = {
    foreign_national: 'La ley federal no permite que este comité acepte contribuciones de personas extranjeras. Solo pueden contribuir los ciudadanos y nacionales de los EE. UU. y los residentes permanentes (titulares de tarjeta verde).',
    organization_not_permitted: 'Este formulario acepta contribuciones solo de personas. Las empresas, los sindicatos y otras organizaciones no pueden contribuir por este medio.',
    us_passport_required: 'Escriba su número de pasaporte de los EE. UU.: la ley federal lo exige cuando la dirección de quien contribuye está fuera de los Estados Unidos.',
    passport_invalid: 'Revise su número de pasaporte de los EE. UU.: tiene nueve caracteres, ya sea nueve dígitos o una letra seguida de ocho dígitos.',
    resides_abroad: 'Su dirección está fuera de los Estados Unidos, por lo que el comité revisará esta contribución antes de aceptarla.',
    foreign_passport: 'Usted indicó un pasaporte de un país que no es los Estados Unidos, por lo que el comité revisará esta contribución antes de aceptarla.',
    foreign_payment: 'Este pago proviene de un banco o una tarjeta de fuera de los Estados Unidos, por lo que el comité revisará esta contribución antes de aceptarla.',
    foreign_ip: 'Esta contribución se hizo desde una conexión fuera de los Estados Unidos.',
    overseas_citizen: 'Gracias por indicar su número de pasaporte de los EE. UU. El comité lo conserva en sus archivos, como exige la ley federal.',
    foreign_currency: 'Solo se aceptan contribuciones en dólares estadounidenses.',
    attestation_missing: 'Confirme esta declaración para continuar: la ley federal la exige en cada contribución.',
    attestation_version_mismatch: 'Las declaraciones de este formulario han cambiado. Vuelva a cargar la página, léalas de nuevo y confírmelas.',
    field_required: 'Este campo es obligatorio.',
    state_invalid: 'Escriba el código postal de dos letras de un estado, territorio o base militar de los EE. UU., como NY.',
    postal_code_invalid: 'Escriba un código postal (ZIP) de cinco dígitos, o ZIP+4 como 12345-6789.',
    country_unknown: 'No reconocemos este país. Escriba su nombre en inglés o su código de dos letras, como CA para Canadá.',
    amount_invalid: 'Escriba una cantidad en dólares y centavos mayor que cero, como 25 o 25.50.',
    exceeds_limit: 'Esta contribución superaría el límite legal de {limit} por {per}. Puede contribuir hasta {remaining} más.',
    cash_limit: 'Una contribución en efectivo no puede ser mayor de {limit}.',
    itemization_info_missing: 'La ley federal nos pide informar su empleador y su ocupación cuando sus contribuciones superan {threshold}. Escríbalos, por favor.',
    mixed_script: 'Este dato mezcla letras de distintos alfabetos. Escríbalo de nuevo usando un solo alfabeto.',
    client_verdict_mismatch: 'La verificación hecha en su navegador no coincide con la del comité, por lo que el comité revisará esta contribución.',
  };
  const ES_PER = { election: 'elección', calendar_year: 'año calendario', year: 'año', cycle: 'ciclo electoral' };
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

  // Dollars as the engine prints them: "$3,500.00". Amounts are decimal strings; no floats.
  const cents = (s) => {
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(s == null ? '' : s).trim());
    return m ? BigInt(m[1]) * 100n + BigInt((m[2] || '0').padEnd(2, '0')) : null;
  };
  const usd = (c) => {
    const t = (c < 0n ? 0n : c).toString().padStart(3, '0');
    return '$' + t.slice(0, -2).replace(/\B(?=(\d{3})+$)/g, ',') + '.' + t.slice(-2);
  };

  function message(w, f) {
    if (w.lang !== 'es' || !ES[f.code]) return f.message;
    const rs = w.rs || {};
    const lim = (rs.limits || {})[w.opt.recipientType] || {};
    const prior = cents((w.opt.history || {}).prior_total) || 0n;
    const fill = {
      limit: usd(cents(f.code === 'cash_limit' ? rs.cash_limit : lim.amount) || 0n),
      per: ES_PER[lim.per] || lim.per,
      remaining: usd((cents(lim.amount) || 0n) - prior),
      threshold: usd(cents(rs.itemization_threshold) || 0n),
    };
    return ES[f.code].replace(/\{(\w+)\}/g, (_, k) => fill[k]);
  }

  // ---------------------------------------------------------------- engine
  let engineP = null, eng = null, failure = null;
  const rulesets = {};
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
    if (!rulesets[k]) rulesets[k] = id ? eng.ruleset(id) : eng.ruleset();
    return rulesets[k];
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
    };
    for (const k in o) if (o[k] == null) delete o[k];
    return o;
  }

  class Widget {
    constructor(form, opt) {
      this.id = 'dg-' + ++seq;
      this.form = form;
      this.opt = Object.assign({ recipientType: 'candidate', citizenship: 'ask', responseFieldName: RESPONSE }, opt);
      const l = (this.opt.language || (form.closest('[lang]') || {}).lang || 'en').toLowerCase().slice(0, 2);
      this.lang = UI[l] ? l : 'en';
      this.t = UI[this.lang];
      this.fields = new Map(); // path -> {els, msg}
      this.touched = new Set();
      this.added = []; // nodes we inserted
      this.aria = []; // [element, attribute, original value]
      this.submitted = false;
      this.v = null; this.key = '';
      this.timer = 0; this.n = 0;
      this.on = (e) => this.event(e);
      byForm.set(form, this); byId.set(this.id, this);
      style();
      this.response();
      domReady.then(() => this.setup());
    }

    setup() {
      if (!byId.has(this.id)) return;
      const f = this.form, t = this.t;
      ['input', 'change', 'focusout'].forEach((k) => f.addEventListener(k, this.on));
      f.addEventListener('reset', this.on);
      this.map();
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
      if (this.opt.citizenship !== 'off' && !this.fields.has('donor.citizenship')) {
        const name = f.elements.citizenship ? this.id + '-citizenship' : 'citizenship';
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
      this.general = h('div', { class: 'dg-msg', id: this.id + '-general', 'aria-live': 'polite', hidden: true });
      this.block.append(this.general);
      if (perf.mark && !marked++) perf.mark('donation-guard:interactive');
      engine().then(() => this.init(), (r) => this.unavailable(r));
    }

    // Called once the engine is ready: the parts that need the ruleset.
    init() {
      if (!byId.has(this.id) || this.rs) return;
      const t = this.t, f = this.form;
      try { this.rs = rulesetOf(this.opt.ruleset); } catch (e) { return this.unavailable('engine_error'); }
      if (!this.fields.has('donor.passport.number')) {
        const id = this.id + '-passport';
        this.pp = h('div', { class: 'dg-field', hidden: true }, [
          h('label', { for: id, text: t.pp }),
          h('p', { class: 'dg-hint', id: id + '-hint', text: t.ppHint }),
          h('input', { class: 'dg-input', id, name: f.elements.passport_number ? id : 'passport_number', type: 'text',
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
        this.rows = {};
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
          this.rows[a.id] = wrap;
          fs.append(wrap);
          this.own('attestations.' + a.id, [row.firstChild], row);
        });
        this.part('attestations', fs);
      }
      this.validate();
      if (this.held) { const s = this.held; this.held = null; this.resubmit(s); }
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

    unavailable(reason) {
      if (this.gone) return;
      this.down = reason || 'load_failed';
      this.setResponse(JSON.stringify({ decision: 'unavailable', reason: this.down }));
      const detail = { code: 'unavailable', reason: this.down };
      this.form.dispatchEvent(new CustomEvent(EVT + 'error', { detail, bubbles: true }));
      const cb = fn(this.opt.errorCallback);
      if (cb) try { cb(detail); } catch (e) { console.error(e); }
      if (this.held) { const s = this.held; this.held = null; this.resubmit(s); }
    }

    response() {
      const name = this.opt.responseFieldName;
      let r = [...this.form.querySelectorAll('input[type=hidden]')].find((e) => e.name === name);
      if (!r) { r = h('input', { type: 'hidden', name, 'data-dg-own': true }); this.form.append(r); this.added.push(r); }
      this.resp = r;
    }
    setResponse(v) { this.resp.value = v; }

    // The site's own fields: everything in form.elements with a path, except what we added.
    map() {
      const seen = new Map();
      for (const el of this.form.elements) {
        if (el.closest('[data-dg-own]') || /^(submit|button|reset|image|file|hidden|password)$/.test(el.type)) continue;
        const p = pathOf(el);
        if (p) (seen.get(p) || seen.set(p, []).get(p)).push(el);
      }
      this.n = this.form.elements.length;
      for (const [p, els] of seen) {
        const fd = this.fields.get(p);
        if (fd && !fd.own && fd.els.length === els.length && fd.els.every((e, i) => e === els[i])) continue;
        if (fd && fd.own) continue;
        if (fd) this.unlink(fd);
        this.link(p, els, false);
      }
    }
    own(p, els, after) { this.link(p, els, true, after); }

    link(path, els, own, after) {
      const ids = this.id + '-m-' + ++seq;
      let msg = this.form.querySelector('[data-dg-message-for="' + path + '"]');
      if (msg) { msg.id = msg.id || ids; msg.classList.add('dg-msg'); } else {
        msg = h('div', { class: 'dg-msg', id: ids, 'aria-live': 'polite' });
        let at = after;
        if (!at) {
          const el = els[els.length - 1];
          at = (/radio|checkbox/.test(el.type) && els.length > 1 && el.closest('fieldset')) || el.closest('label') || el;
        }
        at.after(msg);
        if (!own) this.added.push(msg);
      }
      els.forEach((el) => {
        if (!el.id) { el.id = this.id + '-f-' + (++seq); }
        const d = el.getAttribute('aria-describedby');
        this.aria.push([el, 'aria-describedby', d], [el, 'aria-invalid', el.getAttribute('aria-invalid')]);
        el.setAttribute('aria-describedby', (d ? d + ' ' : '') + msg.id);
      });
      this.fields.set(path, { els, msg, own });
    }
    unlink(fd) { if (!fd.own && fd.msg.parentNode && fd.msg.matches('div.dg-msg:not([data-dg-message-for])')) fd.msg.remove(); }

    event(e) {
      if (e.type === 'reset') { setTimeout(() => this.reset(true)); return; }
      const el = e.target;
      if (!el || !el.getAttribute || (this.sum && this.sum.contains(el))) return;
      const p = el.getAttribute('data-dg-field') || pathOf(el);
      if (e.type === 'change' && p) this.touched.add(p);
      clearTimeout(this.timer);
      // A message that appears while the donor's pointer is down (the blur of a mousedown) would
      // move what they are clicking: show it once the click is over.
      const later = e.type === 'input' ? (this.opt.debounce == null ? 120 : this.opt.debounce) : pointer ? -1 : 0;
      if (later < 0) afterPointer.add(this);
      else if (later) this.timer = setTimeout(() => this.validate(), later);
      else this.validate();
    }

    value(p) {
      const fd = this.fields.get(p);
      if (!fd) return '';
      for (const el of fd.els) {
        if (el.disabled || el.closest('[hidden]')) continue;
        let v = /radio|checkbox/.test(el.type) ? (el.checked ? el.value : '') : el.value;
        v = (v || '').trim();
        if (v && !(el.type === 'radio' && /^other$/i.test(v))) return v;
      }
      return '';
    }

    submission() {
      if (this.form.elements.length !== this.n) this.map();
      const s = { recipient: {}, donor: {}, contribution: {} };
      const put = (path, v) => {
        const ks = path.split('.');
        let o = s;
        ks.slice(0, -1).forEach((k) => { o = o[k] || (o[k] = {}); });
        o[ks[ks.length - 1]] = v;
      };
      for (const p of this.fields.keys()) {
        if (p.startsWith('attestations.') || p.startsWith('donor.passport.')) continue;
        let v = this.value(p);
        if (p === 'contribution.amount') v = amount(v);
        if (v && ENUMS[p]) v = enumValue(p, v);
        if (v) put(p, v);
      }
      const o = this.opt;
      if (!s.recipient.type && o.recipientType) put('recipient.type', enumValue('recipient.type', o.recipientType) || o.recipientType);
      if (s.recipient.type === 'candidate' && !s.recipient.election && o.election) put('recipient.election', enumValue('recipient.election', o.election));
      if (s.recipient.type !== 'candidate') delete s.recipient.election;
      if (!this.fields.has(A + 'country')) put(A + 'country', o.country || 'US');
      if (!s.contribution.method && o.method !== 'none') put('contribution.method', o.method || 'card');
      const pn = this.value('donor.passport.number');
      if (pn && (!this.pp || !this.pp.hidden)) put('donor.passport', { country: this.value('donor.passport.country') || 'US', number: pn });
      if (this.rs) {
        const card = s.contribution.method === 'card';
        s.attestations = {
          version: this.rs.attestation_digest,
          affirmed: (this.rs.attestations || []).filter((a) => (a.required !== 'card' || card) && this.value('attestations.' + a.id)).map((a) => a.id),
        };
      }
      if (o.history) s.history = o.history;
      return s;
    }

    validate(depth) {
      if (!eng || this.down || !this.rs || this.gone) return this.v;
      clearTimeout(this.timer);
      const t0 = perf.now();
      const sub = this.submission();
      let v;
      try { v = eng.check(sub); } catch (e) { console.error(e); this.unavailable('engine_error'); return null; }
      if (!v || v.error) {
        // Not a submission (say, a field over the engine's size limit): the server will say so.
        // The browser check is unavailable for this state of the form only.
        warn('the form does not map to a submission: ' + JSON.stringify(v && v.error));
        this.v = null; this.key = '';
        this.setResponse(JSON.stringify({ decision: 'unavailable', reason: 'invalid_submission' }));
        return null;
      }
      // The passport field shows when the engine asks about the passport (a foreign address).
      const card = sub.contribution.method === 'card';
      (this.rs.attestations || []).forEach((a) => { if (a.required === 'card' && this.rows[a.id]) this.rows[a.id].hidden = !card; });
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
      const rest = v.findings.filter((f) => !this.fields.has(f.field) || this.fields.get(f.field).els.every((e) => e.closest('[hidden]')));
      for (const [p, fd] of this.fields) {
        const show = this.submitted || this.touched.has(p);
        // One message per field: the engine sorts the worst first (passport_invalid before
        // us_passport_required, which says the same less precisely).
        const fs = show ? v.findings.filter((f) => f.field === p).slice(0, 1) : [];
        const worst = fs.length ? fs[0].severity : '';
        fd.msg.textContent = fs.map((f) => message(this, f)).join(' ');
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
      const ok = v.decision === 'accept' || v.decision === 'review';
      this.setResponse(ok ? JSON.stringify({ decision: v.decision, submission_digest: v.submission_digest, ruleset_digest: v.ruleset.digest }) : '');
      if (this.sum) this.summary(false);
      const key = JSON.stringify([v.decision, v.submission_digest, v.findings.map((f) => f.code + f.field)]);
      if (key !== this.key) {
        this.key = key;
        this.form.dispatchEvent(new CustomEvent(EVT + 'verdict', { detail: v, bubbles: true }));
        const cb = fn(this.opt.callback);
        if (cb) try { cb(v, this.resp.value); } catch (e) { console.error(e); }
      }
    }

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
      const l = (el.labels && el.labels[0]) || null;
      const t = (l ? l.textContent : el.getAttribute('aria-label') || el.placeholder || '').replace(/[\s*:]+$/, '').trim();
      return t.length > 60 ? '' : t;
    }

    // The error summary: at the top of the form, focused on submit, kept in step afterwards.
    summary(focus) {
      const at = (f) => { const fd = this.fields.get(f.field); return fd && fd.els.find((e) => !e.closest('[hidden]')); };
      const rej = (this.v ? this.v.findings.filter((f) => f.severity === 'reject') : [])
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
      if (v && v.decision === 'reject') {
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
      this.added.forEach((n) => n.remove());
      this.aria.reverse().forEach(([el, a, v]) => { if (v == null) el.removeAttribute(a); else el.setAttribute(a, v); });
      this.fields.forEach((fd) => fd.els.forEach((el) => el.classList.remove('dg-invalid')));
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
    if (old) return old.id;
    engine().catch(() => {});
    return new Widget(form, Object.assign(dataOptions(form, 'data-'), options || {})).id;
  }
  function scan() {
    D.querySelectorAll('form[data-donation-guard]').forEach((f) => { if (!byForm.has(f)) render(f); });
  }
  const ready = domReady
    .then(() => me || new Promise((ok) => setTimeout(ok))) // lets the ES module entry configure us first
    .then(() => { scan(); return engine(); })
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

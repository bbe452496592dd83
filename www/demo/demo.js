// The demo page's own script: amount buttons, and the hand-off to the committee's server.
// The widget (donation-guard.js) checks the form in the browser and blocks submit on reject;
// this script runs only for a submit the widget allowed.
(() => {
  'use strict';
  const form = document.getElementById('donate');
  const amount = document.getElementById('amount');
  const label = document.getElementById('donate-amount');
  const result = document.getElementById('result');
  const submit = form.querySelector('button[type=submit]');
  const buttons = [...form.querySelectorAll('button.amount')];
  let pendingId = null;

  const dollars = (v) => {
    const m = /^\$?\s*([\d,]*)(?:\.(\d{1,2}))?$/.exec(v.trim());
    if (!m || !m[1]) return '';
    return '$' + m[1].replace(/,/g, '').replace(/\B(?=(\d{3})+$)/g, ',') + (m[2] ? '.' + m[2].padEnd(2, '0') : '');
  };
  const sync = () => {
    const v = amount.value.trim().replace(/^\$/, '');
    buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.amount !== '' && b.dataset.amount === v)));
    label.textContent = dollars(amount.value);
  };
  buttons.forEach((b) => b.addEventListener('click', () => {
    if (b.dataset.amount === '') { amount.value = ''; amount.focus(); } else amount.value = b.dataset.amount;
    amount.dispatchEvent(new Event('input', { bubbles: true }));
    amount.dispatchEvent(new Event('change', { bubbles: true }));
    sync();
  }));
  amount.addEventListener('input', sync);
  sync();

  // The language switch: the page's own words from data-es (English kept in data-en), the
  // widget re-rendered in that language (its questions and the engine's messages), ?lang=es.
  const switches = [...document.querySelectorAll('.lang-switch button')];
  const T = {
    es: {
      unreachable: 'No pudimos comunicarnos con el servidor de contribuciones', unreachableLine: 'Revise su conexión e inténtelo de nuevo. No se cobró nada.',
      thanks: 'Gracias', received: 'Su contribución a Maya Okonkwo for Congress fue recibida.', pending: 'Gracias. Su contribución está pendiente de revisión',
      pendingLine: 'El comité revisa algunas contribuciones antes de aceptarlas, como lo pide la ley federal. Le escribiremos por correo electrónico.',
      rejected: 'No pudimos aceptar esta contribución', verdict: 'Veredicto del servidor: ',
    },
    en: {
      unreachable: 'We could not reach the donation server', unreachableLine: 'Check your connection and try again. Nothing was charged.',
      thanks: 'Thank you', received: 'contribution to Maya Okonkwo for Congress was received.', pending: 'Thank you. Your contribution is pending review',
      pendingLine: 'The committee reviews some contributions before accepting them, as federal law asks. You will hear from us by email.',
      rejected: 'We could not accept this contribution', verdict: 'Server verdict: ',
    },
  };
  let lang = 'en';
  function setLanguage(l) {
    lang = l === 'es' ? 'es' : 'en';
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-es]').forEach((n) => {
      if (n.dataset.en === undefined) n.dataset.en = n.textContent;
      n.textContent = lang === 'es' ? n.dataset.es : n.dataset.en;
    });
    switches.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
    form.dataset.language = lang;
    const dg = window.donationGuard;
    // The widget re-rendered in the new language; if its script has not run yet, it renders
    // with data-language as set here.
    if (dg && dg.render) {
      dg.remove(form);
      dg.render(form);
    }
  }
  switches.forEach((b) => b.addEventListener('click', () => {
    setLanguage(b.dataset.lang);
    const url = new URL(location.href);
    if (lang === 'es') url.searchParams.set('lang', 'es'); else url.searchParams.delete('lang');
    history.replaceState(null, '', url);
  }));
  if (new URLSearchParams(location.search).get('lang') === 'es') setLanguage('es');

  const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join(''));
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; };

  function show(kind, title, lines, extra) {
    result.hidden = false;
    result.className = 'result ' + kind;
    result.setAttribute('role', kind === 'accept' ? 'status' : 'alert');
    result.replaceChildren(el('h3', title));
    if (lines.length === 1) result.append(el('p', lines[0]));
    else if (lines.length) { const ul = el('ul'); lines.forEach((l) => ul.append(el('li', l))); result.append(ul); }
    if (extra) result.append(extra);
    result.focus();
    result.scrollIntoView({ block: 'nearest' });
  }

  form.addEventListener('submit', async (e) => {
    if (e.defaultPrevented) return;
    e.preventDefault();
    const dg = window.donationGuard;
    // The submission is the engine's reading of the form (the widget's getSubmission). Without
    // the engine (it failed to load), the form goes as the browser would post it, to
    // /v1/forms/contributions, and the server reads it alone: this page holds no copy of the law.
    const submission = dg && dg.getSubmission(form);
    const field = form.elements.namedItem('donation-guard-response');
    let request;
    if (submission && !submission.error) {
      pendingId = pendingId || uuid();
      submission.id = pendingId;
      // The widget's verdict goes along (the server compares it, or, for "unavailable", knows to
      // check alone): its decision and digests, as the Donation-Guard-Response header.
      const headers = { 'content-type': 'application/json' };
      let r;
      try { r = field && field.value ? JSON.parse(field.value) : null; } catch (_) { r = null; }
      if (r) headers['donation-guard-response'] = JSON.stringify({ decision: r.decision, submission_digest: r.submission_digest, ruleset_digest: r.ruleset_digest, reason: r.reason });
      request = ['/v1/contributions', { method: 'POST', headers, body: JSON.stringify(submission) }];
    } else {
      request = ['/v1/forms/contributions', { method: 'POST', body: new URLSearchParams(new FormData(form)) }];
    }
    window.lastSubmission = submission;
    submit.setAttribute('aria-busy', 'true');
    let res, body;
    try {
      res = await fetch(request[0], request[1]);
      body = await res.json().catch(() => null);
    } catch (err) {
      submit.removeAttribute('aria-busy');
      show('error', T[lang].unreachable, [T[lang].unreachableLine]);
      return;
    }
    submit.removeAttribute('aria-busy');
    if (res.status === 404 || res.status === 405 || res.status === 501) {
      show('error', 'The donation server is not running here', [
        'This page was served without the committee\'s server, so there is nowhere to send the contribution (POST /v1/contributions answered ' + res.status + ').',
        'Run `make run` and open http://127.0.0.1:8080/demo/ to try the whole flow.']);
      return;
    }
    if (!res.ok || !body || body.error || !body.decision) {
      const msg = body && body.error ? body.error.message : 'The server answered ' + res.status + '.';
      show('error', 'The server could not read this contribution', [msg]);
      pendingId = null;
      return;
    }
    pendingId = null;
    const name = submission && submission.donor && submission.donor.first_name;
    const sum = dollars(String((submission && submission.contribution && submission.contribution.amount) || amount.value || ''));
    const notes = body.findings.filter((f) => f.severity !== 'info' || f.code === 'overseas_citizen').map((f) => f.message);
    const proof = el('p', '', 'verdict');
    proof.append(T[lang].verdict, el('code', body.decision + ' · ' + body.submission_digest));
    if (body.decision === 'accept') {
      const line = lang === 'es' ? T.es.received : 'Your ' + (sum || '') + ' ' + T.en.received;
      show('accept', T[lang].thanks + (name ? ', ' + name : '') + '!', [line].concat(notes), proof);
      form.hidden = true;
    } else if (body.decision === 'review') {
      show('review', T[lang].pending, [T[lang].pendingLine].concat(notes), proof);
      form.hidden = true;
    } else {
      show('reject', T[lang].rejected, notes.length ? notes : ['The committee\'s server rejected it.'], proof);
    }
  });
})();

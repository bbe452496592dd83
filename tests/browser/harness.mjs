// Shared by the browser tests: Chromium (Debian's, headless, through playwright-core), the
// engine assets check, the test form page, and helpers to fill it in.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { repo, www } from './server.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const shots = path.join(repo, 'test-output', 'screenshots');
export const engineDir = path.join(www, 'widget', 'engine');

/** The engine glue and wasm must be in www/widget/engine/ (make www-assets). */
export function ensureEngine() {
  const files = ['donation_guard.js', 'donation_guard_bg.wasm'];
  if (files.every((f) => existsSync(path.join(engineDir, f)))) return;
  const pkg = path.join(repo, 'pkg', 'web');
  if (files.every((f) => existsSync(path.join(pkg, f)))) {
    mkdirSync(engineDir, { recursive: true });
    files.forEach((f) => copyFileSync(path.join(pkg, f), path.join(engineDir, f)));
    return;
  }
  throw new Error('the wasm engine is missing from www/widget/engine/: run `make www-assets` first');
}

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(CHROMIUM + ' is missing: apt-get install -y chromium (make browser-test does it)');
  mkdirSync(shots, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

export const shot = (page, name) => page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });

/** Collects console errors and page errors, so a test can assert there were none. */
export function watch(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  return errors;
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * A plain donation form as a campaign's site would have it: fields named in several styles
 * (bracketed, flat, zip), no citizenship or passport question, no attestations. It posts
 * natively to /capture. Query: lang, attrs (extra form attributes, as JSON), mjs=1.
 */
export function formPage(q) {
  const attrs = Object.entries(JSON.parse(q.get('attrs') || '{}')).map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  const lang = q.get('lang') || 'en';
  const script = q.get('mjs') ? '<script type="module" src="/widget/donation-guard.mjs"></script>'
    : q.get('element') ? '<script src="/widget/donation-guard.js"></script>'
      : `<script src="/widget/donation-guard.js"${q.get('auto') ? ` data-auto="${q.get('auto')}"` : ''} async defer></script>`;
  const slot = q.get('element') ? '<donation-guard recipient-type="candidate" election="general"></donation-guard>' : '';
  const formAttrs = q.get('element') || q.get('explicit') ? '' : ' data-donation-guard data-recipient-type="candidate" data-election="primary"';
  return `<!doctype html>
<html lang="${esc(lang)}"><head><meta charset="utf-8"><title>Test form</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/test/form.css"><link rel="icon" href="data:,"></head>
<body><main>
<h1>Donate</h1>
<form id="f" action="/capture" method="post"${formAttrs} data-callback="onDgVerdict" data-error-callback="onDgError"${attrs}>
  <p><label for="first">First name</label><input id="first" name="donor[first_name]" autocomplete="given-name"></p>
  <p><label for="last">Last name</label><input id="last" name="last_name"></p>
  <p><label for="email">Email</label><input id="email" name="email" type="email"></p>
  <p><label for="line1">Street address</label><input id="line1" name="address1"></p>
  <p><label for="city">City</label><input id="city" name="city"></p>
  <p><label for="state">State</label><input id="state" name="state"></p>
  <p><label for="zip">ZIP code</label><input id="zip" name="zip"></p>
  <p><label for="country">Country</label><input id="country" name="country" value="United States"></p>
  <p><label for="employer">Employer</label><input id="employer" name="employer"></p>
  <p><label for="occupation">Occupation</label><input id="occupation" name="occupation"></p>
  <p><label for="amount">Amount</label><input id="amount" name="amount" inputmode="decimal"></p>
  ${slot}
  <button type="submit" id="go">Donate</button>
</form>
</main>
<script src="/test/fixture.js"></script>
${script}
</body></html>`;
}

export const ADA = {
  '#first': 'Ada', '#last': 'Lovelace', '#email': 'ada@example.org', '#line1': '12 Analytical Way',
  '#city': 'Springfield', '#state': 'IL', '#zip': '62701', '#employer': 'Difference Engines Inc.',
  '#occupation': 'Mathematician', '#amount': '50',
};

export async function fill(page, values) {
  for (const [sel, v] of Object.entries(values)) await page.fill(sel, v);
}

/** Checks every visible attestation box of the widget. */
export async function affirmAll(page) {
  for (const box of await page.locator('.dg-attest input[type=checkbox]:visible').all()) await box.check();
}

export async function ready(page) {
  return page.evaluate(() => window.donationGuard.ready);
}

const STATE_NAMES = ['Alabama', 'Alaska', 'Arizona', 'Arkansas', 'California', 'Colorado', 'Connecticut', 'Delaware',
  'District of Columbia', 'Florida', 'Georgia', 'Hawaii', 'Idaho', 'Illinois', 'Indiana', 'Iowa', 'Kansas', 'Kentucky',
  'Louisiana', 'Maine', 'Maryland', 'Massachusetts', 'Michigan', 'Minnesota', 'Mississippi', 'Missouri', 'Montana',
  'Nebraska', 'Nevada', 'New Hampshire', 'New Jersey', 'New Mexico', 'New York', 'North Carolina', 'North Dakota', 'Ohio',
  'Oklahoma', 'Oregon', 'Pennsylvania', 'Rhode Island', 'South Carolina', 'South Dakota', 'Tennessee', 'Texas', 'Utah',
  'Vermont', 'Virginia', 'Washington', 'West Virginia', 'Wisconsin', 'Wyoming'];

/**
 * A form as a form builder renders it, never renamed for the widget: EveryAction-style names,
 * amount radios with an "Other" box, a State <select> whose values are full names, and fields
 * named constructor, __proto__ and toString. Query: unmapped=1 gives the street address an
 * opaque name and no label (a required part the widget cannot map); debug=1 adds data-debug.
 */
export function builderPage(q) {
  const street = q.get('unmapped') ? '<p><input id="street" name="q_17"></p>'
    : '<p><label for="street">Street Address</label><input id="street" name="AddressLine1"></p>';
  const debug = q.get('debug') ? ' data-debug' : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Builder form</title>
<link rel="stylesheet" href="/test/form.css"><link rel="icon" href="data:,"></head>
<body><main><h1>Chip in</h1>
<form id="f" action="/capture" method="post" data-donation-guard data-recipient-type="candidate" data-election="primary" data-error-callback="onDgError"${debug}>
  <fieldset id="amounts"><legend>Select an amount</legend>
    <label><input type="radio" name="SelectAmount" value="25"> $25</label>
    <label><input type="radio" name="SelectAmount" value="50"> $50</label>
    <label><input type="radio" name="SelectAmount" value="other" id="amount-other"> Other</label>
    <label class="other">Other amount <input id="other" name="OtherAmount" inputmode="decimal"></label>
  </fieldset>
  <p><label for="fn">First Name</label><input id="fn" name="FirstName"></p>
  <p><label for="ln">Last Name</label><input id="ln" name="LastName"></p>
  ${street}
  <p><label for="city">City</label><input id="city" name="City"></p>
  <p><label for="st">State</label><select id="st" name="StateProvince"><option value="">Select…</option>${STATE_NAMES.map((s) => `<option>${s}</option>`).join('')}</select></p>
  <p><label for="zip">Postal Code</label><input id="zip" name="PostalCode"></p>
  <p><label for="c1">Nickname</label><input id="c1" name="constructor"></p>
  <p><label for="c2">How did you hear about us?</label><input id="c2" name="__proto__"></p>
  <p><label for="c3">Comments</label><input id="c3" name="toString"></p>
  <button type="submit" id="go">Contribute</button>
</form></main>
<script src="/test/fixture.js"></script>
<script src="/widget/donation-guard.js" async defer></script>
</body></html>`;
}

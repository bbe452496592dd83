// The widget on a plain campaign form, in Chromium: the donor flows of issue 4.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { start, nativeCheck, cli } from './server.mjs';
import { launch, ensureEngine, formPage, builderPage, ADA, fill, affirmAll, ready, shot, watch } from './harness.mjs';

let server, browser;
before(async () => {
  ensureEngine();
  server = await start({ pages: { '/test/form': formPage, '/test/builder': builderPage } });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

async function open(query = '', { expectReady = true } = {}) {
  const ctx = await browser.newContext({ viewport: { width: 800, height: 900 } });
  const page = await ctx.newPage();
  const errors = watch(page);
  await page.goto(server.url + '/test/form' + query);
  if (expectReady) assert.equal(await ready(page), true, 'the engine loads');
  return { page, ctx, errors };
}
const response = (page) => page.evaluate(() => document.querySelector('[name="donation-guard-response"]').value);
const verdict = (page) => page.evaluate(() => window.donationGuard.getVerdict('#f'));
const decided = (page, decision) => page.waitForFunction((d) => {
  const v = window.donationGuard.getVerdict('#f');
  return v && v.decision === d;
}, decision);
/** The message element the field points to with aria-describedby, and whether it sits beside it. */
const messageOf = (page, selector) => page.evaluate((sel) => {
  const el = document.querySelector(sel);
  const msg = (el.getAttribute('aria-describedby') || '').split(/\s+/).map((id) => document.getElementById(id))
    .find((m) => m && m.classList.contains('dg-msg'));
  if (!msg) return null;
  const prev = msg.previousElementSibling;
  return { text: msg.textContent, invalid: el.getAttribute('aria-invalid'), beside: !!prev && (prev === el || prev.contains(el)) };
}, selector);
const posted = () => {
  const p = server.posts.filter((x) => x.path === '/capture').pop();
  return p && new URLSearchParams(p.body);
};
const noErrors = (errors) => assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);

test('a U.S. donor completes the form and the posted form carries the verdict, decision accept', async () => {
  const { page, ctx, errors } = await open();
  assert.equal(await page.locator('[data-dg-field="donor.passport.number"]').isVisible(), false, 'no passport field for a U.S. address');
  await fill(page, ADA);
  await page.check('input[value=us_citizen]');
  await affirmAll(page);
  await decided(page, 'accept');
  const r = JSON.parse(await response(page));
  const v = await verdict(page);
  assert.deepEqual(Object.keys(r), ['decision', 'submission_digest', 'ruleset_digest', 'map']);
  assert.equal(r.decision, 'accept');
  assert.equal(r.submission_digest, v.submission_digest);
  assert.equal(r.ruleset_digest, v.ruleset.digest);
  const sub = await page.evaluate(() => window.donationGuard.getSubmission('#f'));
  assert.equal(sub.donor.first_name, 'Ada', 'donor[first_name] maps to donor.first_name');
  assert.equal(sub.donor.address.postal_code, '62701', 'zip maps to donor.address.postal_code');
  assert.equal(sub.donor.address.line1, '12 Analytical Way', 'address1 maps to donor.address.line1');
  assert.equal(sub.attestations.affirmed.length, 5);
  if (existsSync(cli)) {
    const native = JSON.parse(nativeCheck([JSON.stringify(sub)])[0]);
    assert.equal(native.submission_digest, r.submission_digest, 'the native engine computes the same digest');
    assert.equal(native.decision, 'accept');
  }
  const calls = await page.evaluate(() => window.dgCalls);
  assert.ok(calls.events > 0 && calls.verdict.length > 0, 'event and data-callback fire');
  assert.equal(calls.verdict.at(-1).decision, 'accept');
  await shot(page, '01-us-donor-ready');
  await Promise.all([page.waitForURL('**/capture'), page.click('#go')]);
  const body = posted();
  assert.deepEqual(JSON.parse(body.get('donation-guard-response')), r);
  assert.equal(body.get('citizenship'), 'us_citizen');
  assert.deepEqual(body.getAll('attestations[]').length, 5);
  noErrors(errors);
  await ctx.close();
});

test('a foreign national is blocked, with the message beside the citizenship question', async () => {
  const { page, ctx, errors } = await open();
  const before = server.posts.length;
  await fill(page, ADA);
  await page.check('input[value=foreign_national]');
  await affirmAll(page);
  await decided(page, 'reject');
  const m = await messageOf(page, 'input[value=foreign_national]');
  assert.match(m.text, /foreign national/);
  assert.equal(m.invalid, 'true');
  assert.ok(m.beside, 'the message follows the citizenship fieldset');
  assert.equal(await response(page), '', 'no response on reject');
  await page.click('#go');
  await page.waitForSelector('.dg-summary');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'dg-summary', 'the summary takes focus');
  assert.equal(await page.getAttribute('.dg-summary', 'role'), 'alert');
  assert.match(await page.textContent('.dg-summary'), /Citizenship: Federal law does not allow/);
  assert.equal(server.posts.length, before, 'nothing was posted');
  assert.ok(page.url().endsWith('/test/form'));
  await shot(page, '02-foreign-national-blocked');
  // The summary's link takes the donor to the field.
  await page.click('.dg-summary a');
  assert.equal(await page.evaluate(() => document.activeElement.value), 'us_citizen');
  noErrors(errors);
  await ctx.close();
});

test('an address in Canada brings up the passport field; a valid U.S. passport lets the donor through', async () => {
  const { page, ctx, errors } = await open();
  const passport = page.locator('[data-dg-field="donor.passport.number"]');
  await fill(page, { ...ADA, '#city': 'Toronto', '#state': 'ON', '#zip': 'M5V 2T6', '#country': 'Canada' });
  await page.check('input[value=us_citizen]');
  await affirmAll(page);
  await passport.waitFor({ state: 'visible' });
  await decided(page, 'reject');
  assert.deepEqual((await verdict(page)).findings.map((f) => f.code), ['us_passport_required']);
  await page.click('#go');
  await page.waitForSelector('.dg-summary');
  assert.match((await messageOf(page, '[data-dg-field="donor.passport.number"]')).text, /U\.S\. passport number/);
  await shot(page, '03-overseas-passport-required');
  await passport.fill('561728934');
  await decided(page, 'accept');
  const v = await verdict(page);
  assert.deepEqual(v.findings.map((f) => [f.code, f.severity]), [['overseas_citizen', 'info']]);
  const sub = await page.evaluate(() => window.donationGuard.getSubmission('#f'));
  assert.deepEqual(sub.donor.passport, { country: 'US', number: '561728934' });
  await page.waitForSelector('.dg-summary', { state: 'detached' });
  await shot(page, '04-overseas-citizen-accepted');
  await Promise.all([page.waitForURL('**/capture'), page.click('#go')]);
  assert.equal(JSON.parse(posted().get('donation-guard-response')).decision, 'accept');
  assert.equal(posted().get('passport_number'), '561728934');
  noErrors(errors);
  await ctx.close();
});

test('the passport field goes away again when the address comes home', async () => {
  const { page, ctx } = await open();
  const passport = page.locator('[data-dg-field="donor.passport.number"]');
  await fill(page, { ...ADA, '#country': 'Canada' });
  await passport.waitFor({ state: 'visible' });
  await page.fill('#country', 'US');
  await passport.waitFor({ state: 'hidden' });
  await ctx.close();
});

test('an unchecked attestation blocks submit, with its message beside the box', async () => {
  const { page, ctx } = await open();
  await fill(page, ADA);
  await page.check('input[value=us_citizen]');
  await affirmAll(page);
  await decided(page, 'accept');
  await page.uncheck('input[value=own_funds]');
  await decided(page, 'reject');
  const m = await messageOf(page, 'input[value=own_funds]');
  assert.match(m.text, /Confirm this statement/);
  assert.equal(m.invalid, 'true');
  assert.ok(m.beside);
  await page.click('#go');
  await page.waitForSelector('.dg-summary');
  assert.match(await page.textContent('.dg-summary'), /This contribution is made from my own/);
  assert.ok(page.url().endsWith('/test/form'), 'no navigation');
  await shot(page, '05-attestation-missing');
  await ctx.close();
});

test('the personal card statement shows only when the method is card', async () => {
  const { page, ctx } = await open('?attrs=' + encodeURIComponent(JSON.stringify({ 'data-method': 'check' })));
  assert.equal(await page.locator('input[value=personal_card]').isVisible(), false);
  await fill(page, ADA);
  await page.check('input[value=us_citizen]');
  await affirmAll(page);
  await decided(page, 'accept');
  assert.ok(!(await page.evaluate(() => window.donationGuard.getSubmission('#f'))).attestations.affirmed.includes('personal_card'));
  await ctx.close();
});

test('an amount over the limit is rejected in the browser; "$3,500" is read as 3500', async () => {
  const { page, ctx } = await open();
  await fill(page, { ...ADA, '#amount': '3500.01' });
  await page.check('input[value=us_citizen]');
  await affirmAll(page);
  await decided(page, 'reject');
  const m = await messageOf(page, '#amount');
  assert.match(m.text, /over the legal limit of \$3,500\.00 per election/);
  assert.equal(m.invalid, 'true');
  await page.click('#go');
  await page.waitForSelector('.dg-summary');
  await shot(page, '06-over-the-limit');
  await page.fill('#amount', '$3,500');
  await decided(page, 'accept');
  assert.equal((await page.evaluate(() => window.donationGuard.getSubmission('#f'))).contribution.amount, '3500');
  await ctx.close();
});

test('findings show only for touched fields until submit, and showing one shifts nothing', async () => {
  const { page, ctx } = await open();
  const y = async () => (await page.locator('#go').boundingBox()).y;
  const y0 = await y();
  await page.fill('#zip', '123');
  await page.locator('#zip').blur();
  await page.waitForFunction(() => document.getElementById('zip').getAttribute('aria-invalid') === 'true');
  assert.match((await messageOf(page, '#zip')).text, /five-digit ZIP/);
  assert.equal((await messageOf(page, '#first')).text, '', 'untouched fields stay quiet');
  assert.equal(await y(), y0, 'the message fills reserved space');
  await page.click('#go');
  await page.waitForSelector('.dg-summary');
  assert.match((await messageOf(page, '#first')).text, /required/);
  await ctx.close();
});

test('Spanish: data-language="es" shows Spanish messages, statements and questions', async () => {
  const { page, ctx, errors } = await open('?lang=es&attrs=' + encodeURIComponent(JSON.stringify({ 'data-language': 'es' })));
  assert.equal(await page.textContent('.dg-attest legend'), 'Reglas de contribución');
  assert.match(await page.textContent('.dg-attest'), /Tengo al menos 18 años\./);
  assert.match(await page.textContent('.dg-attest'), /I am at least 18 years old\./, 'the English legal text stays beside the translation');
  // The hint under the citizenship question states the law: the ruleset's prompt, in Spanish.
  assert.match(await page.textContent('.dg-cit .dg-hint'), /^La ley federal solo permite contribuciones/);
  await fill(page, { ...ADA, '#amount': '3500.01' });
  await page.check('input[value=foreign_national]');
  await affirmAll(page);
  await decided(page, 'reject');
  assert.match((await messageOf(page, 'input[value=foreign_national]')).text, /no permite que este comité acepte una contribución de un extranjero/);
  assert.equal((await messageOf(page, '#amount')).text,
    'Amount: Esta contribución superaría el límite legal de $3,500.00 por elección. Puede contribuir hasta $3,500.00 más.');
  await page.click('#go');
  await page.waitForSelector('.dg-summary');
  assert.match(await page.textContent('.dg-summary'), /Corrija lo siguiente/);
  await shot(page, '07-spanish');
  noErrors(errors);
  await ctx.close();
});

test('explicit render, getResponse, reset and remove', async () => {
  const { page, ctx } = await open('?explicit=1');
  // With no form marked, the script tag guards the donation form it finds on its own; an
  // explicit render with options then replaces that one (one widget, the page's options).
  await page.waitForSelector('.dg-attest');
  const auto = await page.evaluate(() => window.donationGuard.getResponse('#f'));
  const id = await page.evaluate(() => window.donationGuard.render(document.getElementById('f'),
    { recipientType: 'pac', responseFieldName: 'dg', citizenship: 'off' }));
  assert.match(id, /^dg-\d+$/);
  assert.equal(typeof auto, 'string');
  await page.waitForSelector('.dg-attest');
  assert.equal(await page.locator('.dg-block').count(), 1, 'one widget: the explicit render replaced the automatic one');
  assert.equal(await page.locator('[name="donation-guard-response"]').count(), 0, 'the automatic widget\'s field is gone');
  assert.equal(await page.locator('.dg-cit').count(), 0, 'citizenship: off');
  await fill(page, ADA);
  await affirmAll(page);
  await decided(page, 'accept');
  const r = await page.evaluate((i) => window.donationGuard.getResponse(i), id);
  assert.equal(JSON.parse(r).decision, 'accept');
  assert.equal(await page.evaluate(() => document.querySelector('[name=dg]').value), r, 'renamed response field');
  assert.equal((await page.evaluate(() => window.donationGuard.getSubmission('#f'))).recipient.type, 'pac');
  await page.evaluate((i) => window.donationGuard.reset(i), id);
  await decided(page, 'reject');
  assert.equal(await page.locator('.dg-attest input:checked').count(), 0, 'reset clears the statements');
  await page.evaluate((i) => window.donationGuard.remove(i), id);
  assert.equal(await page.locator('.dg-block, .dg-msg, [name=dg]').count(), 0, 'remove takes away what it added');
  assert.equal(await page.getAttribute('#zip', 'aria-describedby'), null, 'and restores the fields');
  await ctx.close();
});

test('data-auto="off" on the script tag: no form is guarded until the page renders one', async () => {
  const { page, ctx } = await open('?explicit=1&auto=off');
  assert.equal(await page.locator('.dg-block').count(), 0, 'no implicit render');
  assert.equal(await page.evaluate(() => window.donationGuard.getMapping('#f')), null);
  await page.evaluate(() => window.donationGuard.render('#f'));
  await page.waitForSelector('.dg-attest');
  await ctx.close();
});

test('the ES module entry and the <donation-guard> element render too', async () => {
  let { page, ctx } = await open('?mjs=1');
  assert.equal(await page.evaluate(async () => (await import('/widget/donation-guard.mjs')).default === window.donationGuard), true);
  await page.waitForSelector('.dg-attest');
  await ctx.close();
  ({ page, ctx } = await open('?element=1'));
  await page.waitForSelector('donation-guard .dg-attest');
  await fill(page, ADA);
  await page.check('input[value=us_citizen]');
  await affirmAll(page);
  await decided(page, 'accept');
  assert.deepEqual((await page.evaluate(() => window.donationGuard.getSubmission('#f'))).recipient, { type: 'candidate', election: 'general' });
  await ctx.close();
});

test('values that are not a submission (over the size limit) never block the donor', async () => {
  const { page, ctx } = await open();
  await fill(page, { ...ADA, '#occupation': 'x'.repeat(70000) });
  await page.waitForFunction(() => document.querySelector('[name="donation-guard-response"]').value.includes('invalid_submission'));
  await page.fill('#occupation', 'Mathematician');
  await page.check('input[value=us_citizen]');
  await affirmAll(page);
  await decided(page, 'accept');
  await ctx.close();
});

// ---------------------------------------------------------------- forms the project did not write
async function openBuilder(query = '') {
  const ctx = await browser.newContext({ viewport: { width: 800, height: 1100 } });
  const page = await ctx.newPage();
  const errors = watch(page);
  const logs = [], tables = [];
  page.on('console', async (m) => {
    logs.push({ type: m.type(), text: m.text() });
    if (m.type() === 'table') tables.push(await m.args()[0].jsonValue());
  });
  await page.goto(server.url + '/test/builder' + query);
  assert.equal(await ready(page), true, 'the engine loads');
  return { page, ctx, errors, logs, tables };
}
const BUILDER = { '#fn': 'Ada', '#ln': 'Lovelace', '#street': '12 Analytical Way', '#city': 'Springfield', '#zip': '62701' };

test('a builder form: radios with an "Other" box, a State select of full names, fields named constructor, __proto__, toString', async () => {
  const { page, ctx, errors, logs } = await openBuilder();
  await fill(page, { ...BUILDER, '#c1': 'constructor', '#c2': '__proto__', '#c3': 'toString' });
  await page.selectOption('#st', 'Illinois');
  await page.check('#amount-other');
  await page.fill('#other', '3500.01');
  await page.check('input[value=us_citizen]');
  await affirmAll(page);
  await decided(page, 'reject');
  const m = await messageOf(page, '#other');
  assert.match(m.text, /^Other amount: .*legal limit of \$3,500\.00/, 'named by its label: ' + m.text);
  assert.ok(m.beside, 'the message is beside the box the donor typed in, not the first radio');
  await page.fill('#other', '$75');
  await decided(page, 'accept');
  const sub = await page.evaluate(() => window.donationGuard.getSubmission('#f'));
  assert.equal(sub.contribution.amount, '75');
  assert.equal(sub.donor.address.state, 'IL', 'the full name "Illinois" reads as IL');
  const r = JSON.parse(await response(page));
  assert.equal(r.decision, 'accept');
  assert.deepEqual(r.map['contribution.amount'], ['SelectAmount', 'OtherAmount']);
  assert.equal(logs.filter((l) => l.type === 'warning').length, 0, 'a fully mapped form warns nothing');
  // A foreign national is blocked, with the message beside the citizenship question.
  await page.check('input[value=foreign_national]');
  await decided(page, 'reject');
  const before = server.posts.length;
  await page.click('#go');
  await page.waitForSelector('.dg-summary');
  assert.equal(server.posts.length, before, 'nothing was posted');
  await page.check('input[value=us_citizen]');
  await decided(page, 'accept');
  await Promise.all([page.waitForURL('**/capture'), page.click('#go')]);
  const body = posted();
  assert.equal(body.get('OtherAmount'), '$75');
  assert.equal(body.get('constructor'), 'constructor', 'hostile names post as typed');
  noErrors(errors);
  await ctx.close();
});

test('an unmapped required part never blocks: the hidden field says unmapped, the console shows the table, the error event fires, data-debug outlines', async () => {
  const { page, ctx, errors, logs, tables } = await openBuilder('?unmapped=1&debug=1');
  await page.waitForSelector('.dg-debug-missing');
  assert.ok(tables.length === 1 && tables[0].some((r) => r.field === '(missing)' && r.path === 'donor.address.line1'), 'the table names the missing part');
  if (process.env.DG_PRINT_TABLE) console.log(JSON.stringify({ warn: logs.find((l) => l.type === 'warning').text, table: tables[0] }));
  const warn = logs.filter((l) => l.type === 'warning');
  assert.equal(warn.length, 1, 'one warning: ' + JSON.stringify(warn));
  assert.match(warn[0].text, /donor\.address\.line1/);
  assert.ok(logs.some((l) => l.type === 'table'), 'a console.table of what mapped where');
  const err = await page.evaluate(() => window.dgCalls.error);
  assert.equal(err.length, 1);
  assert.equal(err[0].reason, 'unmapped');
  assert.deepEqual(err[0].missing, ['donor.address.line1']);
  assert.ok(await page.locator('.dg-debug-tag').count() >= 8, 'mapped fields are tagged');
  assert.match(await page.textContent('.dg-debug-tag >> nth=0'), /contribution\.amount/);
  await fill(page, BUILDER);
  await page.selectOption('#st', 'Illinois');
  await page.check('input[name=SelectAmount][value="50"]');
  await page.check('input[value=us_citizen]');
  await affirmAll(page);
  await page.waitForFunction(() => /unmapped/.test(document.querySelector('[name="donation-guard-response"]').value));
  const r = JSON.parse(await response(page));
  assert.equal(r.decision, 'unavailable');
  assert.deepEqual(r.missing, ['donor.address.line1']);
  assert.equal(r.map['contribution.amount'][0], 'SelectAmount');
  await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });
  await page.screenshot({ path: new URL('../../www/widget/debug.png', import.meta.url).pathname });
  await Promise.all([page.waitForURL('**/capture'), page.click('#go')]);
  assert.equal(JSON.parse(posted().get('donation-guard-response')).reason, 'unmapped', 'the donor got through');
  assert.equal(logs.filter((l) => l.type === 'warning').length, 1, 'warned once');
  noErrors(errors);
  await ctx.close();
});

test('a patched String.prototype.normalize: the widget fails open with an error event, and the engine answers 1,000 times and recovers', async () => {
  const { page, ctx } = await openBuilder();
  // Text beyond ASCII, so the engine needs the platform's normalize.
  await fill(page, { ...BUILDER, '#city': 'Española' });
  await page.selectOption('#st', 'Illinois');
  await page.check('input[name=SelectAmount][value="25"]');
  await page.check('input[value=us_citizen]');
  await affirmAll(page);
  await decided(page, 'accept');
  const out = await page.evaluate(() => {
    const real = String.prototype.normalize;
    String.prototype.normalize = function () { throw new Error('patched'); };
    const el = document.getElementById('city');
    const seen = new Set();
    for (let i = 0; i < 1000; i++) {
      el.dispatchEvent(new Event('change', { bubbles: true }));
      seen.add(document.querySelector('[name="donation-guard-response"]').value);
    }
    String.prototype.normalize = real;
    return { seen: [...seen], errors: window.dgCalls.error };
  });
  assert.deepEqual(out.seen.map((s) => JSON.parse(s)), [{ decision: 'unavailable', reason: 'engine_error' }]);
  assert.equal(out.errors.length, 1, 'one error event for one failure');
  assert.equal(out.errors[0].reason, 'engine_error');
  await page.dispatchEvent('#city', 'change');
  await decided(page, 'accept');
  assert.equal(JSON.parse(await response(page)).decision, 'accept', 'the engine is usable again');
  await ctx.close();
});

test('data-ruleset-url: a committee\'s own wording reaches the browser without a rebuild; a broken one fails open', async () => {
  const rs = JSON.parse(readFileSync(new URL('../../src/rulesets/us-federal-2025-2026.json', import.meta.url), 'utf8'));
  rs.id = 'committee-okonkwo-2025-2026';
  rs.findings.foreign_national.message = 'Our committee cannot take money from foreign nationals: the law forbids it.';
  rs.prompts.citizenship_hint.en = 'Our committee takes gifts only from U.S. citizens, U.S. nationals and green card holders.';
  const url = '/test/committee-ruleset.json';
  const { page, ctx, errors } = await open('?attrs=' + encodeURIComponent(JSON.stringify({ 'data-ruleset-url': url })), { expectReady: false });
  await page.route('**' + url, (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(rs) }));
  await page.reload();
  assert.equal(await ready(page), true);
  // The first load ran before the route was in place: its 404 for the ruleset is expected.
  errors.splice(0, errors.length, ...errors.filter((e) => !/status of 404/.test(e)));
  await fill(page, ADA);
  await page.check('input[value=foreign_national]');
  await affirmAll(page);
  await decided(page, 'reject');
  const v = await verdict(page);
  assert.equal(v.ruleset.id, 'committee-okonkwo-2025-2026', 'the verdict names the loaded ruleset');
  assert.match((await messageOf(page, 'input[value=foreign_national]')).text, /Our committee cannot take money/);
  assert.equal(await page.textContent('.dg-cit .dg-hint'), rs.prompts.citizenship_hint.en, 'the hint is the committee\'s prompt');
  const sub = await page.evaluate(() => window.donationGuard.getSubmission('#f'));
  assert.equal(sub.ruleset, 'committee-okonkwo-2025-2026');
  noErrors(errors);
  // A ruleset the engine refuses: no check, an error event, and the form still submits.
  await page.route('**' + url, (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...rs, limits: 'none' }) }));
  await page.reload();
  assert.equal(await ready(page), true);
  await page.waitForFunction(() => /ruleset_failed/.test(document.querySelector('[name="donation-guard-response"]').value));
  const err = await page.evaluate(() => window.dgCalls.error);
  assert.equal(err.at(-1).reason, 'ruleset_failed');
  assert.equal(err.at(-1).error.code, 'invalid_ruleset');
  await Promise.all([page.waitForURL('**/capture'), page.click('#go')]);
  await ctx.close();
});

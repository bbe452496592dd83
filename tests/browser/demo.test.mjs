// The demo campaign page (www/demo/) with the widget, posting to the committee's server: the
// test server's stand-in (the native CLI with an in-memory ledger), or the real Rust server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { start, cli, repo } from './server.mjs';
import { launch, ensureEngine, ready, shot, watch } from './harness.mjs';
import { startServe } from './forms-lib.mjs';

let server, browser;
before(async () => {
  ensureEngine();
  server = await start();
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const DONOR = {
  '#first_name': 'Grace', '#last_name': 'Hopper', '#email': 'grace@example.org', '#address1': '7 Harbor Street',
  '#city': 'Arlington', '#state': 'VA', '#zip': '22201', '#employer': 'U.S. Navy', '#occupation': 'Rear admiral',
};
const needCli = existsSync(cli) ? false : 'the native binary target/release/donation-guard is missing (cargo build --release)';

async function open(base = server.url, opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  const page = await ctx.newPage();
  const errors = watch(page);
  await page.goto(base + '/demo/');
  assert.equal(await ready(page), true, 'the engine loads under the demo\'s CSP');
  return { page, ctx, errors };
}
async function complete(page, donor = DONOR, amount = '50') {
  if (['25', '50', '100', '250', '500'].includes(amount)) await page.click(`button.amount[data-amount="${amount}"]`);
  else await page.fill('#amount', amount);
  for (const [sel, v] of Object.entries(donor)) await page.fill(sel, v);
  await page.check('input[value=us_citizen]');
  for (const box of await page.locator('.dg-attest input[type=checkbox]:visible').all()) await box.check();
}
const contributions = () => server.posts.filter((p) => p.path === '/v1/contributions');

test('demo: the page renders the widget, styled under its strict CSP', async () => {
  const { page, ctx, errors } = await open();
  assert.equal(await page.locator('.dg-attest .dg-row').count(), 5);
  const s = await page.evaluate(() => {
    const m = getComputedStyle(document.querySelector('.dg-msg'));
    const f = getComputedStyle(document.querySelector('.dg-attest'));
    return { minHeight: parseFloat(m.minHeight), radius: f.borderTopLeftRadius, font: f.fontFamily === getComputedStyle(document.body).fontFamily };
  });
  assert.ok(s.minHeight > 0, 'the widget stylesheet applies (constructed sheet, style-src \'self\')');
  assert.equal(s.radius, '10px', '--dg-radius from the page');
  assert.ok(s.font, 'the widget inherits the page font');
  assert.equal(await page.textContent('#donate-amount'), '');
  await page.click('button.amount[data-amount="100"]');
  assert.equal(await page.inputValue('#amount'), '100');
  assert.equal(await page.textContent('#donate-amount'), '$100');
  assert.equal(await page.getAttribute('button.amount[data-amount="100"]', 'aria-pressed'), 'true');
  await shot(page, '10-demo-initial');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('demo: an empty submit is blocked, with the summary focused and nothing posted', async () => {
  const { page, ctx } = await open();
  const n = contributions().length;
  await page.click('button.donate');
  await page.waitForSelector('.dg-summary');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('dg-summary')), true);
  assert.ok(await page.locator('[aria-invalid=true]').count() >= 5);
  assert.equal(contributions().length, n);
  await shot(page, '11-demo-errors');
  await ctx.close();
});

test('demo: a U.S. donor gives $50 and the server, given the browser\'s verdict, accepts', { skip: needCli }, async () => {
  const { page, ctx, errors } = await open();
  await complete(page);
  await page.click('button.donate');
  await page.waitForSelector('.result.accept');
  assert.match(await page.textContent('.result'), /Thank you, Grace!.*\$50 contribution/s);
  const sub = JSON.parse(contributions().at(-1).body);
  const cv = JSON.parse(contributions().at(-1).headers['donation-guard-response']);
  assert.equal(cv.decision, 'accept');
  assert.match(cv.submission_digest, /^sha256:[0-9a-f]{64}$/);
  // (.result.accept: had the server's check of the form differed, client_verdict_mismatch would make it review.)
  assert.equal(sub.contribution.amount, '50');
  assert.equal(typeof sub.id, 'string');
  await shot(page, '12-demo-thank-you');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('demo: over the limit: $3,500.01 is rejected in the browser; with history, the server rejects', { skip: needCli }, async () => {
  let { page, ctx } = await open();
  const donor = { ...DONOR, '#first_name': 'Ruth', '#last_name': 'Bader', '#zip': '22202' };
  await complete(page, donor, '3500.01');
  await page.click('button.donate');
  await page.waitForSelector('.dg-summary');
  assert.match(await page.textContent('.dg-summary'), /over the legal limit of \$3,500\.00 per election/);
  // $3,000 now: within the limit, so the browser (which has no history) and the server accept.
  await page.fill('#amount', '3000');
  await page.click('button.donate');
  await page.waitForSelector('.result.accept');
  await ctx.close();
  // $600 more in the same election: the browser still accepts, the server's ledger does not.
  ({ page, ctx } = await open());
  await complete(page, donor, '600');
  assert.equal(JSON.parse(await page.evaluate(() => window.donationGuard.getResponse('#donate'))).decision, 'accept');
  await page.click('button.donate');
  await page.waitForSelector('.result.reject');
  assert.match(await page.textContent('.result'), /legal limit of \$3,500\.00 per election\. You can give up to \$500\.00 more/);
  assert.equal(JSON.parse(contributions().at(-1).headers['donation-guard-response']).decision, 'accept');
  await shot(page, '13-demo-server-rejects-over-limit');
  await ctx.close();
});

test('demo: without a server, the donor gets a clear message', async () => {
  server.contributions = () => ({ status: 404, body: { error: { code: 'not_found', message: 'not found' } } });
  try {
    const { page, ctx } = await open();
    await complete(page);
    await page.click('button.donate');
    await page.waitForSelector('.result.error');
    assert.match(await page.textContent('.result'), /not running here.*make run/s);
    await shot(page, '14-demo-no-server');
    await ctx.close();
  } finally { server.contributions = null; }
});

test('demo: the whole form can be completed with the keyboard alone (Tab, Space, Enter, typing)', { skip: needCli }, async () => {
  const { page, ctx } = await open();
  const text = { first_name: 'Alan', last_name: 'Turing', email: 'alan@example.org', address1: '1 Bletchley Road',
    city: 'Princeton', state: 'NJ', zip: '08540', employer: 'Institute for Advanced Study', occupation: 'Mathematician' };
  const log = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement;
      return { tag: a.tagName, id: a.id, name: a.name, type: a.type, value: a.value, checked: a.checked, amount: a.dataset && a.dataset.amount, cls: a.className };
    });
    log.push(el.id || el.name || el.tag);
    if (el.amount === '50') await page.keyboard.press('Space');
    else if (el.tag === 'INPUT' && text[el.name] && !el.value) await page.keyboard.type(text[el.name]);
    else if (el.type === 'radio' && el.value === 'us_citizen' && !el.checked) await page.keyboard.press('Space');
    else if (el.type === 'checkbox' && !el.checked) await page.keyboard.press('Space');
    else if (el.cls === 'donate') { await page.keyboard.press('Enter'); break; }
  }
  await page.waitForSelector('.result.accept', { timeout: 5000 }).catch(() => { throw new Error('not accepted; tab order: ' + log.join(' > ')); });
  assert.ok(log.includes('amount') && log.at(-1) === 'BUTTON');
  await ctx.close();
});

// The real thing: `donation-guard serve` serving www/ and recording in its ledger.
function serveSupport() {
  if (!existsSync(cli)) return 'the native binary is missing';
  const help = spawnSync(cli, ['serve', '--help'], { encoding: 'utf8' });
  const text = (help.stdout || '') + (help.stderr || '');
  if (help.status !== 0 || !/--listen/.test(text) || !/--www/.test(text)) return '`donation-guard serve` has no --listen/--www options yet';
  return false;
}
test('end to end: the demo posts to the real donation-guard server (limit with its ledger, tampering)', { skip: serveSupport() }, async () => {
  const server = await startServe({ www: path.join(repo, 'www') });
  const base = server.url;
  try {
    const wasm = await fetch(base + '/widget/engine/donation_guard_bg.wasm');
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    let { page, ctx } = await open(base);
    await complete(page, { ...DONOR, '#first_name': 'Katherine', '#last_name': 'Johnson' });
    await page.click('button.donate');
    await page.waitForSelector('.result.accept, .result.review, .result.reject, .result.error');
    assert.match(await page.getAttribute('.result', 'class'), /accept/, await page.textContent('.result'));
    await shot(page, '15-demo-real-server');
    await ctx.close();
    // The ledger supplies history: $3,455 more from the same donor (after $50), same election, passes the limit.
    ({ page, ctx } = await open(base));
    await complete(page, { ...DONOR, '#first_name': 'Katherine', '#last_name': 'Johnson' }, '3455');
    assert.equal(JSON.parse(await page.evaluate(() => window.donationGuard.getResponse('#donate'))).decision, 'accept');
    await page.click('button.donate');
    await page.waitForSelector('.result.reject');
    assert.match(await page.textContent('.result'), /legal limit/);
    await ctx.close();
    // Tampering: a page that changes the submission after the widget's check. The server
    // re-checks, and its verdict stands, with the mismatch on record.
    ({ page, ctx } = await open(base));
    await complete(page, { ...DONOR, '#first_name': 'Mallory', '#last_name': 'Tamper' });
    await page.evaluate(() => {
      const real = window.donationGuard.getSubmission;
      window.donationGuard.getSubmission = (f) => { const s = real(f); s.donor.citizenship = 'foreign_national'; return s; };
    });
    await page.click('button.donate');
    await page.waitForSelector('.result.reject');
    const codes = await page.evaluate(() => fetch('/v1/check', { method: 'POST', body: JSON.stringify({ ...window.lastSubmission, id: undefined }),
      headers: { 'content-type': 'application/json', 'donation-guard-response': window.donationGuard.getResponse('#donate') } }).then((r) => r.json()).then((v) => v.findings.map((f) => f.code)));
    assert.ok(codes.includes('foreign_national') && codes.includes('client_verdict_mismatch'), codes.join(','));
    await ctx.close();
  } finally {
    await server.close();
  }
});

test('demo: the language switch turns the page and the widget into Spanish, and back, and still blocks a foreign national', async () => {
  const { page, ctx, errors } = await open();
  await page.click('.lang-switch button[data-lang="es"]');
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.textContent('label[for=first_name]'), 'Nombre');
  assert.equal(await page.getAttribute('.lang-switch button[data-lang="es"]', 'aria-pressed'), 'true');
  assert.ok(page.url().endsWith('?lang=es'), page.url());
  // The widget was rendered again in Spanish: its citizenship question and the engine's messages.
  await page.waitForFunction(() => window.donationGuard.getMapping('#donate'));
  const question = await page.textContent('[data-dg-slot~="citizenship"]');
  assert.match(question, /ciudadan/i, question);
  await page.fill('#first_name', 'Hans');
  await page.fill('#last_name', 'Müller');
  await page.fill('#amount', '50');
  await page.check('input[value=foreign_national]');
  const n = contributions().length;
  await page.click('button.donate');
  await page.waitForSelector('.dg-summary');
  const summary = await page.textContent('.dg-summary');
  assert.match(summary, /extranjer/i, summary);
  assert.equal(contributions().length, n, 'nothing is posted for a foreign national');
  await shot(page, '16-demo-espanol');
  await page.click('.lang-switch button[data-lang="en"]');
  assert.equal(await page.textContent('label[for=first_name]'), 'First name');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.deepEqual(errors, []);
  await ctx.close();
});

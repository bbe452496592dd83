// Resilience: when the engine cannot load (a CSP without 'wasm-unsafe-eval', a failed fetch, a
// browser without WebAssembly), the form still submits, and the response says "unavailable".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './server.mjs';
import { launch, ensureEngine, formPage, ADA, fill, ready, shot } from './harness.mjs';

let server, browser;
before(async () => {
  ensureEngine();
  server = await start({ pages: { '/test/form': formPage, '/test/strict': formPage } });
  // script-src 'self' without 'wasm-unsafe-eval': the script and the glue load, the wasm does not.
  server.csp.set('/test/strict', "default-src 'self'; script-src 'self'; style-src 'self'");
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

async function unavailable(path, reason, prepare) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy|wasm-unsafe-eval/.test(m.text())) violations.push(m.text()); });
  if (prepare) await prepare(page);
  await page.goto(server.url + path);
  assert.equal(await ready(page), false, 'ready resolves false: the engine is unavailable');
  const field = await page.evaluate(() => document.querySelector('[name="donation-guard-response"]').value);
  assert.deepEqual(JSON.parse(field), { decision: 'unavailable', reason });
  const calls = await page.evaluate(() => window.dgCalls);
  assert.deepEqual(calls.error, [{ code: 'unavailable', reason }], 'data-error-callback is called');
  await fill(page, ADA);
  await Promise.all([page.waitForURL('**/capture'), page.click('#go')]);
  const post = new URLSearchParams(server.posts.filter((p) => p.path === '/capture').pop().body);
  assert.deepEqual(JSON.parse(post.get('donation-guard-response')), { decision: 'unavailable', reason });
  assert.equal(post.get('first_name') ?? post.get('donor[first_name]'), 'Ada', 'the form posted normally');
  await ctx.close();
  return { violations };
}

test('wasm blocked by CSP: the form still submits, and the response says unavailable', async () => {
  const { violations } = await unavailable('/test/strict', 'csp');
  assert.ok(violations.length > 0, 'Chromium did report the CSP violation');
});

test('the wasm fails to download: the form still submits', async () => {
  await unavailable('/test/form', 'load_failed', (page) => page.route('**/donation_guard_bg.wasm', (r) => r.abort()));
});

test('a browser without WebAssembly: the form still submits', async () => {
  await unavailable('/test/form', 'unsupported', (page) => page.addInitScript(() => { delete window.WebAssembly; }));
});

test('a submit before the engine is ready waits for it, then checks', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  let release;
  const gate = new Promise((ok) => { release = ok; });
  await page.route('**/donation_guard_bg.wasm', async (r) => { await gate; await r.continue(); });
  await page.goto(server.url + '/test/form');
  await fill(page, ADA);
  await page.click('#go');
  await page.waitForTimeout(200);
  assert.ok(page.url().endsWith('/test/form'), 'held while the engine loads');
  release();
  assert.equal(await ready(page), true);
  await page.waitForSelector('.dg-summary');
  assert.ok(page.url().endsWith('/test/form'), 'then blocked: no citizenship statements were confirmed');
  await shot(page, '08-held-then-checked');
  await ctx.close();
});

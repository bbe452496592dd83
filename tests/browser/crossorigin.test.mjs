// The widget embedded from another origin (issue 8 §4): the page on one loopback port, the
// real donation-guard server on another, started with --allow-origin for the page's origin.
// The script tag carries the Subresource Integrity hash that `make www-assets` prints; the
// engine (glue and .wasm) loads from the server with CORS and compression, and the donor gets
// a verdict.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start, cli, www } from './server.mjs';
import { launch, ensureEngine, formPage, ADA, fill, affirmAll, ready, watch } from './harness.mjs';

let pages, browser, dg, dgUrl, dir;

function startServer(origin) {
  dir = mkdtempSync(path.join(tmpdir(), 'dg-crossorigin-'));
  const child = spawn(cli, ['serve', '--listen', '127.0.0.1:0', '--db', path.join(dir, 'l.sqlite'), '--www', www,
    '--allow-origin', origin], { env: { ...process.env, DG_SECRET: createHash('sha256').update(dir).digest('hex'),
    RUST_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) ok({ child, url: m[1] });
    });
    child.on('exit', (code) => fail(new Error('donation-guard serve exited ' + code)));
  });
}

const sri = (file) => 'sha384-' + createHash('sha384').update(readFileSync(path.join(www, file))).digest('base64');

before(async () => {
  ensureEngine();
  if (!existsSync(cli)) throw new Error(cli + ' is missing: cargo build --release');
  pages = await start({
    pages: {
      '/test/embed': (q) => formPage(q).replace('<script src="/widget/donation-guard.js" async defer></script>',
        `<script src="${dgUrl}/widget/donation-guard.js" integrity="${sri('widget/donation-guard.js')}" crossorigin="anonymous" async defer></script>`),
    },
  });
  ({ child: dg, url: dgUrl } = await startServer(pages.url));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await pages?.close();
  if (dg) { dg.removeAllListeners('exit'); dg.kill(); }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a page on another origin loads the widget from the server and gets a verdict', async () => {
  assert.notEqual(new URL(pages.url).port, new URL(dgUrl).port);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = watch(page);
  const served = new Map();
  page.on('response', async (r) => { if (r.url().startsWith(dgUrl)) served.set(new URL(r.url()).pathname, { status: r.status(), headers: await r.allHeaders() }); });
  await page.goto(pages.url + '/test/embed');
  assert.equal(await ready(page), true, 'the engine loads across origins');
  await fill(page, ADA);
  await page.check('input[value=us_citizen]');
  await affirmAll(page);
  await page.waitForFunction(() => (window.donationGuard.getVerdict('#f') || {}).decision === 'accept');
  const r = JSON.parse(await page.evaluate(() => document.querySelector('[name="donation-guard-response"]').value));
  assert.equal(r.decision, 'accept');
  // Everything the widget needed came from the server, with CORS, compressed and cacheable.
  for (const p of ['/widget/donation-guard.js', '/widget/engine/donation_guard.js', '/widget/engine/donation_guard_bg.wasm']) {
    const s = served.get(p);
    assert.ok(s, p + ' was loaded from the donation-guard server');
    assert.equal(s.status, 200, p);
    assert.equal(s.headers['access-control-allow-origin'], pages.url, p);
    assert.equal(s.headers['cross-origin-resource-policy'], 'cross-origin', p);
    assert.match(s.headers['content-encoding'] || '', /^(br|gzip)$/, p);
    assert.match(s.headers['etag'] || '', /^W\/"/, p);
  }
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
  await ctx.close();
});

test('a page on an origin the server does not list is refused the widget', async () => {
  // The same page under another loopback name, which the server does not list: the CORS fetch
  // of the script gets 403 with no Access-Control-Allow-Origin, so the browser runs nothing.
  const other = pages.url.replace('127.0.0.1', 'localhost');
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('response', (r) => { if (r.status() >= 400) failed.push(r.url()); });
  await page.goto(other + '/test/embed', { waitUntil: 'networkidle' });
  assert.ok(failed.some((u) => u.startsWith(dgUrl + '/widget/donation-guard.js')), 'the script load failed: ' + failed);
  assert.equal(await page.evaluate(() => typeof window.donationGuard), 'undefined');
  // What the browser got: 403, no Access-Control-Allow-Origin.
  const r = await fetch(dgUrl + '/widget/donation-guard.js', { headers: { origin: other } });
  assert.equal(r.status, 403);
  assert.equal(r.headers.get('access-control-allow-origin'), null);
  assert.equal((await r.json()).error.code, 'forbidden');
  await ctx.close();
});

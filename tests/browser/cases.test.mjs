// The browser is the third build held to the same bytes: every shared fixture case goes through
// the wasm in Chromium (checkJson) and through the native CLI, and the lines must be identical.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { start, nativeCheck, cli, repo } from './server.mjs';
import { launch, ensureEngine } from './harness.mjs';

const casesFile = path.resolve(repo, 'tests', 'fixtures', 'cases.jsonl');
let server, browser;
before(async () => {
  ensureEngine();
  if (!existsSync(cli)) {
    const r = spawnSync('cargo', ['build', '--release', '--locked'], { cwd: repo, stdio: 'inherit', timeout: 20 * 60e3 });
    if (r.status !== 0) throw new Error('cargo build --release failed');
  }
  server = await start({ pages: { '/test/blank': '<!doctype html><title>engine</title>' } });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

// A case's line is what run_cases.py feeds the CLI: the submission as compact JSON, or the raw input.
// Expectations that the contract's Additions changed come from tests/fixtures/superseded.jsonl.
const readJsonl = (f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const superseded = new Map(readJsonl(path.resolve(repo, 'tests', 'fixtures', 'superseded.jsonl')).map((s) => [s.name, s.expect]));
const cases = readJsonl(casesFile)
  .map((c) => ({ name: c.name, line: 'input' in c ? c.input : JSON.stringify(c.submission), expect: superseded.get(c.name) ?? c.expect }));

test(`all ${cases.length} shared cases: the wasm in Chromium prints the native CLI's bytes`, async () => {
  const page = await browser.newPage();
  await page.goto(server.url + '/test/blank');
  const lines = cases.map((c) => c.line);
  const web = await page.evaluate(async (ls) => {
    const m = await import('/widget/engine/donation_guard.js');
    await m.default();
    return ls.map((l) => m.checkJson(l));
  }, lines);
  const native = nativeCheck(lines);
  assert.equal(native.length, lines.length);
  let compared = 0;
  cases.forEach((c, i) => {
    const n = JSON.parse(native[i]);
    // The CLI adds "line": N to an error object (CONTRACT.md); the rest must be the same bytes.
    const expected = n.error && 'line' in n ? JSON.stringify({ error: n.error }) : native[i];
    assert.equal(web[i], expected, c.name);
    const w = JSON.parse(web[i]);
    if (c.expect.error) assert.equal(w.error.code, c.expect.error, c.name);
    else assert.equal(w.decision, c.expect.decision, c.name);
    compared++;
  });
  assert.equal(compared, cases.length);
  // check(object) agrees with checkJson(text) for the widget's own path.
  const same = await page.evaluate(async (ls) => {
    const m = await import('/widget/engine/donation_guard.js');
    return ls.filter((l) => { try { JSON.parse(l); } catch { return false; } return true; })
      .every((l) => JSON.stringify(m.check(JSON.parse(l))) === m.checkJson(l));
  }, lines);
  assert.ok(same, 'check(object) and checkJson(text) agree');
  await page.close();
});

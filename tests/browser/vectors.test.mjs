// The form vectors (tests/vectors/forms.jsonl: posted fields + field map -> submission ->
// digest) through the wasm in Chromium, as tests/forms.rs does natively and
// tests/node/forms.test.mjs does in Node: readForm gives the vector's submission, check() of it
// and checkForm() give the vector's submission_digest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { start, repo } from './server.mjs';
import { launch, ensureEngine } from './harness.mjs';

const vectors = readFileSync(path.join(repo, 'tests', 'vectors', 'forms.jsonl'), 'utf8')
  .split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

let server, browser;
before(async () => {
  ensureEngine();
  server = await start({ pages: { '/test/blank': '<!doctype html><title>engine</title>' } });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

test(`all ${vectors.length} form vectors: the wasm in Chromium gives the vector's submission and digest`, async () => {
  assert.ok(vectors.length >= 10, 'the vector file has its cases');
  const page = await browser.newPage();
  await page.goto(server.url + '/test/blank');
  const got = await page.evaluate(async (vs) => {
    const m = await import('/widget/engine/donation_guard.js');
    await m.default();
    return vs.map((v) => {
      const sub = m.readForm(v.fields, v.map);
      const verdict = sub && !sub.error ? m.check(sub) : null;
      const direct = m.checkForm(v.fields, v.map);
      return { sub, digest: verdict && verdict.submission_digest, direct: direct && direct.submission_digest };
    });
  }, vectors);
  assert.equal(got.length, vectors.length);
  vectors.forEach((v, i) => {
    assert.deepEqual(got[i].sub, v.submission, v.name + ': readForm');
    assert.equal(got[i].digest, v.submission_digest, v.name + ': check(readForm(...)).submission_digest');
    assert.equal(got[i].direct, v.submission_digest, v.name + ': checkForm');
  });
  await page.close();
});

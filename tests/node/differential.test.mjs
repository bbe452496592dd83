// Both sides agree: every shared case and ≥ 10,000 seeded generated submissions go through the
// wasm build on Node and through the native CLI (`donation-guard check`), and the verdict JSON
// must be byte-identical, submission_digest and ruleset digest included. The CLI's error lines
// carry `"line": N`, which is removed before comparing.
//
// DG_SEED=<n> picks another seed, DG_GENERATED=<n> another count (default 12,000).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cases, cliCheck, engine } from "./helpers.mjs";
import { generate } from "./generate.mjs";

const dg = engine();
const SEED = Number(process.env.DG_SEED ?? 20_252_026);
const COUNT = Number(process.env.DG_GENERATED ?? 12_000);

function show(input) {
  const text = typeof input === "string" ? input : JSON.stringify(input);
  const shown = text.length > 2000 ? `${text.slice(0, 1000)} … (${text.length} chars) … ${text.slice(-200)}` : text;
  return `${typeof input === "string" ? "text" : "object"} input: ${shown}`;
}

/**
 * Compares one input: checkJson(text) and check(object) in the wasm against the CLI's line.
 * Fails on the first difference, with the input printed.
 */
function compare(label, { input, text }, native) {
  const viaText = dg.checkJson(text);
  assert.equal(viaText, native, `${label}: checkJson(text) differs from the CLI\n${show(input)}`);
  if (typeof input !== "string") {
    assert.equal(dg.checkJson(input), native, `${label}: checkJson(object) differs from the CLI\n${show(input)}`);
    const obj = dg.check(input);
    assert.equal(JSON.stringify(obj), native, `${label}: check(object) differs from the CLI\n${show(input)}`);
  }
}

test("every shared case: wasm and CLI give the same bytes", () => {
  const inputs = cases().map((c) =>
    "input" in c ? { name: c.name, input: c.input, text: c.input } : { name: c.name, input: c.submission, text: JSON.stringify(c.submission) },
  );
  const native = cliCheck(inputs.map((i) => i.text));
  for (const [i, one] of inputs.entries()) compare(`case ${one.name}`, one, native[i]);
  // The digests are there to compare.
  const happy = JSON.parse(native[0]);
  assert.match(happy.submission_digest, /^sha256:[0-9a-f]{64}$/);
  assert.match(happy.ruleset.digest, /^sha256:[0-9a-f]{64}$/);
});

test(`${COUNT} generated submissions (seed ${SEED}): wasm and CLI give the same bytes`, () => {
  const digest = (sub) => {
    const v = dg.check(sub);
    return v.error ? null : { submission_digest: v.submission_digest, ruleset_digest: v.ruleset.digest, decision: v.decision };
  };
  const inputs = generate(SEED, COUNT, { digest });
  const native = cliCheck(inputs.map((i) => i.text));
  const seen = { decisions: new Set(), codes: new Set(), errors: new Set() };
  for (const [i, one] of inputs.entries()) {
    compare(`generated #${i} (seed ${SEED})`, one, native[i]);
    const out = JSON.parse(native[i]);
    if (out.error) seen.errors.add(out.error.code);
    else {
      seen.decisions.add(out.decision);
      for (const f of out.findings) seen.codes.add(f.code);
    }
  }
  // The generator reaches every outcome: all decisions, every finding code, every error code.
  assert.deepEqual([...seen.decisions].sort(), ["accept", "reject", "review"]);
  assert.deepEqual([...seen.errors].sort(), ["invalid_field", "invalid_json", "too_large"]);
  // Codes that only the server or `screen` adds (the ledger, the sanctions list, the widget's
  // absence, an address found after the fact) never come from the engine on one submission.
  const serverOnly = new Set([
    "client_verdict_missing",
    "sanctions_match",
    "sanctions_possible_match",
    "possible_duplicate_donor",
    "foreign_address",
  ]);
  const codes = Object.keys(dg.ruleset().findings).filter((c) => !serverOnly.has(c)).sort();
  assert.deepEqual([...seen.codes].sort(), codes, "finding codes the generator never produced");
});

// The JavaScript API of the wasm build on Node (CONTRACT.md, "JavaScript"): check with an
// object and with JSON text, the error objects, ruleset, version, and no exception for any input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cases, engine, ensureCli, root } from "./helpers.mjs";

const dg = engine();
const all = cases();
const byName = (name) => all.find((c) => c.name === name).submission;
const happy = byName("happy-candidate-primary-card");

test("check takes an object and returns a plain verdict object", () => {
  const v = dg.check(happy);
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.equal(v.decision, "accept");
  assert.deepEqual(v.findings, []);
  assert.ok(Array.isArray(v.findings));
  assert.equal(v.ruleset.id, "us-federal-2025-2026");
  assert.match(v.ruleset.digest, /^sha256:[0-9a-f]{64}$/);
  assert.match(v.submission_digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(v.engine, dg.version());
  assert.deepEqual(Object.keys(v), ["decision", "findings", "ruleset", "submission_digest", "engine"]);
});

test("check gives the same verdict for the object and for its JSON text", () => {
  for (const c of all.filter((c) => c.submission)) {
    const text = JSON.stringify(c.submission);
    assert.deepEqual(dg.check(c.submission), dg.check(text), c.name);
    assert.equal(JSON.stringify(dg.check(c.submission)), dg.checkJson(text), c.name);
    assert.equal(dg.checkJson(c.submission), dg.checkJson(text), c.name);
  }
});

test("findings carry code, severity, field, message and citation", () => {
  const v = dg.check(byName("foreign-national"));
  assert.equal(v.decision, "reject");
  const f = v.findings.find((f) => f.code === "foreign_national");
  assert.ok(f);
  assert.equal(f.severity, "reject");
  assert.equal(f.field, "donor.citizenship");
  assert.equal(typeof f.message, "string");
  assert.ok(f.message.length > 20);
  assert.equal(typeof f.citation, "string");
  // Absent citations are absent, not undefined or null.
  for (const g of dg.check({}).findings) {
    assert.ok(!("citation" in g) || typeof g.citation === "string");
  }
});

test("a rule outcome is a verdict, never an exception", () => {
  const v = dg.check({ donor: { citizenship: "foreign_national" } });
  assert.equal(v.decision, "reject");
  assert.equal(dg.check({}).decision, "reject");
});

test("input that is not a submission is the error object, as the CLI prints it", () => {
  const cases = [
    ["not json", "invalid_json", undefined],
    ['{"donor": {"first_name": "Margaret"', "invalid_json", undefined],
    ["", "invalid_json", undefined],
    ["[]", "invalid_field", undefined],
    ["42", "invalid_field", undefined],
    ['{"contribution":{"amount":"25.00","tip":"5.00"}}', "invalid_field", "contribution.tip"],
    ['{"donor":{"address":{"postal_code":62704}}}', "invalid_field", "donor.address.postal_code"],
    ['{"ruleset":"us-ca-2026"}', "invalid_field", "ruleset"],
    ['{"donor":{"first_name":"A","first_name":"B"}}', "invalid_field", "donor.first_name"],
    [`{"id":"${" ".repeat(70_000)}"}`, "too_large", undefined],
    ["[".repeat(17) + "]".repeat(17), "too_large", undefined],
  ];
  for (const [input, code, field] of cases) {
    const e = dg.check(input);
    assert.equal(e.error?.code, code, input.slice(0, 60));
    assert.equal(e.error.field, field, input.slice(0, 60));
    assert.equal(typeof e.error.message, "string");
    assert.deepEqual(Object.keys(e), ["error"]);
    assert.equal(dg.checkJson(input), JSON.stringify(e));
  }
  // Objects go through the same rules: a number where a string belongs, an unknown field.
  assert.equal(dg.check({ id: 1 }).error.field, "id");
  assert.equal(dg.check({ donor: { middle_name: "Q" } }).error.field, "donor.middle_name");
  assert.equal(dg.check([]).error.code, "invalid_field");
  assert.equal(dg.check(null).error.code, "invalid_field");
});

test("the donor's data never appears in an error message", () => {
  for (const input of [
    { donor: { address: { postal_code: 62704 } } },
    { donor: { citizenship: "secret-62704" } },
    { donor: { passport: { number: 62704 } } },
    { history: { prior_total: "-62704" } },
  ]) {
    assert.doesNotMatch(dg.checkJson(input), /62704/);
  }
});

test("check never throws, whatever it is given", () => {
  const cyclic = { donor: {} };
  cyclic.donor.self = cyclic;
  const throwing = {
    toJSON() {
      throw new Error("secret-123");
    },
  };
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const garbage = [
    undefined,
    null,
    true,
    0,
    -0,
    NaN,
    Infinity,
    10n,
    { amount: 10n },
    Symbol("x"),
    () => 1,
    cyclic,
    throwing,
    revoked.proxy,
    new Date(0),
    new Map([["id", "x"]]),
    new String("{}"),
    Object.create(null),
    [1, 2, 3],
    "\ud800",
    '{"id":"\ud800"}',
    '{"id":"\\ud800"}',
    "\u0000",
    "{}".repeat(100_000),
    "x".repeat(1 << 24),
    { id: "x".repeat(1 << 20) },
    { contribution: { amount: NaN } },
    // eslint-disable-next-line no-loss-of-precision -- Infinity on purpose
    { contribution: { amount: 1e400 } },
    { contribution: { amount: Number.MAX_VALUE } },
    { contribution: { amount: 2 ** 64 } },
    { contribution: { amount: -0 } },
  ];
  for (const g of garbage) {
    let out;
    assert.doesNotThrow(() => {
      out = dg.check(g);
    }, String(typeof g));
    assert.equal(typeof out, "object");
    assert.ok(out !== null);
    assert.ok("error" in out || "decision" in out);
    assert.doesNotThrow(() => dg.checkJson(g));
    assert.equal(dg.checkJson(g), JSON.stringify(out));
  }
  // No platform message (which could quote the caller's data) leaks through.
  assert.doesNotMatch(dg.checkJson(throwing), /secret-123/);
  assert.equal(dg.check(cyclic).error.code, "invalid_json");
  assert.equal(dg.check(10n).error.code, "invalid_json");
  assert.equal(dg.check(undefined).error.code, "invalid_json");
  assert.equal(dg.check("\ud800").error.code, "invalid_json");
  assert.equal(dg.check("x".repeat(1 << 24)).error.code, "too_large");
  // JSON.stringify semantics: NaN and Infinity become null (an absent amount).
  assert.equal(dg.check({ contribution: { amount: NaN } }).decision, "reject");
  // After all that, the engine still answers.
  assert.equal(dg.check(happy).decision, "accept");
});

test("a lone surrogate in JSON text is invalid_json, as its escaped form is natively", () => {
  const raw = dg.check('{"id":"\ud800"}');
  const escaped = dg.check('{"id":"\\ud800"}');
  assert.equal(raw.error.code, "invalid_json");
  assert.equal(escaped.error.code, "invalid_json");
  // An object with a lone surrogate: JSON.stringify escapes it, so it is the escaped form.
  assert.deepEqual(dg.check({ id: "\ud800" }), escaped);
  // U+FFFD itself is an ordinary character.
  assert.equal(dg.check({ id: "\ufffd" }).decision, "reject");
});

test("ruleset() returns the default ruleset with limits, attestations and digests", () => {
  const rs = dg.ruleset();
  assert.equal(Object.getPrototypeOf(rs), Object.prototype);
  assert.equal(rs.id, "us-federal-2025-2026");
  assert.match(rs.digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(rs.attestation_digest, "sha256:d0332970267738fa405792f1e33c1d4a69f33666866632cb6cd322e1a12feae6");
  assert.equal(rs.limits.candidate.amount, "3500.00");
  assert.equal(rs.limits.pac.per, "calendar_year");
  assert.deepEqual(
    rs.attestations.map((a) => a.id),
    ["us_citizen_or_lpr", "own_funds", "personal_card", "not_federal_contractor", "age_18_or_older"],
  );
  assert.ok(rs.attestations.every((a) => typeof a.text === "string" && a.text.length > 10));
  assert.equal(Object.keys(rs.findings).length, 27);
  assert.equal(dg.check(happy).ruleset.digest, rs.digest);
  assert.deepEqual(dg.ruleset("us-federal-2025-2026"), rs);
  assert.deepEqual(dg.ruleset(null), rs);
});

test("ruleset() equals `donation-guard rules` (same data, same digests)", () => {
  const run = spawnSync(ensureCli(), ["rules"], { cwd: root, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(dg.ruleset(), JSON.parse(run.stdout));
});

test("ruleset() with an unknown id is the error object", () => {
  for (const id of ["us-ca-2026", "", 42, {}, "US-FEDERAL-2025-2026"]) {
    const e = dg.ruleset(id);
    assert.equal(e.error.code, "invalid_field", String(id));
    assert.equal(e.error.field, "ruleset");
    assert.match(e.error.message, /us-federal-2025-2026/);
  }
});

test("version() is the engine named in every verdict", () => {
  assert.equal(dg.version(), "donation-guard 0.1.0");
  assert.equal(dg.version(), dg.check({}).engine);
});

test("NFD and NFC spellings of a name give the same digest (NFC comes from the platform)", () => {
  const nfc = { ...happy, donor: { ...happy.donor, first_name: "Zo\u00eb", last_name: "Pe\u00f1a" } };
  const nfd = { ...happy, donor: { ...happy.donor, first_name: "Zoe\u0308", last_name: "Pen\u0303a" } };
  const a = dg.check(nfc);
  const b = dg.check(nfd);
  assert.equal(a.decision, "accept");
  assert.equal(a.submission_digest, b.submission_digest);
  assert.deepEqual(a, b);
});

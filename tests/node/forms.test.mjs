// Form reading in the wasm on Node: tests/vectors/forms.jsonl gives the same submission and
// digest as natively (tests/forms.rs); readForm/checkForm never throw; a page whose
// String.prototype.normalize throws gets the error object, and the engine stays usable.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { engine, root } from "./helpers.mjs";

const dg = engine();
const vectors = readFileSync(`${root}tests/vectors/forms.jsonl`, "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

test("the form vectors give the native submission and digest", () => {
  assert.ok(vectors.length >= 10);
  for (const v of vectors) {
    const sub = dg.readForm(v.fields, v.map);
    assert.deepEqual(sub, v.submission, v.name);
    assert.equal(dg.check(sub).submission_digest, v.submission_digest, v.name);
    assert.equal(dg.checkForm(v.fields, v.map).submission_digest, v.submission_digest, v.name);
  }
});

test("readForm answers bad shapes with the error object", () => {
  for (const [pairs, map, field] of [
    [null, {}, "pairs"],
    [{ a: 1 }, {}, "pairs"],
    [[["a", 1]], {}, "pairs"],
    [[], { "donor.first_name": 5 }, "map"],
    [[], [], "map"],
  ]) {
    const r = dg.readForm(pairs, map);
    assert.equal(r.error.code, "invalid_field", JSON.stringify([pairs, map]));
    assert.equal(r.error.field, field);
  }
  const cyclic = [];
  cyclic.push(cyclic);
  assert.equal(dg.readForm(cyclic, {}).error.code, "invalid_json");
});

test("a throwing String.prototype.normalize gives an error object, and the engine stays usable", () => {
  const v = vectors[0];
  const nonAscii = { ...v.submission, donor: { ...v.submission.donor, first_name: "Zoë" } };
  const good = dg.check(nonAscii);
  assert.equal(good.decision, "accept");
  const original = String.prototype.normalize;
  String.prototype.normalize = function () {
    throw new Error("patched");
  };
  try {
    for (let i = 0; i < 2000; i++) {
      const r = dg.check(nonAscii);
      assert.equal(r.error?.code, "invalid_field");
      assert.match(r.error.message, /normalize/);
    }
    assert.match(dg.checkJson(nonAscii), /normalize/);
    assert.equal(dg.checkForm([["n", "Zoë"]], { "donor.first_name": "n" }).error.code, "invalid_field");
    // ASCII text never calls normalize.
    assert.equal(dg.check(v.submission).decision, "accept");
  } finally {
    String.prototype.normalize = original;
  }
  assert.deepEqual(dg.check(nonAscii), good);
});

test("mapForm gives the native mapping for every platform (tests/vectors/form-maps.jsonl)", () => {
  const maps = readFileSync(`${root}tests/vectors/form-maps.jsonl`, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  assert.ok(maps.length >= 10);
  for (const m of maps) assert.deepEqual(dg.mapForm(m.controls), m.mapping, m.name);
});

test("mapForm: hostile names, bad shapes, and a throwing normalize", () => {
  const r = dg.mapForm([{ name: "constructor" }, { name: "__proto__", labels: ["First name"] }, { name: "toString", labels: ["Last name"] }]);
  assert.deepEqual(r.map, { "donor.first_name": "__proto__", "donor.last_name": "toString" });
  assert.deepEqual(r.unmapped, ["constructor"]);
  for (const bad of [null, 5, {}, [{ name: 5 }]]) assert.equal(dg.mapForm(bad).error.code, "invalid_field", JSON.stringify(bad));
  const original = String.prototype.normalize;
  String.prototype.normalize = function () { throw new Error("patched"); };
  try {
    for (let i = 0; i < 1000; i++) assert.equal(dg.mapForm([{ name: "give_first", labels: ["Prénom"] }]).map["donor.first_name"], "give_first");
  } finally {
    String.prototype.normalize = original;
  }
});

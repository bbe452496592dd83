// tests/vectors/errors.jsonl through the wasm build: the answers the native engine gives
// (tests/errors.rs holds it to the same file), byte for byte for errors, by SHA-256 for verdicts.
// Inputs with no UTF-8 form (input_hex) stay native-only: a JS string cannot carry them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { engine, root } from "./helpers.mjs";

const dg = engine();

test("every error vector: the wasm gives the native answer", () => {
  const lines = readFileSync(`${root}tests/vectors/errors.jsonl`, "utf8").split("\n").filter(Boolean);
  let checked = 0;
  for (const [n, line] of lines.entries()) {
    const v = JSON.parse(line);
    let input = v.input;
    if (v.input_repeat) {
      const [prefix, unit, times, suffix] = v.input_repeat;
      input = prefix + unit.repeat(times) + suffix;
    }
    if (typeof input !== "string") continue;
    const answer = dg.checkJson(input);
    if (v.output !== undefined) {
      assert.equal(answer, v.output, `line ${n + 1}: ${line.slice(0, 300)}`);
    } else {
      // The ruleset's digest is masked, as in tests/errors.rs: a ruleset edit is not the reader's business.
      const masked = answer.replace(/("ruleset":\{[^}]*"digest":"sha256:)[0-9a-f]*/, "$1-");
      assert.equal(createHash("sha256").update(masked).digest("hex"), v.output_sha256, `line ${n + 1}: ${line.slice(0, 300)}\n${answer}`);
    }
    checked++;
  }
  assert.ok(checked > 6000, `only ${checked} vectors`);
});

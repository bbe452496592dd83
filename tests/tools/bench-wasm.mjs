// µs per check through the WebAssembly boundary on Node (a report, not a timed test):
// check(object) -> object, and checkJson(string) -> string, for a happy and a rejected
// submission. `make bench-wasm` runs it; `node tests/tools/bench-wasm.mjs [ITERATIONS]`.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const dg = require("../../pkg/node/donation_guard.js");
const casesPath = fileURLToPath(new URL("../fixtures/cases.jsonl", import.meta.url));
const cases = readFileSync(casesPath, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const pick = (name) => cases.find((c) => c.name === name).submission;

const n = Number(process.argv[2] ?? 200_000);
const subjects = [
  ["happy (accept)", pick("happy-candidate-primary-card")],
  ["foreign national (reject)", pick("foreign-national")],
  ["minimal", pick("happy-minimal-submission")],
];

// CPU time of this process (user + system), not wall time: on a busy machine (CI, parallel
// builds) wall time counts other processes' turns.
function time(fn, arg) {
  for (let i = 0; i < Math.min(n, 20_000); i++) fn(arg); // warm up
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(arg);
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / n;
}

console.log(`donation-guard wasm on Node ${process.version}: CPU µs per call (${n} calls; target ≤ 5 µs)`);
for (const [label, sub] of subjects) {
  const text = JSON.stringify(sub);
  const obj = time(dg.check, sub);
  const str = time(dg.checkJson, text);
  console.log(`  ${label.padEnd(28)} check(object) ${obj.toFixed(2).padStart(6)}   checkJson(string) ${str.toFixed(2).padStart(6)}`);
}

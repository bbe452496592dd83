// gzip -9 bytes of what a browser downloads: the .wasm and the JS glue of pkg/web (the
// widget's engine), with the total against the 60 KB budget. A report: `make size`.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const BUDGET = 60 * 1024;
const dir = fileURLToPath(new URL("../../pkg/web/", import.meta.url));
const files = [
  ["donation_guard_bg.wasm", "wasm"],
  ["donation_guard.js", "JS glue"],
  ["index.js", "init-once wrapper"],
];
let total = 0;
console.log("pkg/web, as a browser downloads it (gzip -9):");
for (const [file, what] of files) {
  const raw = readFileSync(dir + file);
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz;
  console.log(`  ${file.padEnd(24)} ${String(raw.length).padStart(8)} B raw  ${String(gz).padStart(7)} B gzip  (${what})`);
}
const verdict = total <= BUDGET ? "within" : "OVER";
console.log(`  ${"total".padEnd(24)} ${" ".repeat(15)}  ${String(total).padStart(7)} B gzip  ${verdict} the budget of ${BUDGET} B (60 KB)`);

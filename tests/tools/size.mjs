// gzip -9 bytes of what a browser downloads: the .wasm and the JS glue of pkg/web (the
// widget's engine), against the committed budget (tests/budgets/wasm-gzip-bytes.txt, which
// `make test` enforces) and the 40 KB target. A report: `make size`.
import { measure, budget } from "./size-lib.mjs";

const TARGET = 40 * 1024;
const { rows, total } = measure();
console.log("pkg/web, as a browser downloads it (gzip -9):");
for (const r of rows) {
  console.log(`  ${r.file.padEnd(24)} ${String(r.raw).padStart(8)} B raw  ${String(r.gz).padStart(7)} B gzip  (${r.what})`);
}
const b = budget();
console.log(`  ${"total".padEnd(24)} ${" ".repeat(15)}  ${String(total).padStart(7)} B gzip`);
console.log(`  budget (make test):  ${b} B  -> ${total <= b ? "within" : "OVER"}`);
console.log(`  target (issue 9):    ${TARGET} B (40 KB) -> ${total <= TARGET ? "met" : "not met"}`);

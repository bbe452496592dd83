// The gzip -9 bytes a browser downloads for the engine (pkg/web: the .wasm, the JS glue and the
// init-once wrapper), shared by the `make size` report and the budget test.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

export const pkgWeb = fileURLToPath(new URL("../../pkg/web/", import.meta.url));
export const budgetFile = fileURLToPath(new URL("../budgets/wasm-gzip-bytes.txt", import.meta.url));

export const FILES = [
  ["donation_guard_bg.wasm", "wasm"],
  ["donation_guard.js", "JS glue"],
  ["index.js", "init-once wrapper"],
];

/** `{ rows: [{file, what, raw, gz}], total }` for pkg/web. */
export function measure() {
  const rows = FILES.map(([file, what]) => {
    const raw = readFileSync(pkgWeb + file);
    return { file, what, raw: raw.length, gz: gzipSync(raw, { level: 9 }).length };
  });
  return { rows, total: rows.reduce((n, r) => n + r.gz, 0) };
}

/** The committed budget, in gzip bytes (tests/budgets/wasm-gzip-bytes.txt, first number). */
export function budget() {
  return Number(readFileSync(budgetFile, "utf8").match(/\d+/)[0]);
}

// Shared by the Node tests: the repository's paths, the wasm build on Node, the shared cases
// and the native CLI.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const casesPath = fileURLToPath(new URL("../fixtures/cases.jsonl", import.meta.url));
export const cli = `${root}target/release/donation-guard`;

/** The nodejs build: loads synchronously. Builds pkg/ first when it is missing. */
export function engine() {
  if (!existsSync(`${root}pkg/node/donation_guard_bg.wasm`)) {
    execFileSync("bash", [`${root}tests/tools/build-wasm.sh`], { stdio: "inherit" });
  }
  return createRequire(import.meta.url)(`${root}pkg/node/donation_guard.js`);
}

/** Every case of tests/fixtures/cases.jsonl (the repo copy of the shared cases): `{ name, submission }` or `{ name, input }`. */
export function cases() {
  return readFileSync(casesPath, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** The native CLI (`cargo build --release` when it is missing). */
export function ensureCli() {
  if (!existsSync(cli)) {
    execFileSync("cargo", ["build", "--release", "--locked"], { cwd: root, stdio: "inherit" });
  }
  return cli;
}

/**
 * Runs lines through `donation-guard check` in one process; returns its output lines with the
 * CLI's `"line": N` member removed (the wasm has no line numbers; everything else must match).
 */
export function cliCheck(lines) {
  for (const [i, l] of lines.entries()) {
    if (/[\n\r]/.test(l)) throw new Error(`input ${i} spans lines: the CLI reads one submission a line`);
  }
  const run = spawnSync(ensureCli(), ["check"], {
    input: lines.join("\n") + "\n",
    maxBuffer: 1 << 30,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`donation-guard check exited ${run.status}: ${run.stderr}`);
  const out = run.stdout.split("\n");
  out.pop();
  if (out.length !== lines.length) throw new Error(`${lines.length} lines in, ${out.length} out`);
  return out.map((l) => (l.startsWith('{"error":') ? l.replace(/,"line":\d+\}$/, "}") : l));
}

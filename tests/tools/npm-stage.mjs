// Assembles the npm package in target/npm/donation-guard/ and packs it: what `npm publish`
// would send. The published package differs from the repository's package.json in three ways:
// - its README is docs/npm/README.md, written for npm users (the repository README is for the
//   project's developers and links into the source tree);
// - it carries no scripts and no devDependencies (they build and test the repository);
// - it carries the widget built by esbuild (dist/, tests/tools/build-widget.mjs);
// - it is publishable ("private": false), while the repository's manifest is private, so an
//   `npm publish` from the source tree cannot ship the wrong README by mistake.
//
// Usage: node tests/tools/npm-stage.mjs [--pack DIR]   (prints the tarball's path with --pack)
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildWidget } from "./build-widget.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const defaultStage = join(root, "target", "npm", "donation-guard");

/** Builds the staging folder `stage` from pkg/ and the widget (dist/, built here); returns its path. */
export function assemble(stage = defaultStage) {
  buildWidget({ quiet: true });
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  delete manifest.scripts;
  delete manifest.devDependencies;
  manifest.private = false;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const entry of manifest.files) {
    const from = join(root, entry);
    if (entry.includes("*")) continue; // LICENSE*, copied below
    if (!existsSync(from)) throw new Error(`npm-stage: ${entry} is missing: build it first (make wasm${entry.startsWith("dist") ? " www-assets" : ""})`);
    cpSync(from, join(stage, entry), { recursive: true });
  }
  cpSync(join(root, "LICENSE"), join(stage, "LICENSE"));
  cpSync(join(root, "docs", "npm", "README.md"), join(stage, "README.md"));
  writeFileSync(join(stage, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  return stage;
}

/** Packs the staged package into `dir`; returns the tarball's path. */
export function pack(dir) {
  // A folder of its own per call: tests pack in parallel.
  const work = mkdtempSync(join(tmpdir(), "dg-npm-stage-"));
  try {
    const stage = assemble(join(work, "donation-guard"));
    const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir, stage], { encoding: "utf8" })
      .trim()
      .split("\n")
      .pop();
    return join(dir, name);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--pack");
  if (i > 0) console.log(pack(process.argv[i + 1] || process.cwd()));
  else console.log(assemble());
}

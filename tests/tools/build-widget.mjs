// Builds the widget for the npm package into dist/ with esbuild:
//   dist/donation-guard.js      the classic script for a <script> tag (IIFE, minified)
//   dist/donation-guard.mjs     the ES module (import donationGuard, { render } from ...)
//   dist/donation-guard.d.ts    the types of window.donationGuard and of the module
//   dist/engine/                the engine the widget loads beside itself (pkg/web)
// and prints each file's size and gzip -9 size, and its Subresource Integrity hash.
//
// esbuild because it is the bundler the rest of the JavaScript world already trusts for this,
// it is fast enough to run in every `make test`, and it keeps the sources readable (no hand
// minification in www/widget/).
import { buildSync } from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = join(root, "dist");
const widget = join(root, "www", "widget");

export function buildWidget({ quiet = false } = {}) {
  for (const f of ["donation_guard.js", "donation_guard_bg.wasm"]) {
    if (!existsSync(join(root, "pkg", "web", f))) throw new Error(`build-widget: pkg/web/${f} is missing: run make wasm first`);
  }
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, "engine"), { recursive: true });
  const common = { bundle: true, minify: true, legalComments: "none", target: ["es2020"], logLevel: "warning" };
  buildSync({ ...common, entryPoints: [join(widget, "donation-guard.js")], format: "iife", outfile: join(dist, "donation-guard.js") });
  // ignoreAnnotations: the module runs the classic script for its effect (window.donationGuard).
  buildSync({ ...common, ignoreAnnotations: true, entryPoints: [join(widget, "donation-guard.mjs")], format: "esm", outfile: join(dist, "donation-guard.mjs") });
  copyFileSync(join(widget, "donation-guard.d.ts"), join(dist, "donation-guard.d.ts"));
  for (const f of ["donation_guard.js", "donation_guard_bg.wasm", "donation_guard.d.ts"]) {
    copyFileSync(join(root, "pkg", "web", f), join(dist, "engine", f));
  }
  const report = {};
  for (const f of ["donation-guard.js", "donation-guard.mjs", "engine/donation_guard.js", "engine/donation_guard_bg.wasm"]) {
    const bytes = readFileSync(join(dist, f));
    report[f] = {
      bytes: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      integrity: "sha384-" + createHash("sha384").update(bytes).digest("base64"),
    };
  }
  if (!quiet) {
    for (const [f, r] of Object.entries(report)) console.log(`dist/${f}: ${r.bytes} B, ${r.gzip} B gzip -9, integrity="${r.integrity}"`);
  }
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    buildWidget();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}

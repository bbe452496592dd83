// Builds the widget with esbuild from its ES-module sources (www/widget/src/, entry index.mjs):
//   www/widget/donation-guard.js  the served script (an IIFE, minified: 11 KB gzip where the
//                                 bundle with names and whitespace is 15.8 KB). Committed, so
//                                 `make run` serves it with no Node on the machine;
//                                 tests/node/widget-build.test.mjs and `make lint` fail when it
//                                 is not what the sources build
// and, for the npm package, into dist/:
//   dist/donation-guard.js      the classic script for a <script> tag: the served script's bytes
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
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = join(root, "dist");
const widget = join(root, "www", "widget");

/** The served script's banner: its licence, and where it comes from. */
const BANNER = "/*! donation-guard widget 0.1.0 | MIT OR Apache-2.0 | built by tests/tools/build-widget.mjs from www/widget/src/ */";

/**
 * The served script, www/widget/donation-guard.js, as the sources build it.
 * @returns {string}
 */
export function buildServedWidget() {
  const out = buildSync({
    entryPoints: [join(widget, "src", "index.mjs")],
    bundle: true,
    format: "iife",
    minify: true,
    target: ["es2020"],
    legalComments: "none",
    banner: { js: BANNER },
    // "use strict" for the whole file: the sources are modules, so strict, and the IIFE made of
    // them must be too. Said here rather than read from www/widget/jsconfig.json (the type
    // check's settings, which esbuild would otherwise pick up).
    tsconfigRaw: { compilerOptions: { alwaysStrict: true } },
    // charset left at esbuild's default (ASCII, with \u escapes): the script reads the same on
    // a page in any encoding.
    write: false,
    logLevel: "warning",
  });
  return out.outputFiles[0].text;
}

/** Throws unless the committed served script is what the sources build. */
export function checkServedWidget() {
  if (readFileSync(join(widget, "donation-guard.js"), "utf8") !== buildServedWidget()) {
    throw new Error("www/widget/donation-guard.js is not what www/widget/src/ builds: run `npm run build:widget` and commit it");
  }
}

/** Builds dist/; with `served`, writes www/widget/donation-guard.js first, else checks it is up to date. */
export function buildWidget({ quiet = false, served = false } = {}) {
  if (served) writeFileSync(join(widget, "donation-guard.js"), buildServedWidget());
  else checkServedWidget();
  for (const f of ["donation_guard.js", "donation_guard_bg.wasm"]) {
    if (!existsSync(join(root, "pkg", "web", f))) throw new Error(`build-widget: pkg/web/${f} is missing: run make wasm first`);
  }
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, "engine"), { recursive: true });
  const common = { bundle: true, minify: true, legalComments: "none", target: ["es2020"], logLevel: "warning" };
  copyFileSync(join(widget, "donation-guard.js"), join(dist, "donation-guard.js"));
  // The module (www/widget/donation-guard.mjs) imports the served script for its effect
  // (window.donationGuard); ignoreAnnotations keeps that import.
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
    // --check: the committed served script is what the sources build (make lint).
    // --www: writes the served script only (no engine build needed).
    if (process.argv.includes("--check")) checkServedWidget();
    else if (process.argv.includes("--www")) writeFileSync(join(widget, "donation-guard.js"), buildServedWidget());
    else buildWidget({ served: true });
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}

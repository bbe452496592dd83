// The npm package as a consumer installs it: `npm pack`, installed into a temporary project,
// then `require("donation-guard")`, `import ... from "donation-guard"` (and the ./node, ./web
// subpaths), and the browser build (pkg/web) loaded in Node through initSync and init.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engine, root } from "./helpers.mjs";
import { pack } from "../tools/npm-stage.mjs";

engine(); // builds pkg/ when it is missing
let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "dg-consumer-"));
  const packed = pack(dir); // the staged package (tests/tools/npm-stage.mjs), as `npm publish` sends it
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  execFileSync("npm", ["install", "--silent", "--no-audit", "--no-fund", "--offline", packed], { cwd: dir });
});

after(() => rmSync(dir, { recursive: true, force: true }));

function node(file, source) {
  writeFileSync(join(dir, file), source);
  return execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8" }).trim();
}

const expected = () => JSON.stringify(engine().check({ donor: { first_name: "Zoe\u0308" } }).submission_digest);

test("the tarball holds the three builds and nothing from the source tree", () => {
  const pkgDir = join(dir, "node_modules", "donation-guard");
  const files = readdirSync(pkgDir, { recursive: true }).map(String).sort();
  for (const f of [
    "package.json",
    "README.md",
    "pkg/web/donation_guard.js",
    "pkg/web/donation_guard_bg.wasm",
    "pkg/web/donation_guard.d.ts",
    "pkg/web/index.js",
    "pkg/node/donation_guard.js",
    "pkg/node/donation_guard_bg.wasm",
    "pkg/node/index.mjs",
    "pkg/bundler/donation_guard.js",
    "pkg/bundler/donation_guard_bg.wasm",
  ]) {
    assert.ok(files.includes(f), `${f} missing from the package: ${files.join(", ")}`);
  }
  assert.ok(!files.some((f) => f.startsWith("src") || f.startsWith("tests") || f.startsWith("www")), files.join(", "));
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  assert.equal(manifest.name, "donation-guard");
});

test("the package's README is the one for npm users, its links leave no reader stranded, and the manifest is publishable", () => {
  const pkgDir = join(dir, "node_modules", "donation-guard");
  const readme = readFileSync(join(pkgDir, "README.md"), "utf8");
  assert.equal(readme, readFileSync(join(root, "docs", "npm", "README.md"), "utf8"));
  assert.match(readme, /npm install donation-guard/);
  // npmjs.com shows a relative link as a dead one: every link is absolute or an anchor.
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  for (const link of links) assert.match(link, /^(https:\/\/|#)/, `a relative link in the npm README: ${link}`);
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  assert.equal(manifest.private, false);
  assert.equal(manifest.scripts, undefined);
  assert.equal(manifest.devDependencies, undefined);
  // The repository's own manifest cannot be published by mistake.
  assert.equal(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).private, true);
});

test("CommonJS: require('donation-guard') loads synchronously", () => {
  const out = node(
    "cjs.cjs",
    `const dg = require("donation-guard");
     const v = dg.check({ donor: { first_name: "Zoe\\u0308" } });
     console.log(JSON.stringify([dg.version(), v.decision, v.submission_digest, dg.ruleset().id, typeof require("donation-guard/node").check]));`,
  );
  const [version, decision, digest, id, viaSubpath] = JSON.parse(out);
  assert.equal(version, "donation-guard 0.1.0");
  assert.equal(decision, "reject");
  assert.equal(JSON.stringify(digest), expected());
  assert.equal(id, "us-federal-2025-2026");
  assert.equal(viaSubpath, "function");
});

test("ES module in Node: named imports, and init() for code shared with the browser", () => {
  const out = node(
    "esm.mjs",
    `import init, { check, checkJson, ruleset, version } from "donation-guard";
     import * as sub from "donation-guard/node";
     await init();
     const v = check({ donor: { first_name: "Zoe\\u0308" } });
     console.log(JSON.stringify([version(), v.submission_digest, JSON.parse(checkJson("{}")).decision, ruleset().id, typeof sub.check]));`,
  );
  const [version, digest, decision, id, viaSubpath] = JSON.parse(out);
  assert.equal(version, "donation-guard 0.1.0");
  assert.equal(JSON.stringify(digest), expected());
  assert.equal(decision, "reject");
  assert.equal(id, "us-federal-2025-2026");
  assert.equal(viaSubpath, "function");
});

test("the browser build (donation-guard/web) loads in Node with initSync, and init() is idempotent", () => {
  const out = node(
    "web.mjs",
    `import { readFileSync } from "node:fs";
     import { createRequire } from "node:module";
     import init, { initSync, check, version } from "donation-guard/web";
     const require = createRequire(import.meta.url);
     const wasmPath = require.resolve("donation-guard/donation_guard_bg.wasm");
     initSync({ module: readFileSync(wasmPath) });
     const v = check({ donor: { first_name: "Zoe\\u0308" } });
     // After initSync, init() resolves without fetching; every call gets the same promise.
     const a = init(), b = init();
     await a;
     console.log(JSON.stringify([version(), v.submission_digest, a === b]));`,
  );
  const [version, digest, samePromise] = JSON.parse(out);
  assert.equal(version, "donation-guard 0.1.0");
  assert.equal(JSON.stringify(digest), expected());
  assert.equal(samePromise, true);
});

test("the browser build's init() takes the wasm bytes as the web target does", () => {
  const out = node(
    "web-init.mjs",
    `import { readFileSync } from "node:fs";
     import { createRequire } from "node:module";
     const require = createRequire(import.meta.url);
     const bytes = readFileSync(require.resolve("donation-guard/donation_guard_bg.wasm"));
     const { default: init, check } = await import("donation-guard/web");
     const p1 = init(bytes);
     const p2 = init();
     await Promise.all([p1, p2]);
     console.log(JSON.stringify([p1 === p2, check({}).decision]));`,
  );
  assert.deepEqual(JSON.parse(out), [true, "reject"]);
});

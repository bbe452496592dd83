// The package in the two bundlers the README names, with no plugin and no wasm setting: a
// consumer project (the `npm pack` tarball installed into a temporary folder) is built with
// Vite and with webpack 5; both must emit the .wasm as an asset, and both builds must run in
// headless Chromium under `script-src 'self' 'wasm-unsafe-eval'`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engine, root } from "./helpers.mjs";
import { pack } from "../tools/npm-stage.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
engine(); // builds pkg/ when it is missing
let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "dg-bundlers-"));
  const packed = pack(dir); // the staged package (tests/tools/npm-stage.mjs), as `npm publish` sends it
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "campaign-site", private: true, type: "module" }));
  execFileSync("npm", ["install", "--silent", "--no-audit", "--no-fund", "--offline", packed], { cwd: dir });
  mkdirSync(join(dir, "src"));
  // What a campaign's own code does: init once, then check.
  writeFileSync(
    join(dir, "src", "main.js"),
    `import init, { check, ruleset, version } from "donation-guard";
init().then(() => {
  const v = check({ donor: { first_name: "Ada" } });
  document.title = [version(), v.decision, ruleset().attestations.length].join(" ");
});
`,
  );
  writeFileSync(join(dir, "index.html"), '<!doctype html><meta charset="utf-8"><title>x</title><script type="module" src="/src/main.js"></script>');
});

after(() => rmSync(dir, { recursive: true, force: true }));

function bundle(tool) {
  if (tool === "vite") {
    execFileSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, "build", "--logLevel", "error", "--outDir", "dist-vite"], { cwd: dir });
    return join(dir, "dist-vite");
  }
  const config = `export default { mode: "production", entry: "./src/main.js", output: { path: "${join(dir, "dist-webpack")}", publicPath: "auto" }, performance: { hints: false } };`;
  writeFileSync(join(dir, "webpack.config.mjs"), config);
  execFileSync(process.execPath, [`${root}node_modules/webpack-cli/bin/cli.js`, "--config", "webpack.config.mjs"], { cwd: dir, stdio: "pipe" });
  const out = join(dir, "dist-webpack");
  writeFileSync(join(out, "index.html"), '<!doctype html><meta charset="utf-8"><title>x</title><script src="main.js"></script>');
  return out;
}

async function runInChromium(out) {
  const { chromium } = await import("playwright-core");
  const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
  const server = createServer((req, res) => {
    const path = req.url === "/" ? "/index.html" : req.url.split("?")[0];
    const file = join(out, path);
    if (path.includes("..") || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, {
      "content-type": types[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream",
      "content-security-policy": "script-src 'self' 'wasm-unsafe-eval'",
    });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => document.title !== "x", null, { timeout: 15_000 }).catch(() => {});
    return { title: await page.title(), errors };
  } finally {
    await browser.close();
    server.close();
  }
}

for (const tool of ["vite", "webpack"]) {
  test(`${tool}: builds the package with no configuration for wasm, and the build runs in Chromium`, async (t) => {
    const out = bundle(tool);
    const files = readdirSync(out, { recursive: true }).map(String);
    const wasm = files.filter((f) => f.endsWith(".wasm"));
    assert.equal(wasm.length, 1, `one .wasm asset expected: ${files.join(", ")}`);
    assert.equal(readFileSync(join(out, wasm[0])).length, readFileSync(`${root}pkg/web/donation_guard_bg.wasm`).length);
    if (!existsSync(CHROMIUM)) {
      t.skip(`${CHROMIUM} is missing`);
      return;
    }
    const { title, errors } = await runInChromium(out);
    assert.deepEqual(errors, []);
    assert.equal(title, "donation-guard 0.1.0 reject 5");
  });
}

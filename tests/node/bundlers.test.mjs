// The package in the two bundlers the README names, with no plugin and no wasm setting: a
// consumer project (the `npm pack` tarball installed into a temporary folder) whose code is the
// npm README's own snippet (docs/npm/README.md, the block marked `<!-- snippet: bundlers -->`)
// is built with Vite's and webpack 5's defaults; both must emit the .wasm as an asset, and both
// builds must run in headless Chromium under `script-src 'self' 'wasm-unsafe-eval'`. The
// README's Node snippet (`<!-- snippet: node -->`) runs in Node, as an ES module and as CommonJS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
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
  // What a campaign's own code does, as the README shows it (init once, inside a function, then
  // check), and a driver that calls the snippet's function and reports in the page's title.
  writeFileSync(
    join(dir, "src", "main.js"),
    `${readmeSnippet("bundlers")}
// The test's driver (not in the README).
import { ruleset, version } from "donation-guard";
const submission = { donor: { first_name: "Ada" } };
onSubmit(submission).then(() => {
  const v = check(submission);
  document.title = [version(), v.decision, ruleset().attestations.length].join(" ");
});
`,
  );
  writeFileSync(join(dir, "index.html"), '<!doctype html><meta charset="utf-8"><title>x</title><script type="module" src="/src/main.js"></script>');
});

after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The JavaScript of the npm README's code block marked `<!-- snippet: NAME ... -->` on the line
 * before it.
 * @param {string} name
 */
function readmeSnippet(name) {
  const readme = readFileSync(join(root, "docs", "npm", "README.md"), "utf8");
  const found = readme.match(new RegExp(`<!-- snippet: ${name}\\b[^>]*-->\\n\`\`\`js\\n([\\s\\S]*?)\\n\`\`\`\\n`));
  assert.ok(found, `docs/npm/README.md has no js block marked <!-- snippet: ${name} -->`);
  return found[1];
}

test("the README's snippets are marked, so these tests build what the README shows", () => {
  assert.match(readmeSnippet("bundlers"), /^import init, \{ check \} from "donation-guard";$/m);
  assert.match(readmeSnippet("node"), /require\("donation-guard"\)/);
});

test("the README's Node snippet runs as an ES module and as CommonJS, and the donor is accepted", () => {
  const snippet = readmeSnippet("node").split("\n");
  const esm = snippet.filter((line) => !/require\(/.test(line));
  const cjs = snippet.filter((line) => !/^import /.test(line));
  assert.equal(esm.length + cjs.length, 2 * snippet.length - 2, "the snippet has one import line and one require line");
  const report = "\nconsole.log(verdict.decision, verdict.submission_digest.slice(0, 7));\n";
  writeFileSync(join(dir, "snippet-node.mjs"), esm.join("\n") + report);
  writeFileSync(join(dir, "snippet-node.cjs"), cjs.join("\n") + report);
  for (const file of ["snippet-node.mjs", "snippet-node.cjs"]) {
    const out = execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8" });
    assert.equal(out, "accept sha256:\n", file);
  }
});

function bundle(tool) {
  if (tool === "vite") {
    execFileSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, "build", "--logLevel", "error", "--outDir", "dist-vite"], { cwd: dir });
    return join(dir, "dist-vite");
  }
  // No configuration file: webpack's defaults, with the entry and output folder named.
  const out = join(dir, "dist-webpack");
  execFileSync(process.execPath, [`${root}node_modules/webpack-cli/bin/cli.js`, "--mode", "production", "--entry", "./src/main.js", "--output-path", out], { cwd: dir, stdio: "pipe" });
  writeFileSync(join(out, "index.html"), '<!doctype html><meta charset="utf-8"><title>x</title><script src="main.js"></script>');
  return out;
}

async function runInChromium(out) {
  const { chromium } = await import("playwright-core");
  const types = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
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

/** A campaign page that uses the widget as the package ships it: dist/ copied as static files. */
function widgetSite(kind) {
  const out = join(dir, `site-${kind}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  execFileSync("cp", ["-r", join(dir, "node_modules", "donation-guard", "dist"), join(out, "widget")]);
  const tag = kind === "iife" ? '<script src="widget/donation-guard.js" async></script>' : '<script type="module" src="main.mjs"></script>';
  writeFileSync(
    join(out, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>x</title>
<form id="f" action="/donate" method="post" data-donation-guard data-recipient-type="candidate">
  <label for="fn">First name</label><input id="fn" name="first_name" autocomplete="given-name">
  <label for="ln">Last name</label><input id="ln" name="last_name" autocomplete="family-name">
  <label for="a1">Street address</label><input id="a1" name="address1">
  <label for="c">City</label><input id="c" name="city">
  <label for="s">State</label><input id="s" name="state">
  <label for="z">ZIP</label><input id="z" name="zip">
  <label for="amt">Amount</label><input id="amt" name="amount">
  <button>Donate</button>
</form>
${tag}<script src="report.js"></script>`,
  );
  // The page reports what the widget saw in its title (inline scripts are refused by the CSP).
  writeFileSync(
    join(out, "report.js"),
    `document.addEventListener("donation-guard:ready", (e) => {
  const m = window.donationGuard.getMapping("#f");
  document.title = [e.detail.available, window.donationGuard.engineVersion(), m ? m.missing.length : "none", m ? m.map["donor.first_name"] : ""].join(" ");
});`,
  );
  writeFileSync(join(out, "main.mjs"), 'import donationGuard from "./widget/donation-guard.mjs";\nwindow.viaModule = typeof donationGuard.render;\n');
  return out;
}

for (const kind of ["iife", "esm"]) {
  test(`the packaged widget (${kind === "iife" ? "script tag" : "ES module"}) guards a plain form under a strict CSP`, async (t) => {
    const files = readdirSync(join(dir, "node_modules", "donation-guard", "dist"), { recursive: true }).map(String).sort();
    for (const f of ["donation-guard.js", "donation-guard.mjs", "donation-guard.d.ts", "engine/donation_guard.js", "engine/donation_guard_bg.wasm"]) {
      assert.ok(files.includes(f), `dist/${f} missing: ${files.join(", ")}`);
    }
    if (!existsSync(CHROMIUM)) {
      t.skip(`${CHROMIUM} is missing`);
      return;
    }
    const { title, errors } = await runInChromium(widgetSite(kind));
    assert.deepEqual(errors, []);
    assert.equal(title, "true donation-guard 0.1.0 0 first_name");
  });
}

test("the packaged widget stays within its gzip budget", () => {
  const budget = Number.parseInt(readFileSync(join(root, "tests", "budgets", "widget-gzip-bytes.txt"), "utf8"), 10);
  const bytes = readFileSync(join(dir, "node_modules", "donation-guard", "dist", "donation-guard.js"));
  const gz = gzipSync(bytes, { level: 9 }).length;
  assert.ok(gz <= budget, `dist/donation-guard.js is ${gz} B gzip, over the budget of ${budget} B`);
});

test("the widget's types: window.donationGuard and the module, as a TypeScript consumer uses them", () => {
  writeFileSync(
    join(dir, "widget-consumer.ts"),
    `import donationGuard, { render, getVerdict } from "donation-guard/widget";
const id: string = render("#f", { recipientType: "pac", debug: true });
const v = getVerdict(id);
if (v) { const d: "accept" | "review" | "reject" = v.decision; console.log(d, v.findings.map((f) => f.code)); }
window.donationGuard.ready.then((ok: boolean) => ok);
document.addEventListener("donation-guard:ready", (e) => console.log(e.detail.available));
const m = donationGuard.getMapping(id);
if (m) console.log(m.missing.join(","), m.fields.map((f) => f.label));
`,
  );
  writeFileSync(join(dir, "widget-wrong.ts"), `import { render } from "donation-guard/widget";\nconst n: number = render("#f");\n`);
  const tsc = (file) =>
    spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "--noEmit", "--strict", "--lib", "es2020,dom", "--module", "esnext", "--moduleResolution", "bundler", file], { cwd: dir, encoding: "utf8" });
  const ok = tsc("widget-consumer.ts");
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const wrong = tsc("widget-wrong.ts");
  assert.notEqual(wrong.status, 0, "a wrong use of the widget's types must not compile");
  assert.match(wrong.stdout, /TS2322/);
});

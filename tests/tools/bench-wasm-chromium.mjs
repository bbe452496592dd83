// µs per check through the wasm boundary in headless Chromium (Debian's, via playwright-core):
// pkg/web served over loopback with application/wasm, init() once, then check(object) and
// checkJson(string) in a loop. A report, run by `make bench-wasm` after the Node figures.
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const root = fileURLToPath(new URL("../../", import.meta.url));
const n = Number(process.argv[2] ?? 50_000);

let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  console.log("Chromium: skipped (playwright-core is not installed: npm ci)");
  process.exit(0);
}
if (!existsSync(CHROMIUM)) {
  console.log(`Chromium: skipped (${CHROMIUM} is missing)`);
  process.exit(0);
}

const cases = readFileSync(`${root}tests/fixtures/cases.jsonl`, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const pick = (name) => cases.find((c) => c.name === name).submission;
const subjects = [
  ["happy (accept)", pick("happy-candidate-primary-card")],
  ["foreign national (reject)", pick("foreign-national")],
  ["minimal", pick("happy-minimal-submission")],
];

const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
const server = createServer((req, res) => {
  const path = req.url === "/" ? "/bench.html" : req.url;
  if (path === "/bench.html") {
    res.writeHead(200, { "content-type": "text/html" });
    return res.end("<!doctype html><title>bench</title>");
  }
  const file = `${root}pkg/web${path}`;
  if (!path.startsWith("/") || path.includes("..") || !existsSync(file)) {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, { "content-type": types[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  const results = await page.evaluate(
    async ({ base, subjects, n }) => {
      const dg = await import(`${base}/index.js`);
      const t0 = performance.now();
      await dg.default();
      const initMs = performance.now() - t0;
      const time = (fn, arg) => {
        for (let i = 0; i < Math.min(n, 10_000); i++) fn(arg);
        const start = performance.now();
        for (let i = 0; i < n; i++) fn(arg);
        return ((performance.now() - start) * 1000) / n;
      };
      return {
        initMs,
        rows: subjects.map(([label, sub]) => [label, time(dg.check, sub), time(dg.checkJson, JSON.stringify(sub))]),
      };
    },
    { base, subjects, n },
  );
  console.log(`headless Chromium ${browser.version()}: µs per call (${n} calls; init() ${results.initMs.toFixed(1)} ms)`);
  for (const [label, obj, str] of results.rows) {
    console.log(`  ${label.padEnd(28)} check(object) ${obj.toFixed(2).padStart(6)}   checkJson(string) ${str.toFixed(2).padStart(6)}`);
  }
} finally {
  await browser.close();
  server.close();
}

// The widget's weight and speed, measured in Chromium with performance marks (issue 4):
//   node tests/browser/report.mjs [--runs N] [--screenshot]
// Prints the figures and writes test-output/widget-report.json; --screenshot also refreshes
// www/demo/screenshot.png for the README. Figures, not assertions: nothing here fails on time.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import os from 'node:os';
import { start, repo, www } from './server.mjs';
import { launch, ensureEngine } from './harness.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 15;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const gz = (f) => { const b = readFileSync(path.join(www, f)); return { bytes: b.length, gzip: gzipSync(b, { level: 9 }).length }; };

ensureEngine();
const size = {
  'widget/donation-guard.js': gz('widget/donation-guard.js'),
  'widget/donation-guard.mjs': gz('widget/donation-guard.mjs'),
  'widget/engine/donation_guard.js (glue)': gz('widget/engine/donation_guard.js'),
  'widget/engine/donation_guard_bg.wasm': gz('widget/engine/donation_guard_bg.wasm'),
};
const widgetGzip = size['widget/donation-guard.js'].gzip + size['widget/donation-guard.mjs'].gzip;

const server = await start();
server.contributions = () => ({ status: 404, body: {} });
const browser = await launch();

// DOMContentLoaded -> the widget ready for input (engine loaded, form mapped, first verdict).
async function readyTime(ctx) {
  const page = await ctx.newPage();
  await page.goto(server.url + '/demo/');
  await page.evaluate(() => window.donationGuard.ready);
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const at = (n) => performance.getEntriesByName('donation-guard:' + n)[0].startTime - nav.domContentLoadedEventStart;
    return { ready: at('ready'), engine: at('engine'), script: at('script'), interactive: at('interactive') };
  });
  await page.close();
  return t;
}
const cold = [], warm = [], coldEngine = [], coldScript = [], coldInteractive = [];
for (let i = 0; i < runs; i++) {
  const ctx = await browser.newContext();
  const c = await readyTime(ctx);
  cold.push(c.ready); coldEngine.push(c.engine); coldScript.push(c.script); coldInteractive.push(c.interactive);
  warm.push((await readyTime(ctx)).ready); // second load: glue and wasm from the HTTP cache
  await ctx.close();
}

// One live validation: build the submission, run the engine, update the page.
const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
const page = await ctx.newPage();
await page.goto(server.url + '/demo/');
await page.evaluate(() => window.donationGuard.ready);
await page.click('button.amount[data-amount="100"]');
const fields = { '#first_name': 'Maria', '#last_name': 'Santos', '#email': 'maria@example.org', '#address1': '55 Lake Shore Drive',
  '#city': 'Chicago', '#state': 'IL', '#zip': '60611', '#employer': 'City Colleges', '#occupation': 'Professor' };
for (const [s, v] of Object.entries(fields)) await page.fill(s, v);
const validations = await page.evaluate(() => {
  performance.clearMeasures('donation-guard:validate');
  const el = document.getElementById('city');
  for (let i = 0; i < 300; i++) {
    el.value = i % 2 ? 'Chicago' : 'Evanston';
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
  return performance.getEntriesByName('donation-guard:validate').map((e) => e.duration);
});
if (args.includes('--screenshot')) {
  // The README's picture: a U.S. citizen in Toronto, asked for a passport number by the widget.
  await page.fill('#city', 'Toronto');
  await page.fill('#state', 'ON');
  await page.fill('#zip', 'M5V 2T6');
  await page.fill('#country', 'Canada');
  await page.check('input[value=us_citizen]');
  const pp = page.locator('[data-dg-field="donor.passport.number"]');
  await pp.waitFor({ state: 'visible' });
  await pp.fill('56172893');
  await page.locator('#employer').focus();
  await page.waitForFunction(() => document.querySelector('[data-dg-field="donor.passport.number"]').getAttribute('aria-invalid') === 'true');
  await page.evaluate(() => window.scrollTo(0, document.getElementById('address1').getBoundingClientRect().top + window.scrollY - 24));
  await page.waitForTimeout(100);
  await page.screenshot({ path: path.join(www, 'demo', 'screenshot.png') });
}
await browser.close();
await server.close();

const r = {
  widget_js_gzip_bytes: widgetGzip,
  widget_js_budget_bytes: 15 * 1024,
  ready_after_dcl_ms: { cold_median: +median(cold).toFixed(1), warm_median: +median(warm).toFixed(1), budget: 50, runs,
    cold_script_ran_median: +median(coldScript).toFixed(1), cold_interactive_median: +median(coldInteractive).toFixed(1), cold_engine_loaded_median: +median(coldEngine).toFixed(1) },
  load_average: os.loadavg().map((x) => +x.toFixed(2)),
  live_validation_ms: { median: +median(validations).toFixed(3), p95: +[...validations].sort((a, b) => a - b)[Math.floor(validations.length * 0.95)].toFixed(3), n: validations.length },
  sizes: size,
  chromium: 'Debian /usr/bin/chromium, headless',
};
mkdirSync(path.join(repo, 'test-output'), { recursive: true });
writeFileSync(path.join(repo, 'test-output', 'widget-report.json'), JSON.stringify(r, null, 2) + '\n');
const kb = (b) => (b / 1024).toFixed(1) + ' KB';
console.log(`widget JS (donation-guard.js + .mjs), gzip: ${widgetGzip} bytes (${kb(widgetGzip)}; budget 15 KB) ${widgetGzip <= 15 * 1024 ? 'OK' : 'OVER'}`);
console.log(`engine (not counted): glue ${kb(size['widget/engine/donation_guard.js (glue)'].gzip)} gzip, wasm ${kb(size['widget/engine/donation_guard_bg.wasm'].bytes)} (${kb(size['widget/engine/donation_guard_bg.wasm'].gzip)} gzip)`);
console.log(`DOMContentLoaded -> widget ready: median ${r.ready_after_dcl_ms.cold_median} ms cold, ${r.ready_after_dcl_ms.warm_median} ms warm (${runs} runs; budget 50 ms)`);
console.log(`  (cold: widget script ran at ${r.ready_after_dcl_ms.cold_script_ran_median} ms, form mapped and listening at ${r.ready_after_dcl_ms.cold_interactive_median} ms, engine loaded at ${r.ready_after_dcl_ms.cold_engine_loaded_median} ms, relative to DOMContentLoaded; load average ${r.load_average.join(' ')})`);
console.log(`one live validation (submission + engine + page update): median ${r.live_validation_ms.median} ms, p95 ${r.live_validation_ms.p95} ms (${validations.length} runs)`);

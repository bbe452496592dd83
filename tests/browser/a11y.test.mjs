// axe-core on the demo page and the widget's states: no serious or critical violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { start } from './server.mjs';
import { launch, ensureEngine, formPage, ADA, fill, ready } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let server, browser;
before(async () => {
  ensureEngine();
  server = await start({ pages: { '/test/form': formPage } });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

async function axe(page, label) {
  await page.addScriptTag({ path: axePath });
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const detail = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
  assert.equal(bad.length, 0, label + ':\n' + detail);
  return r.violations.length;
}
// bypassCSP: the demo's policy (rightly) forbids the injected axe script.
const open = async (url) => {
  const ctx = await browser.newContext({ bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(server.url + url);
  assert.equal(await ready(page), true);
  return { page, ctx };
};

test('axe: the demo page, before and after a blocked submit', async () => {
  const { page, ctx } = await open('/demo/');
  await axe(page, 'demo, initial');
  await page.click('button.donate');
  await page.waitForSelector('.dg-summary');
  await axe(page, 'demo, error summary and invalid fields');
  await ctx.close();
});

test('axe: the demo with a foreign address (passport field) and a review state', async () => {
  const { page, ctx } = await open('/demo/');
  await page.click('button.amount[data-amount="250"]');
  await fill(page, { '#first_name': 'Ada', '#last_name': 'Lovelace', '#address1': '1 Rue de Rivoli', '#city': 'Paris', '#country': 'France' });
  await page.check('input[value=permanent_resident]');
  await page.waitForSelector('[data-dg-field="donor.passport.number"]', { state: 'hidden' });
  await page.check('input[value=us_citizen]');
  await page.waitForSelector('[data-dg-field="donor.passport.number"]', { state: 'visible' });
  await page.fill('[data-dg-field="donor.passport.number"]', '12');
  await page.click('button.donate');
  await page.waitForSelector('.dg-summary');
  await axe(page, 'demo, passport');
  await ctx.close();
});

test('axe: the plain form in Spanish with findings shown', async () => {
  const { page, ctx } = await open('/test/form?lang=es&attrs=' + encodeURIComponent(JSON.stringify({ 'data-language': 'es' })));
  await fill(page, { ...ADA, '#amount': '3500.01' });
  await page.check('input[value=foreign_national]');
  await page.click('#go');
  await page.waitForSelector('.dg-summary');
  await axe(page, 'form, es');
  await ctx.close();
});

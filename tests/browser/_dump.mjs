import { start } from './server.mjs';
import { launch } from './harness.mjs';
import { corpusPages } from './forms-lib.mjs';
const server = await start({ pages: corpusPages() });
const browser = await launch();
for (const name of process.argv.slice(2)) {
  const page = await (await browser.newContext()).newPage();
  const logs = [];
  page.on('console', (m) => logs.push(m.type() + ': ' + m.text()));
  page.on('pageerror', (e) => logs.push('pageerror: ' + e.message));
  await page.goto(server.url + '/forms/' + name + '.html');
  await page.evaluate(() => window.donationGuard.ready);
  console.log('=====', name);
  console.log(logs.join('\n'));
  console.log(JSON.stringify(await page.evaluate(() => { const f = document.querySelector('form'); const m = window.donationGuard.getMapping(document.querySelector('form[data-donation-guard]') || f); return m && { fields: m.fields.map((x) => x.path + ' <- ' + x.names.join('+') + ' [' + x.source + '] ' + x.label), unmapped: m.unmapped, missing: m.missing }; }), null, 1));
}
await browser.close(); await server.close();

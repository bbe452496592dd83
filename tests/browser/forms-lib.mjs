// Helpers for the platform corpus (tests/browser/forms/*.html): serving the pages, the
// committee's real server (`donation-guard serve`, for POST /v1/forms/check), reading a posted
// form body, and a donor's walk through a page described by a plain spec (no page is edited).
import { readFileSync, readdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { here, cli, repo } from './server.mjs';

export const formsDir = path.join(here, 'forms');

/** The corpus pages, as `start({pages})` entries: /forms/NAME.html, read on every request. */
export function corpusPages() {
  const pages = {};
  for (const f of readdirSync(formsDir).filter((n) => n.endsWith('.html'))) {
    pages['/forms/' + f] = () => readFileSync(path.join(formsDir, f), 'utf8');
  }
  return pages;
}

/** The source comment every page carries at its top (the first comment in the file). */
export function sourceOf(name) {
  const html = readFileSync(path.join(formsDir, name + '.html'), 'utf8');
  const m = /<!--([\s\S]*?)-->/.exec(html.slice(0, 4000));
  return m ? m[1] : '';
}

/** The ruleset's message for a finding code in a language (what the widget shows on a page of
 * that language; English by default). */
export function rulesetMessage(code, lang = 'en') {
  const rs = JSON.parse(readFileSync(path.join(repo, 'src', 'rulesets', 'us-federal-2025-2026.json'), 'utf8'));
  const find = (o) => {
    if (!o || typeof o !== 'object') return null;
    if (o[code] && typeof o[code].message === 'string') return lang === 'en' ? o[code].message : (o[code].messages || {})[lang] || null;
    for (const v of Object.values(o)) { const r = find(v); if (r) return r; }
    return null;
  };
  return find(rs);
}

/** Why the real server cannot run here (or false). */
export function serveSupport() {
  if (!existsSync(cli)) return 'the native binary target/release/donation-guard is missing (cargo build --release)';
  const help = spawnSync(cli, ['serve', '--help'], { encoding: 'utf8' });
  if (help.status !== 0 || !/--listen/.test(help.stdout + help.stderr)) return '`donation-guard serve` is not available';
  return false;
}

/** Starts `donation-guard serve` on a free loopback port with a throwaway ledger. */
export async function startServe({ www: served } = {}) {
  // The ledger may not sit inside --www (the server refuses to serve its own database). The
  // port is the kernel's (`:0`), read from the URL the server prints: a port picked here could
  // be taken before the server binds it.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dg-forms-'));
  const owned = served == null;
  const www = owned ? mkdtempSync(path.join(os.tmpdir(), 'dg-forms-www-')) : served;
  const proc = spawn(cli, ['serve', '--listen', '127.0.0.1:0', '--db', path.join(dir, 'ledger.sqlite'), '--www', www],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((ok, no) => {
    const t = setTimeout(() => no(new Error('donation-guard serve did not start: ' + err)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) { clearTimeout(t); ok(m[0]); }
    });
    proc.on('exit', (c) => { clearTimeout(t); no(new Error('donation-guard serve exited ' + c + ': ' + err)); });
  });
  return {
    url,
    async close() {
      if (proc.exitCode == null) {
        const gone = new Promise((ok) => proc.once('exit', ok));
        proc.kill('SIGTERM');
        await Promise.race([gone, new Promise((ok) => setTimeout(ok, 3000))]);
      }
      rmSync(dir, { recursive: true, force: true });
      if (owned) rmSync(www, { recursive: true, force: true });
    },
  };
}

/** Name/value pairs of a posted body (urlencoded or multipart/form-data; file parts skipped). */
export function formPairs(type, body) {
  if (/multipart\/form-data/i.test(type)) {
    const b = /boundary="?([^";]+)"?/i.exec(type);
    if (!b) throw new Error('multipart body without a boundary: ' + type);
    const out = [];
    for (const part of body.split('--' + b[1]).slice(1)) {
      if (part.startsWith('--')) break;
      const [head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
      const name = /name="([^"]*)"/.exec(head);
      if (!name || /filename=/.test(head)) continue;
      out.push([name[1], rest.join('\r\n\r\n').replace(/\r\n$/, '')]);
    }
    return out;
  }
  return [...new URLSearchParams(body)];
}

/** The widget's hidden field in a posted body, parsed ({} when absent, the text when not JSON). */
export function hiddenResponse(pairs, name = 'donation-guard-response') {
  const hit = pairs.find(([n]) => n === name);
  if (!hit) return { absent: true };
  try { return JSON.parse(hit[1]); } catch { return { text: hit[1] }; }
}

/** The donor everyone walks with: a U.S. address in Springfield, Illinois. */
export const DONOR = {
  first: 'Grace', last: 'Hopper', full: 'Grace Hopper', email: 'grace.hopper@example.org', line1: '418 Linden Avenue',
  city: 'Springfield', zip: '62704', employer: 'Analytical Engines LLC', occupation: 'Engineer',
  state: 'Illinois', country: 'United States',
};

/**
 * Fills a page as a donor would, from its spec:
 *   text: {selector: donor key}, select: {selector: donor key or literal option label},
 *   other: {radio | click | select: [selector, option label] (or none), box},
 *   citizen: {yes, no} (selectors to check), {select, yes, no} (a <select> and the option labels)
 *     or {check} (one box worded in the negative, ticked by a foreign national only),
 *   always: [selectors of boxes every donor ticks (the page's own acceptance boxes)].
 * The amount goes through "Other": the page's other choice (a radio to check, a button to
 * click or an option to pick, if it has one), then 75 typed in the other box.
 */
export async function walk(page, spec, { citizen }) {
  for (const [sel, key] of Object.entries(spec.text)) await page.fill(sel, DONOR[key] ?? key);
  for (const [sel, key] of Object.entries(spec.select || {})) await page.selectOption(sel, { label: DONOR[key] ?? key });
  if (spec.other.radio) await page.check(spec.other.radio);
  if (spec.other.click) await page.click(spec.other.click);
  if (spec.other.select) await page.selectOption(spec.other.select[0], { label: spec.other.select[1] });
  await page.fill(spec.other.box, '75');
  for (const sel of spec.always || []) await page.check(sel);
  const c = spec.citizen;
  if (c.select) await page.selectOption(c.select, { label: citizen ? c.yes : c.no });
  else if (c.check) { if (!citizen) await page.check(c.check); }
  else await page.check(citizen ? c.yes : c.no);
  // The statements the widget shows (rendered once its engine is up).
  const boxes = page.locator('[data-dg-own] input[type=checkbox]:visible');
  const n = await boxes.count();
  for (let i = 0; i < n; i++) await boxes.nth(i).check();
  return n;
}

/** Waits until `pred()` holds (polling), or `ms` pass; returns whether it held. */
export async function until(pred, ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return true;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return !!(await pred());
}

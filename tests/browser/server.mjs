// A tiny static server for the browser tests: serves www/ at / and the test pages at /test/,
// with the right MIME types (application/wasm), an optional Content-Security-Policy per path,
// a /capture endpoint that records posted form bodies, and a stand-in for the committee's
// POST /v1/contributions (the native CLI plus an in-memory ledger), so the suite does not
// depend on the Rust server.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
export const www = path.join(repo, 'www');
export const cli = process.env.DONATION_GUARD_BIN || path.join(repo, 'target/release/donation-guard');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.md': 'text/plain; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.ts': 'text/plain; charset=utf-8',
};

/** Runs lines of JSON through `donation-guard check`; one output line per input line. */
export function nativeCheck(lines) {
  const r = spawnSync(cli, ['check'], { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error('donation-guard check exited ' + r.status + ': ' + r.stderr);
  return r.stdout.replace(/\n$/, '').split('\n');
}

const cents = (s) => { const [w, f = ''] = String(s).split('.'); return BigInt(w) * 100n + BigInt((f + '00').slice(0, 2)); };
const money = (c) => (c / 100n).toString() + '.' + (c % 100n).toString().padStart(2, '0');

/**
 * Starts the server. Returns {url, close, posts, csp, contributions, ledger}.
 * - csp: Map of path prefix -> header value.
 * - posts: every POST body received ({path, type, body}).
 * - contributions: function(submission) -> {status, body} replacing the stand-in, or null.
 */
export async function start({ pages = {} } = {}) {
  const posts = [];
  const csp = new Map();
  const ledger = new Map();
  const state = { posts, csp, ledger, contributions: null };

  function standIn(sub) {
    // The committee's server, roughly: the ledger (keyed by donor and election) supplies history.
    if (!existsSync(cli)) return { status: 404, body: { error: { code: 'not_found', message: 'no native binary' } } };
    const d = sub.donor || {}, a = d.address || {};
    const key = [d.first_name, d.last_name, a.postal_code, sub.recipient && sub.recipient.type, sub.recipient && sub.recipient.election]
      .map((x) => String(x || '').toLowerCase()).join('|');
    const prior = ledger.get(key) || 0n;
    const withHistory = { ...sub, history: { prior_total: money(prior), cycle_total: money(prior) } };
    const [line] = nativeCheck([JSON.stringify(withHistory)]);
    const v = JSON.parse(line);
    if (v.error) return { status: 400, body: v };
    if (v.decision !== 'reject') ledger.set(key, prior + cents(sub.contribution.amount));
    return { status: 200, body: v, text: line };
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, type, body, extra = {}) => {
      // Static files may be cached briefly, as a real site's would (and Chromium then keeps the
      // compiled wasm too); test pages and API answers never.
      const cache = status === 200 && /javascript|wasm|css|png/.test(type) ? 'max-age=60' : 'no-store';
      res.writeHead(status, { 'content-type': type, 'cache-control': cache, ...extra });
      res.end(body);
    };
    if (req.method === 'POST') {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = Buffer.concat(chunks).toString('utf8');
      posts.push({ path: url.pathname, type: req.headers['content-type'] || '', headers: req.headers, body });
      if (url.pathname === '/capture') return send(200, 'text/html; charset=utf-8', '<!doctype html><title>Received</title><h1 id="received">Received</h1>');
      if (url.pathname === '/v1/contributions') {
        let sub;
        try { sub = JSON.parse(body); } catch { return send(400, 'application/json', JSON.stringify({ error: { code: 'invalid_json', message: 'not JSON' } })); }
        // As the real server does: the widget's field, passed as a header, becomes client_verdict.
        const cv = req.headers['donation-guard-response'];
        if (cv) { const v = JSON.parse(cv); if (v.decision !== 'unavailable') sub.client_verdict = v; }
        const r = state.contributions ? await state.contributions(sub) : standIn(sub);
        return send(r.status, 'application/json', r.text || JSON.stringify(r.body));
      }
      return send(404, 'text/plain', 'not found');
    }
    let p = decodeURIComponent(url.pathname);
    const headers = {};
    for (const [prefix, value] of csp) if (p.startsWith(prefix)) headers['content-security-policy'] = value;
    if (pages[p]) {
      const page = pages[p];
      const html = typeof page === 'function' ? page(url.searchParams) : page;
      return send(200, 'text/html; charset=utf-8', html, headers);
    }
    let file = p.startsWith('/test/') ? path.join(here, 'pages', p.slice(6)) : path.join(www, p);
    if (!file.startsWith(www) && !file.startsWith(path.join(here, 'pages'))) return send(403, 'text/plain', 'forbidden');
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const data = await readFile(file);
      return send(200, MIME[path.extname(file)] || 'application/octet-stream', data, headers);
    } catch {
      return send(404, 'text/plain', 'not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = 'http://127.0.0.1:' + server.address().port;
  return Object.assign(state, { url, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }) });
}

// Loads the WebAssembly engine (engine/donation_guard.js and its .wasm, beside the widget's own
// URL) once, with a timeout, and keeps the rulesets it has read. Every law the widget applies is
// the engine's: it maps and reads the form, checks the submission and words the findings.
import { perf } from './dom.mjs';
import { scriptTag } from './script-tag.mjs';

/**
 * What the widget calls in the engine (the wasm-bindgen module's exports, src/wasm.rs). The
 * values are JSON-shaped objects; the submission and verdict follow CONTRACT.md.
 * @typedef {{
 *   default: (init: { module_or_path: Promise<Response> }) => Promise<unknown>,
 *   mapForm: (descriptors: import('./fields.mjs').ControlDescriptor[]) => FormMapping & { error?: EngineError },
 *   readForm: (pairs: [string, string][], map: FieldMap) => Submission,
 *   check: (submission: Submission) => Verdict,
 *   ruleset: (id?: string) => Ruleset,
 *   loadRuleset: (text: string) => { id?: string, error?: EngineError },
 *   version: () => string,
 * }} Engine
 */
/** @typedef {{ code: string, message?: string }} EngineError */
/**
 * The engine's field map: submission path → a field name, several names, `{name, text}` for a
 * control read by its option texts, or `{value}` for a value the page fixes.
 * @typedef {Record<string, any>} FieldMap
 */
/**
 * @typedef {{
 *   map: FieldMap, fields: { path: string, names: string[], label: string, source: string }[],
 *   missing: string[], unmapped: string[]
 * }} FormMapping
 */
/** @typedef {{ id: string, text: string, texts?: Record<string, string>, required?: string }} Attestation */
/**
 * @typedef {{ attestations?: Attestation[], attestation_digest?: string, languages?: string[], prompts?: Record<string, Record<string, string>>, error?: EngineError }} Ruleset
 */
/** @typedef {{ [key: string]: any, error?: EngineError }} Submission */
/** @typedef {{ field: string, code: string, severity: string, message: string }} Finding */
/**
 * @typedef {{ decision: string, findings: Finding[], submission_digest: string, ruleset: { digest: string }, error?: EngineError }} Verdict
 */

/**
 * Where the engine loads from, and how long it may take (`donationGuard.config()`).
 * @type {{ base: string | null, engineUrl: string | null, wasmUrl?: string | null, timeout: number, [key: string]: unknown }}
 */
export const config = { base: scriptTag && scriptTag.src ? scriptTag.src : null, engineUrl: null, timeout: 10000 };

/** @type {Promise<Engine> | null} */
let loading = null;
/** The engine, once it runs (null before, and for good when it failed). @type {Engine | null} */
export let engine = null;
/** Why the engine cannot run (`csp`, `load_failed`, `unsupported`, `timeout`), once it failed. @type {string | null} */
let failure = null;
/** @type {Map<string, Ruleset>} */
const rulesets = new Map();

/** @param {unknown} error */
function classifyFailure(error) {
  const text = String((error && /** @type {Error} */ (error).message) || error);
  return /Content.Security|unsafe-eval|CSP/i.test(text) ? 'csp' : /^(timeout|unsupported)$/.test(text) ? text : 'load_failed';
}

/**
 * Loads the engine (once): the glue module by a dynamic import() while the wasm downloads and
 * compiles, streaming. Rejects with the failure's reason (a string) when it cannot run.
 * @returns {Promise<Engine>}
 */
export function loadEngine() {
  if (!loading) {
    const load = (async () => {
      if (typeof WebAssembly !== 'object') throw new Error('unsupported');
      const url = config.engineUrl || new URL('engine/donation_guard.js', config.base || location.href).href;
      // The wasm downloads (and compiles, streaming) while the glue module loads.
      const wasm = fetch(config.wasmUrl || new URL('donation_guard_bg.wasm', url).href, { credentials: 'same-origin' });
      wasm.catch(() => {});
      /** @type {Engine} */
      const loaded = await import(url);
      await loaded.default({ module_or_path: wasm });
      if (perf.mark) perf.mark('donation-guard:engine');
      return loaded;
    })();
    /** @type {Promise<never>} */
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), config.timeout));
    loading = Promise.race([load, late]).then(
      (loaded) => { if (!failure) engine = loaded; return loaded; },
      (error) => {
        failure = failure || classifyFailure(error);
        console.warn('[donation-guard] engine unavailable (' + failure + '); the form submits without the browser check.', error);
        throw failure;
      });
  }
  return loading;
}

/**
 * The ruleset `id` (the engine's default for none), read once. Only once the engine runs.
 * @param {string | undefined} id
 * @returns {Ruleset}
 */
export function rulesetOf(id) {
  const running = /** @type {Engine} */ (engine);
  const key = id || '';
  if (!rulesets.has(key)) rulesets.set(key, id ? running.ruleset(id) : running.ruleset());
  return /** @type {Ruleset} */ (rulesets.get(key));
}

/** Forgets a ruleset read before (one loaded again under the same id). @param {string} id */
export function forgetRuleset(id) {
  rulesets.delete(id);
}

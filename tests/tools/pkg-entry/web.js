// The browser entry of the npm package (`donation-guard`, `donation-guard/web`): wasm-pack's
// `--target web` output, with `init()` made idempotent. Every caller gets the same promise, so
// the engine is fetched and compiled once however many widgets call it; a failed load (a
// network error) is forgotten, so the next call tries again.
//
// Before the engine has loaded, `check()`, `checkJson()` and the other calls answer with an
// error object (`not_ready`) instead of throwing: "it answers, never throws" holds from the
// first call.
import wbgInit, * as engine from "./donation_guard.js";

export * from "./donation_guard.js";

let ready;
let loaded = false;

const NOT_READY = "The donation-guard engine is not loaded yet: await init() (or call initSync()) first.";

/** The error object every call returns before the engine is loaded. */
function notReady() {
  return { error: { code: "not_ready", message: NOT_READY } };
}

export default function init(input) {
  if (ready === undefined) {
    // wasm-bindgen takes `{ module_or_path }`; a bare URL, Response, bytes or Module is wrapped.
    const wrapped = input === undefined || (input !== null && typeof input === "object" && "module_or_path" in input);
    const arg = wrapped ? input : { module_or_path: input };
    ready = wbgInit(arg).then(
      (exports) => {
        loaded = true;
        return exports;
      },
      (e) => {
        ready = undefined;
        throw e;
      },
    );
  }
  return ready;
}

export function initSync(input) {
  const exports = engine.initSync(input);
  loaded = true;
  return exports;
}

/** Whether the engine has loaded (after `init()` resolved or `initSync()` returned). */
export function isReady() {
  return loaded;
}

export function check(submission) {
  return loaded ? engine.check(submission) : notReady();
}

export function checkJson(submission) {
  return loaded ? engine.checkJson(submission) : JSON.stringify(notReady());
}

export function ruleset(id) {
  return loaded ? engine.ruleset(id) : notReady();
}

export function version() {
  return loaded ? engine.version() : "";
}

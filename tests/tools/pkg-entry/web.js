// The browser entry of the npm package (`donation-guard`, `donation-guard/web`): wasm-pack's
// `--target web` output, with `init()` made idempotent. Every caller gets the same promise, so
// the engine is fetched and compiled once however many widgets call it; a failed load (a
// network error) is forgotten, so the next call tries again.
import wbgInit, { initSync, check, checkJson, ruleset, version } from "./donation_guard.js";

let ready;

export default function init(input) {
  if (ready === undefined) {
    // wasm-bindgen takes `{ module_or_path }`; a bare URL, Response, bytes or Module is wrapped.
    const wrapped = input === undefined || (input !== null && typeof input === "object" && "module_or_path" in input);
    const arg = wrapped ? input : { module_or_path: input };
    ready = wbgInit(arg).catch((e) => {
      ready = undefined;
      throw e;
    });
  }
  return ready;
}

export { initSync, check, checkJson, ruleset, version };

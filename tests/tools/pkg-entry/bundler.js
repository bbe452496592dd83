// The bundler entry of the npm package (`donation-guard/bundler`): the bundler instantiates the
// `.wasm` when the module is imported, so `init()` resolves at once; it exists so that code
// written for the browser entry runs unchanged.
import * as engine from "./donation_guard.js";

export * from "./donation_guard.js";

export default function init() {
  return Promise.resolve(engine);
}

export function initSync() {
  return engine;
}

export function isReady() {
  return true;
}

// The Node ES module entry of the npm package: the engine is loaded synchronously by the
// CommonJS build beside this file; `init()` exists so that code written for the browser runs
// unchanged.
import engine from "./donation_guard.js";

export const { check, checkJson, ruleset, version } = engine;

export default function init() {
  return Promise.resolve(engine);
}

export function initSync() {
  return engine;
}

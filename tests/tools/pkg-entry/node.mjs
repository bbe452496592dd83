// The Node ES module entry of the npm package: the engine is loaded synchronously by the
// CommonJS build beside this file; `init()` exists so that code written for the browser runs
// unchanged.
import entry from "./index.cjs";

export const { check, checkJson, ruleset, version, initSync, isReady } = entry;
export const loadRuleset = entry.loadRuleset;
export const readForm = entry.readForm;

export default function init() {
  return Promise.resolve(entry);
}

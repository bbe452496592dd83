// The CommonJS entry of the npm package in Node (`require("donation-guard")`): the engine is
// loaded synchronously by wasm-pack's nodejs build beside this file. `init()` and `initSync()`
// exist so that code written for the browser runs unchanged.
"use strict";
const engine = require("./donation_guard.js");

for (const name of Object.keys(engine)) exports[name] = engine[name];
exports.init = function init() {
  return Promise.resolve(exports);
};
exports.initSync = function initSync() {
  return exports;
};
exports.isReady = function isReady() {
  return true;
};
exports.default = exports.init;

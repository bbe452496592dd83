// Every entry point of the npm package keeps the README's promises: `init` exists everywhere,
// and a call made before the engine has loaded answers with an error object, never a throw.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const submission = { recipient: { type: "candidate" }, contribution: { amount: "25.00" } };

test("require('donation-guard') has init, initSync and a working check", async () => {
  const dg = require("../../pkg/node/index.cjs");
  assert.equal(typeof dg.init, "function");
  assert.equal(typeof dg.initSync, "function");
  assert.equal(dg.isReady(), true);
  assert.equal(await dg.init(), dg);
  assert.ok(["accept", "review", "reject"].includes(dg.check(submission).decision));
});

test("the Node ES module entry has init and the same engine as the CommonJS one", async () => {
  const esm = await import("../../pkg/node/index.mjs");
  const cjs = require("../../pkg/node/index.cjs");
  assert.equal(typeof esm.default, "function");
  await esm.default();
  assert.equal(esm.checkJson(JSON.stringify(submission)), cjs.checkJson(JSON.stringify(submission)));
});

test("the browser entry: check() before init() returns not_ready, then works after initSync()", async () => {
  const web = await import("../../pkg/web/index.js");
  assert.equal(web.isReady(), false);
  assert.deepEqual(web.check(submission).error.code, "not_ready");
  assert.equal(JSON.parse(web.checkJson("{}")).error.code, "not_ready");
  assert.equal(web.ruleset().error.code, "not_ready");
  assert.equal(web.version(), "");
  web.initSync({ module: readFileSync(new URL("../../pkg/web/donation_guard_bg.wasm", import.meta.url)) });
  assert.equal(web.isReady(), true);
  const cjs = require("../../pkg/node/index.cjs");
  assert.equal(web.checkJson(JSON.stringify(submission)), cjs.checkJson(JSON.stringify(submission)));
  assert.equal(typeof web.default, "function");
});

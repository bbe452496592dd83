// The served widget, www/widget/donation-guard.js, is built output committed beside its sources
// (www/widget/src/), so that `make run` serves it on a machine with no Node: these tests fail when
// it is not what the sources build, and when it outgrows its gzip budget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { root } from "./helpers.mjs";
import { buildServedWidget } from "../tools/build-widget.mjs";

const served = join(root, "www", "widget", "donation-guard.js");

test("www/widget/donation-guard.js is what www/widget/src/ builds (npm run build:widget)", () => {
  assert.ok(readFileSync(served, "utf8") === buildServedWidget(), "www/widget/donation-guard.js is stale: run `npm run build:widget` and commit it");
});

test("the served widget is one classic script: strict, an IIFE, no import or export, ASCII only", () => {
  const text = readFileSync(served, "utf8");
  assert.match(text, /^\/\*! donation-guard widget [^\n]*\*\/\n"use strict";\(\(\)=>\{/);
  assert.match(text, /\}\)\(\);\n$/);
  assert.doesNotMatch(text, /^\s*(import|export)\s/m);
  assert.equal(Buffer.byteLength(text), text.length, "non-ASCII bytes: a page in another encoding would misread them");
});

test("the served widget stays within its gzip budget", () => {
  const budget = Number.parseInt(readFileSync(join(root, "tests", "budgets", "widget-gzip-bytes.txt"), "utf8"), 10);
  const gz = gzipSync(readFileSync(served), { level: 9 }).length;
  assert.ok(gz <= budget, `www/widget/donation-guard.js is ${gz} B gzip, over the budget of ${budget} B`);
});

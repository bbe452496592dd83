// The Node ES module view: import from "donation-guard" resolves to pkg/node/index.mjs.
// (No @types/node here: the package's types must stand on their own.)
declare const console: { log(...args: unknown[]): void };
import init, { check, checkJson, ruleset, version } from "donation-guard";
import type { Verdict, ErrorObject } from "donation-guard";

await init();
const answer: Verdict | ErrorObject = check({ donor: { first_name: "Ada" } });
const text: string = checkJson("{}");
const rs = ruleset();
console.log(answer, text, version(), "error" in rs ? rs.error.code : rs.digest);

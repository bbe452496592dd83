// The Node CommonJS view: require("donation-guard") resolves to pkg/node (synchronous).
// (No @types/node here: the package's types must stand on their own.)
declare const console: { log(...args: unknown[]): void };
import dg = require("donation-guard");
import type { Verdict, ErrorObject } from "donation-guard";

const answer: Verdict | ErrorObject = dg.check({ donor: { first_name: "Ada" } });
const text: string = dg.checkJson("{}");
const name: string = dg.version();
const rs = dg.ruleset();
console.log(answer, text, name, "error" in rs ? rs.error.code : rs.digest);

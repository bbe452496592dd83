// A small consumer of the package's types, as a browser or bundler project writes it.
// `tsc --noEmit -p tests/types` (run by tests/node/types.test.mjs) must accept it.
import init, { check, checkJson, ruleset, version, initSync } from "donation-guard";
import type { Decision, ErrorObject, Finding, FindingCode, Ruleset, Submission, Verdict } from "donation-guard";
import * as web from "donation-guard/web";

await init();
await init(new URL("https://example.org/donation_guard_bg.wasm"));
await web.default({ module_or_path: "/assets/donation_guard_bg.wasm" });
initSync({ module: new Uint8Array() });

const submission: Submission = {
  id: "f3c1",
  recipient: { type: "candidate", election: "primary" },
  donor: {
    first_name: "Ada",
    last_name: "Lovelace",
    address: { line1: "1 Main St", city: "Springfield", state: "IL", postal_code: "62701", country: "US" },
    citizenship: "us_citizen",
    passport: { country: "US", number: "A12345678" },
  },
  contribution: { amount: "25.00", currency: "USD", method: "card", card: { country: "US" } },
  attestations: { version: "sha256:...", affirmed: ["us_citizen_or_lpr", "own_funds"] },
  history: { prior_total: 100, cycle_total: "150.00" },
  client_verdict: { decision: "accept" },
};

const answer: Verdict | ErrorObject = check(submission);
if ("error" in answer) {
  const code: "invalid_json" | "invalid_field" | "too_large" | "not_ready" = answer.error.code;
  const field: string | undefined = answer.error.field;
  console.log(code, field, answer.error.message);
} else {
  const decision: Decision = answer.decision;
  const first: Finding | undefined = answer.findings[0];
  const code: FindingCode | undefined = first?.code;
  const citation: string | undefined = first?.citation;
  console.log(decision, code, citation, answer.submission_digest, answer.ruleset.digest, answer.engine);
}
check('{"donor":{}}');

const line: string = checkJson(submission);
const rs: Ruleset | ErrorObject = ruleset();
if (!("error" in rs)) {
  const texts: string[] = rs.attestations.map((a) => a.text);
  const candidate = rs.limits.candidate;
  const limit: string = candidate === null ? "no limit" : candidate === "not_covered" ? "not covered" : candidate.amount;
  const severity: "reject" | "review" | "info" = rs.findings.foreign_national.severity;
  console.log(texts, limit, severity, rs.attestation_digest);
}
ruleset("us-federal-2025-2026");
const name: string = version();
console.log(line, name);

// The types refuse what the engine refuses.
// @ts-expect-error an unknown field is an invalid_field error
const unknownField: Submission = { donor: { middle_name: "Q" } };
// @ts-expect-error a method outside the enumeration
const badMethod: Submission = { contribution: { method: "bitcoin" } };
// @ts-expect-error check answers; it does not return a promise
check({}).then;
console.log(unknownField, badMethod);

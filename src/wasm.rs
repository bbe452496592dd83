//! The JavaScript API (CONTRACT.md, "JavaScript"), compiled for wasm32 only.
//!
//! Thin bindings around the one JSON entry point, [`crate::check_json`]: a submission given as
//! an object is turned into JSON text by the platform's `JSON.stringify` and then takes exactly
//! the bytes path of the CLI and the server, so the size, depth, duplicate-key and type rules,
//! and the verdict bytes, are the same everywhere. Nothing here throws for a rule outcome or
//! for bad input: the answer is a verdict or the error object.

use crate::error::{ErrorCode, InputError};
use crate::findings::ENGINE;
use crate::ruleset;
use js_sys::{JsString, JSON};
use wasm_bindgen::prelude::*;

/// `check(submission)`: the verdict, or the error object, as a plain object.
#[wasm_bindgen(skip_typescript)]
pub fn check(submission: JsValue) -> JsValue {
    let text = verdict_text(&submission);
    // The engine's JSON always parses; `null` is unreachable but keeps this panic-free.
    JSON::parse(&text).unwrap_or(JsValue::NULL)
}

/// `checkJson(text)`: the verdict or the error object as one line of JSON, the exact bytes the
/// CLI prints for the same line (without its `"line"` member) and the server answers.
#[wasm_bindgen(js_name = checkJson, skip_typescript)]
pub fn check_json(submission: JsValue) -> String {
    verdict_text(&submission)
}

/// `ruleset(id?)`: the ruleset as `donation-guard rules` prints it, or the error object for an
/// unknown id.
#[wasm_bindgen(skip_typescript)]
pub fn ruleset(id: JsValue) -> JsValue {
    let found = if id.is_undefined() || id.is_null() {
        ruleset::default_ruleset()
    } else {
        id.as_string().and_then(|id| ruleset::get(&id))
    };
    let Some(rs) = found else {
        let ids = ruleset::ids().collect::<Vec<_>>().join(", ");
        let e = InputError::invalid_field("ruleset", format!("unknown ruleset; this engine has: {ids}"));
        return JSON::parse(&e.to_json(None)).unwrap_or(JsValue::NULL);
    };
    // `#[serde(flatten)]` serialises as a map: ask for a plain object, not a `Map`.
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    rs.serialize_doc(&serializer).unwrap_or(JsValue::NULL)
}

/// `version()`: the engine's name and version, as in every verdict's `engine`.
#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    ENGINE.to_owned()
}

fn verdict_text(submission: &JsValue) -> String {
    match input_text(submission) {
        Ok(text) => crate::check_json(text.as_bytes()),
        Err(e) => e.to_json(None),
    }
}

/// The JSON text of a submission given as a string (taken as is) or as any other value
/// (through `JSON.stringify`, as `fetch` would send it).
fn input_text(submission: &JsValue) -> Result<String, InputError> {
    if let Some(text) = submission.as_string() {
        // Crossing into Rust turns a lone surrogate into U+FFFD; only then is the slow,
        // exact test needed. Such text has no UTF-8 form, so it is not JSON the CLI could read.
        if text.contains('\u{FFFD}') && !submission.unchecked_ref::<JsString>().is_valid_utf16() {
            return Err(invalid_json("not valid Unicode: a lone surrogate"));
        }
        return Ok(text);
    }
    match JSON::stringify(submission) {
        // `undefined`, a function or a symbol has no JSON at all: the empty input.
        Ok(text) => Ok(text.as_string().unwrap_or_default()),
        // A cycle, a BigInt or a throwing `toJSON`; the platform's message is not repeated, as
        // it can quote the caller's data.
        Err(_) => Err(invalid_json("not serialisable as JSON (a cycle, a BigInt or a throwing toJSON)")),
    }
}

fn invalid_json(message: &str) -> InputError {
    InputError::new(ErrorCode::InvalidJson, message, None)
}

/// The package's TypeScript declarations. They mirror the Rust types of `model.rs`,
/// `findings.rs`, `error.rs` and `ruleset.rs`; `tests/types/` checks every output of the
/// engine against them and compiles a consumer with `tsc --noEmit`.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** `accept | review | reject`: the worst severity among the findings (info never counts). */
export type Decision = "accept" | "review" | "reject";
export type Severity = "reject" | "review" | "info";
export type FindingCode =
  | "foreign_national" | "organization_not_permitted" | "us_passport_required" | "passport_invalid"
  | "resides_abroad" | "foreign_passport" | "foreign_payment" | "foreign_ip" | "overseas_citizen"
  | "foreign_currency" | "attestation_missing" | "attestation_version_mismatch" | "field_required"
  | "state_invalid" | "postal_code_invalid" | "country_unknown" | "amount_invalid" | "exceeds_limit"
  | "cash_limit" | "itemization_info_missing" | "mixed_script" | "client_verdict_mismatch";
export type RecipientType = "candidate" | "pac" | "party_national" | "party_state";
export type Election = "primary" | "general" | "runoff" | "special";
export type DonorKind = "individual" | "organization";
export type Citizenship = "us_citizen" | "us_national" | "permanent_resident" | "foreign_national";
export type Method = "card" | "ach" | "check" | "wire" | "cash" | "other";
/** An enumerated field: one of its values, or blank (`""`, counted as not given). */
export type Blankable<T extends string> = T | "";
/** A decimal string such as `"25.00"`, or a number with at most two decimals. */
export type Amount = string | number;

/** What a form, a processor or a file submits (CONTRACT.md). Every field is optional; an
 * unknown field is an `invalid_field` error. `null` counts as absent. */
export interface Submission {
  id?: string | null;
  ruleset?: string | null;
  recipient?: {
    type?: Blankable<RecipientType> | null;
    election?: Blankable<Election> | null;
  } | null;
  donor?: {
    kind?: Blankable<DonorKind> | null;
    first_name?: string | null;
    last_name?: string | null;
    email?: string | null;
    address?: {
      line1?: string | null;
      line2?: string | null;
      city?: string | null;
      state?: string | null;
      postal_code?: string | null;
      country?: string | null;
    } | null;
    citizenship?: Blankable<Citizenship> | null;
    passport?: { country?: string | null; number?: string | null } | null;
    employer?: string | null;
    occupation?: string | null;
  } | null;
  contribution?: {
    amount?: Amount | null;
    currency?: string | null;
    method?: Blankable<Method> | null;
    card?: { country?: string | null } | null;
    bank_country?: string | null;
  } | null;
  signals?: { ip_country?: string | null } | null;
  attestations?: { version?: string | null; affirmed?: (string | null)[] | null } | null;
  history?: { prior_total?: Amount | null; cycle_total?: Amount | null } | null;
  client_verdict?: {
    decision?: Blankable<Decision> | null;
    submission_digest?: string | null;
    ruleset_digest?: string | null;
  } | null;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** The submission field it concerns, as a dotted path (`donor.passport.number`). */
  field: string;
  /** A sentence for the donor; never contains the donor's data. */
  message: string;
  citation?: string;
}

export interface Verdict {
  decision: Decision;
  findings: Finding[];
  ruleset: { id: string; digest: string };
  submission_digest: string;
  engine: string;
}

export type ErrorCode = "invalid_json" | "invalid_field" | "too_large";

/** Input that is not a submission: not JSON, wrong types, unknown fields, too large, too deep. */
export interface ErrorObject {
  error: { code: ErrorCode; message: string; field?: string };
}

export interface Limit {
  amount: string;
  per: "election" | "calendar_year";
  citation?: string;
}

export interface Attestation {
  id: string;
  /** `card`: only when `contribution.method` is `card`. */
  required: "always" | "card";
  text: string;
  citation?: string;
}

export interface FindingSpec {
  severity: Severity;
  safe_harbor_severity?: Severity;
  citation?: string;
  message: string;
}

export interface Ruleset {
  id: string;
  digest: string;
  /** The `attestations.version` a form sends: the digest of the texts the donor saw. */
  attestation_digest: string;
  title: string;
  currency: string;
  limits: Record<RecipientType, Limit>;
  itemization_threshold: string;
  cash_limit: string;
  amount_ceiling: string;
  attestations: Attestation[];
  findings: Record<FindingCode, FindingSpec>;
}

/**
 * Checks one submission, given as an object or as JSON text. Returns the verdict, or the error
 * object for input that is not a submission (narrow with `"error" in answer`). Never throws for
 * a rule outcome or bad input.
 */
export function check(submission: Submission | string): Verdict | ErrorObject;

/** The same as `check`, as the exact JSON text the CLI and the server produce. */
export function checkJson(submission: Submission | string): string;

/** The ruleset (default: the engine's default), or the error object for an unknown id. */
export function ruleset(id?: string): Ruleset | ErrorObject;

/** `"donation-guard 0.1.0"`: the same as every verdict's `engine`. */
export function version(): string;
"#;

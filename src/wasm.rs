//! The JavaScript API (CONTRACT.md, "JavaScript"), compiled for wasm32 only.
//!
//! Thin bindings around the core's JSON entry points ([`crate::check_json`]; [`crate::parse`]
//! then [`crate::check`]): a submission given as an object is turned into JSON text by the
//! platform's `JSON.stringify` and then takes exactly the bytes path of the CLI and the server,
//! so the size, depth, duplicate-key and type rules, and the verdict bytes, are the same
//! everywhere (`tests/node/differential.test.mjs` proves it). Nothing here throws for a rule outcome or
//! for bad input: the answer is a verdict or the error object.

use crate::error::{ErrorCode, InputError};
use crate::findings::ENGINE;
use crate::json::MAX_BYTES;
use crate::ruleset;
use js_sys::{JsString, JSON};
use wasm_bindgen::prelude::*;

/// `check(submission)`: the verdict, or the error object, as a plain object.
///
/// The verdict is the very JSON text `checkJson` returns, turned into an object by the
/// platform's `JSON.parse`: one serialiser for every build (no serde-wasm-bindgen in the module),
/// and measured faster on Node than building the object from the wasm.
#[wasm_bindgen(skip_typescript)]
pub fn check(submission: JsValue) -> JsValue {
    parsed(&verdict_text(&submission))
}

/// `checkJson(text)`: the verdict or the error object as one line of JSON, the exact bytes the
/// CLI prints for the same line (without its `"line"` member) and the server answers.
#[wasm_bindgen(js_name = checkJson, skip_typescript)]
pub fn check_json(submission: JsValue) -> String {
    verdict_text(&submission)
}

/// `readForm(pairs, map)`: the submission [`crate::form::read_form`] builds from the posted
/// name/value pairs (`[[name, value], ...]`) and the field map, as a plain object; or the error
/// object when either is not of that shape. Never throws.
#[wasm_bindgen(js_name = readForm, skip_typescript)]
pub fn read_form(pairs: JsValue, map: JsValue) -> JsValue {
    match form_submission(&pairs, &map) {
        Ok(sub) => parsed(&crate::json::write::submission_json(&sub)),
        Err(e) => error_object(&e),
    }
}

/// `checkForm(pairs, map)`: `check(readForm(pairs, map))` in one call.
#[wasm_bindgen(js_name = checkForm, skip_typescript)]
pub fn check_form(pairs: JsValue, map: JsValue) -> JsValue {
    let checked = form_submission(&pairs, &map)
        .map(|sub| crate::json::write::submission_json(&sub))
        .and_then(|text| guarded(|| crate::check_bytes(text.as_bytes())));
    match checked {
        Ok(verdict) => parsed(&verdict.to_json()),
        Err(e) => error_object(&e),
    }
}

fn form_submission(pairs: &JsValue, map: &JsValue) -> Result<crate::Submission, InputError> {
    let pairs_text = input_text(pairs)?;
    let map_text = input_text(map)?;
    let pairs = crate::json::form_input::pairs(&pairs_text)
        .ok_or_else(|| InputError::invalid_field("pairs", "expected an array of [name, value] string pairs"))?;
    let map = crate::json::form_input::field_map(&map_text).ok_or_else(|| {
        InputError::invalid_field(
            "map",
            "expected an object from submission paths to field names, lists of names or {value}",
        )
    })?;
    guarded(|| Ok(crate::form::read_form(&pairs, &map)))
}

#[wasm_bindgen]
extern "C" {
    /// `String.prototype.normalize`, with the page's exception caught: a page that patched it to
    /// throw must not unwind through the engine (with panic=abort that leaks the stack and,
    /// after some hundred calls, traps the module for good).
    type Text;
    #[wasm_bindgen(catch, method, js_name = normalize)]
    fn normalize_caught(this: &Text, form: &str) -> Result<JsValue, JsValue>;
}

thread_local! {
    static NFC_FAILED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// NFC through the platform; `None` (and the current call answers the error object) when the
/// platform's `normalize` throws or returns something other than a string.
pub(crate) fn platform_nfc(s: &str) -> Option<String> {
    let text: Text = JsValue::from_str(s).unchecked_into();
    match text.normalize_caught("NFC") {
        Ok(n) if n.is_string() => n.as_string(),
        _ => {
            NFC_FAILED.with(|f| f.set(true));
            None
        }
    }
}

/// Runs `f`; if the platform's `normalize` failed meanwhile, the answer is an error instead.
fn guarded<T>(f: impl FnOnce() -> Result<T, InputError>) -> Result<T, InputError> {
    NFC_FAILED.with(|flag| flag.set(false));
    let out = f();
    if NFC_FAILED.with(|flag| flag.replace(false)) {
        return Err(InputError::new(
            ErrorCode::InvalidField,
            "String.prototype.normalize failed on this page (patched or broken), so the engine cannot read Unicode text",
            None,
        ));
    }
    out
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
        return error_object(&InputError::invalid_field("ruleset", format!("unknown ruleset; this engine has: {ids}")));
    };
    // The JSON `donation-guard rules` prints (compact), parsed by the platform: a limit of
    // `null` (no limit) stays `null`.
    parsed(&rs.to_json())
}

/// `loadRuleset(json)`: validates a ruleset (JSON text, or an object turned into text by
/// `JSON.stringify`) and adds it for the rest of the page's life; submissions then name it by
/// id. Returns `{id, digest}`, or `{error: {code: "invalid_ruleset", origin, id?, path,
/// message}}`. Never throws.
#[wasm_bindgen(js_name = loadRuleset, skip_typescript)]
pub fn load_ruleset(json: JsValue) -> JsValue {
    let text = match json.dyn_ref::<JsString>() {
        Some(t) => String::from(t),
        None => JSON::stringify(&json).ok().map(String::from).unwrap_or_default(),
    };
    let answer = match ruleset::load_runtime(&text, "loadRuleset") {
        Ok(rs) => {
            let mut out = String::from("{\"id\":");
            crate::canonical::write_json_string(&mut out, rs.id());
            out.push_str(",\"digest\":");
            crate::canonical::write_json_string(&mut out, &rs.digest);
            out.push('}');
            out
        }
        Err(e) => e.to_json(),
    };
    parsed(&answer)
}

/// `version()`: the engine's name and version, as in every verdict's `engine`.
#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    ENGINE.to_owned()
}

/// The error object, parsed from the very JSON the CLI prints (the engine's JSON always parses;
/// `null` is unreachable but keeps this panic-free).
fn error_object(e: &InputError) -> JsValue {
    parsed(&e.to_json(None))
}

/// The engine's own JSON text as a plain object, through the platform's `JSON.parse` (the
/// engine's JSON always parses; `null` is unreachable but keeps this panic-free).
fn parsed(json: &str) -> JsValue {
    JSON::parse(json).unwrap_or(JsValue::NULL)
}

fn verdict_text(submission: &JsValue) -> String {
    match input_text(submission) {
        Ok(text) => {
            let out = guarded(|| Ok(crate::check_json(text.as_bytes())));
            out.unwrap_or_else(|e| e.to_json(None))
        }
        Err(e) => e.to_json(None),
    }
}

/// The JSON text of a submission given as a string (taken as is) or as any other value
/// (through `JSON.stringify`, as `fetch` would send it).
fn input_text(submission: &JsValue) -> Result<String, InputError> {
    let text = match submission.dyn_ref::<JsString>() {
        Some(text) => text.clone(),
        None => match JSON::stringify(submission) {
            Ok(text) if text.is_string() => text,
            // `undefined`, a function or a symbol has no JSON at all: the empty input.
            Ok(_) => return Ok(String::new()),
            // A cycle, a BigInt or a throwing `toJSON`; the platform's message is not repeated,
            // as it can quote the caller's data.
            Err(_) => return Err(invalid_json("not serialisable as JSON (a cycle, a BigInt or a throwing toJSON)")),
        },
    };
    // UTF-8 is never shorter than UTF-16, so this is too large without copying it into the
    // wasm memory (where a huge string could exhaust it).
    if text.length() as usize > MAX_BYTES {
        return Err(too_large());
    }
    let utf8 = String::from(&text);
    // Crossing into Rust turns a lone surrogate into U+FFFD; only then is the slow, exact test
    // needed. Such text has no UTF-8 form, so it is not JSON the CLI could read.
    if utf8.contains('\u{FFFD}') && !text.is_valid_utf16() {
        return Err(invalid_json("not valid Unicode: a lone surrogate"));
    }
    Ok(utf8)
}

/// The same error as [`crate::json::parse`] gives (the differential test compares them).
fn too_large() -> InputError {
    InputError::new(ErrorCode::TooLarge, format!("the submission is over the limit of {MAX_BYTES} bytes"), None)
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
  | "cash_limit" | "itemization_info_missing" | "mixed_script" | "client_verdict_mismatch"
  | "client_verdict_missing" | "sanctions_match" | "sanctions_possible_match"
  | "possible_duplicate_donor" | "foreign_address";
export type RecipientType =
  | "candidate" | "pac" | "party_national" | "party_state" | "super_pac" | "party_national_account"
  | "ballot_measure_committee";
export type Language = "en" | "es";
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
    /** `YYYY-MM-DD`: picks the federal ruleset of its cycle when `ruleset` is absent. */
    date?: string | null;
  } | null;
  signals?: { ip_country?: string | null } | null;
  attestations?: { version?: string | null; affirmed?: (string | null)[] | null } | null;
  history?: { prior_total?: Amount | null; cycle_total?: Amount | null } | null;
  client_verdict?: {
    decision?: Blankable<Decision> | null;
    submission_digest?: string | null;
    ruleset_digest?: string | null;
  } | null;
  /** The language of the messages (default `en`); never changes the digest. */
  language?: Blankable<Language> | null;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** The submission field it concerns, as a dotted path (`donor.passport.number`). */
  field: string;
  /** A sentence for the donor; never contains the donor's data. */
  message: string;
  citation?: string;
  /** The values the message was worded with (`limit`, `period`, `remaining`, ...). */
  params?: Record<string, string>;
}

export interface Verdict {
  decision: Decision;
  findings: Finding[];
  ruleset: { id: string; digest: string };
  submission_digest: string;
  engine: string;
}

export type ErrorCode = "invalid_json" | "invalid_field" | "too_large" | "not_ready";

/** Input that is not a submission: not JSON, wrong types, unknown fields, too large, too deep. */
export interface ErrorObject {
  error: { code: ErrorCode; message: string; field?: string };
}

export interface Limit {
  amount: string;
  per: "election" | "calendar_year" | "cycle" | "none";
  citation?: string;
}

export interface Attestation {
  id: string;
  /** `card`: only when `contribution.method` is `card`. */
  required: "always" | "card";
  /** English: `attestation_digest` is over these texts only. */
  text: string;
  /** The statement in the file's other languages, by code (`es`). */
  texts?: Record<string, string>;
  citation?: string;
}

export interface FindingSpec {
  severity: Severity;
  safe_harbor_severity?: Severity;
  citation?: string;
  /** English. */
  message: string;
  /** The other languages the file declares, by code (`es`). */
  messages?: Record<string, string>;
}

/** Why a ruleset cannot be loaded: the origin, the ruleset id when known, the JSON path. */
export interface RulesetErrorObject {
  error: { code: "invalid_ruleset"; origin: string; id?: string; path: string; message: string };
}

export interface Ruleset {
  id: string;
  digest: string;
  /** The `attestations.version` a form sends: the digest of the texts the donor saw. */
  attestation_digest: string;
  title: string;
  cycle?: { start: string; end: string };
  /** Default `["en"]`. */
  languages?: Language[];
  currency: string;
  eligibility?: { home: Citizenship[]; abroad: Citizenship[]; organizations: boolean };
  /** `null`: no limit; `"not_covered"`: the ruleset does not apply to that recipient type. */
  limits: Record<RecipientType, Limit | null | "not_covered">;
  itemization_threshold: string;
  /** The period each recipient type's itemization aggregate runs over. Absent: per cycle for a
   * candidate, per calendar year otherwise. */
  itemization_period?: Record<RecipientType, "election" | "calendar_year" | "cycle">;
  cash_limit: string;
  amount_ceiling: string;
  attestations: Attestation[];
  findings: Record<FindingCode, FindingSpec>;
  /** What a form says beside the questions it adds (`citizenship_hint`, `passport_hint`), by
   * language. */
  prompts?: Record<string, Record<string, string>>;
  notes?: string[];
  enjoined?: { law: string; status: string; citation?: string }[];
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

/** Validates a ruleset and adds it (submissions name it by id): `{id, digest}` or the error
 * object. Never throws. */
export function loadRuleset(json: string | object): { id: string; digest: string } | RulesetErrorObject;
/** Posted name/value pairs, as `[...new FormData(form)]` gives them (strings only). */
export type FormPairs = [string, string][];
/** Submission path -> form field name, names (radio group first, then its "other" box), or a
 * fixed value. Extra paths: `donor.full_name`, `attestations.affirmed.<id>`. */
export type FieldMap = Record<string, string | string[] | { value: string }>;

/** Reads a posted form into a submission (the same reading as the server's /v1/forms/*). */
export function readForm(pairs: FormPairs, map: FieldMap): Submission | ErrorObject;

/** `check(readForm(pairs, map))`. */
export function checkForm(pairs: FormPairs, map: FieldMap): Verdict | ErrorObject;

/** `"donation-guard 0.1.0"`: the same as every verdict's `engine`. */
export function version(): string;
"#;

/// `mapForm(controls)`: [`crate::form_map::map_form`] over the page's control descriptors, as
/// `{map, fields, missing, unmapped}`; or the error object when the input is not a list of
/// descriptors. Never throws. The descriptors are read field by field from the JS objects (no
/// serde deserializer: the wasm stays smaller).
#[wasm_bindgen(js_name = mapForm, skip_typescript)]
pub fn map_form(controls: JsValue) -> JsValue {
    match form_controls(&controls) {
        Some(controls) => JSON::parse(&crate::form_map::map_form(&controls).to_json()).unwrap_or(JsValue::NULL),
        None => error_object(&InputError::invalid_field(
            "controls",
            "expected an array of {name, type, autocomplete, labels, legend, placeholder, options, path}",
        )),
    }
}

fn form_controls(v: &JsValue) -> Option<Vec<crate::form_map::Control>> {
    use crate::form_map::{Choice, Control};
    // A string member, "" when absent; `None` (not a descriptor) when it is another type.
    fn text(o: &JsValue, key: &str) -> Option<String> {
        let v = js_sys::Reflect::get(o, &JsValue::from_str(key)).ok()?;
        if v.is_undefined() || v.is_null() {
            return Some(String::new());
        }
        v.as_string()
    }
    fn list(o: &JsValue, key: &str) -> Option<Vec<JsValue>> {
        let v = js_sys::Reflect::get(o, &JsValue::from_str(key)).ok()?;
        if v.is_undefined() || v.is_null() {
            return Some(Vec::new());
        }
        js_sys::Array::is_array(&v).then(|| js_sys::Array::from(&v).iter().collect())
    }
    if !js_sys::Array::is_array(v) {
        return None;
    }
    let mut out = Vec::new();
    for c in js_sys::Array::from(v).iter() {
        if !c.is_object() {
            return None;
        }
        let labels = list(&c, "labels")?.iter().map(JsValue::as_string).collect::<Option<Vec<_>>>()?;
        let options = list(&c, "options")?
            .iter()
            .map(|o| o.is_object().then(|| Some(Choice { value: text(o, "value")?, text: text(o, "text")? })).flatten())
            .collect::<Option<Vec<_>>>()?;
        let path = text(&c, "path")?;
        out.push(Control {
            name: text(&c, "name")?,
            kind: text(&c, "type")?,
            autocomplete: text(&c, "autocomplete")?,
            labels,
            legend: text(&c, "legend")?,
            placeholder: text(&c, "placeholder")?,
            options,
            path: (!path.is_empty()).then_some(path),
        });
    }
    Some(out)
}

#[wasm_bindgen(typescript_custom_section)]
const FORM_MAP_TYPES: &str = r#"
/** One named control of a form, as the page renders it (a radio group is one control). */
export interface FormControl {
  name: string;
  /** The input type, `select` or `textarea`. */
  type?: string;
  autocomplete?: string;
  /** `<label for>`, a wrapping label, `aria-label`, `aria-labelledby` texts. */
  labels?: string[];
  legend?: string;
  placeholder?: string;
  options?: { value: string; text: string }[];
  /** `data-dg-field`. */
  path?: string | null;
}
export interface FormMapping {
  map: FieldMap;
  fields: { path: string; names: string[]; label: string; source: string }[];
  /** Required submission paths that no control maps to. */
  missing: string[];
  unmapped: string[];
}
/** Maps a form's controls to submission paths (name, autocomplete, labels; English and Spanish). */
export function mapForm(controls: FormControl[]): FormMapping | ErrorObject;
"#;

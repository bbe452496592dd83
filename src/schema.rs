//! The JSON Schema of the submission, derived from [`crate::model`] (feature `schema`, never in
//! the wasm build). The model is the one description of the submission: the committed
//! `docs/submission.schema.json`, the OpenAPI `Submission` component and the TypeScript
//! `Submission` interface are checked against this schema by `tests/schema.rs`, which fails when a
//! hand-kept copy drifts.
//!
//! The model's own serde types are described here, by hand, in one place each:
//! - an enumerated field ([`Blankable`]): one of its wire values, or blank (`""`; blanks count as
//!   not given, RULES.md reading 1);
//! - an amount ([`AmountInput`]) or a running total ([`Total`]): a decimal string or a JSON number.

use crate::model::{AmountInput, Blankable, Submission, Total, Wire};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

impl<T: Wire> JsonSchema for Blankable<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed(T::WHAT)
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut values: Vec<&str> = T::ALL.iter().map(|v| v.wire()).collect();
        values.push("");
        let description = format!("The {}: one of its values; blank (\"\") counts as not given.", T::WHAT);
        json_schema!({ "type": "string", "enum": values, "description": description })
    }
}

impl JsonSchema for AmountInput {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Amount")
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "number"],
            "description": "A decimal string (\"25.00\", \"$1,000\" is amount_invalid), or a JSON number read as the shortest decimal that round-trips it; at most two decimals."
        })
    }
}

impl JsonSchema for Total {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Total")
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "number"],
            "description": "A running total: the amount syntax, zero allowed; a negative or malformed total is invalid_field."
        })
    }
}

/// `ruleset`: the ids of the embedded rulesets, blank, or null (a ruleset loaded at run time
/// with `--ruleset-file` or `loadRuleset` is accepted too, on the server or page that loaded it).
pub fn ruleset_id(_: &mut SchemaGenerator) -> Schema {
    let mut ids: Vec<serde_json::Value> = crate::ruleset::ids().map(serde_json::Value::from).collect();
    ids.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    ids.push("".into());
    ids.push(serde_json::Value::Null);
    json_schema!({
        "type": ["string", "null"],
        "enum": ids,
        "description": "An embedded ruleset's id (or one loaded at run time); blank or null: the federal ruleset of contribution.date, else the current one."
    })
}

/// The submission's JSON Schema (draft 2020-12), every subschema inline.
pub fn submission_schema() -> serde_json::Value {
    let generator =
        schemars::generate::SchemaSettings::draft2020_12().with(|s| s.inline_subschemas = true).into_generator();
    generator.into_root_schema_for::<Submission>().to_value()
}

//! Input that is not a submission at all: the structured error object of CONTRACT.md.
//!
//! A rule outcome is never an error (it is a finding in a verdict). An error says which of three
//! things went wrong, where, in words that never repeat the donor's data.

use serde::Serialize;
use std::fmt::Write as _;

/// The three error codes of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not UTF-8, not JSON, NaN or Infinity, trailing data, an empty line, a lone surrogate.
    InvalidJson,
    /// JSON, but not a submission: wrong type, unknown field, value outside an enumeration,
    /// another ruleset, an id over 128 characters, a duplicate key, a malformed history total.
    InvalidField,
    /// Over 65,536 bytes, or nested deeper than 16.
    TooLarge,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidField => "invalid_field",
            ErrorCode::TooLarge => "too_large",
        }
    }
}

/// The error object: `{"error": {"code", "message", "field"}}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{code:?}: {message}")]
pub struct InputError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Markers that our own deserializers put in their messages, so the classifier can tell them
/// apart from serde's.
pub(crate) const NOT_FINITE: &str = "NaN or Infinity is not a number in JSON";
pub(crate) const NOT_IN_ENUM: &str = "value outside the enumeration";

impl InputError {
    pub fn new(code: ErrorCode, message: impl Into<String>, field: Option<String>) -> Self {
        InputError { code, message: message.into(), field }
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidField, message, Some(field.to_owned()))
    }

    /// The error object as one line of compact JSON. With `line`, the CLI's form:
    /// `{"error":{...},"line":N}`.
    pub fn to_json(&self, line: Option<u64>) -> String {
        let mut out = String::with_capacity(96 + self.message.len());
        out.push_str("{\"error\":{\"code\":\"");
        out.push_str(self.code.as_str());
        out.push_str("\",\"message\":");
        crate::canonical::write_json_string(&mut out, &self.message);
        if let Some(field) = &self.field {
            out.push_str(",\"field\":");
            crate::canonical::write_json_string(&mut out, field);
        }
        out.push('}');
        if let Some(line) = line {
            let _ = write!(out, ",\"line\":{line}");
        }
        out.push('}');
        out
    }
}

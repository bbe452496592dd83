//! The JSON-in, JSON-out entry point, with the input limits of RULES.md (reading 11).

use crate::error::{ErrorCode, InputError};
use crate::model::Submission;
use crate::ruleset::{self, Ruleset};

pub mod form_input;
mod parse;
mod read;
pub(crate) mod rules_file;
pub mod write;

/// A line or body over this many bytes is `too_large`.
pub const MAX_BYTES: usize = 65_536;
/// Nesting deeper than this is `too_large`.
pub const MAX_DEPTH: usize = 16;
/// `id` is at most this many characters (UTF-16 code units, as a browser's `maxlength` counts).
pub const MAX_ID_CHARS: usize = 128;

/// Parses and validates one submission from JSON text.
pub fn parse(input: &[u8]) -> Result<Submission, InputError> {
    if input.len() > MAX_BYTES {
        return Err(InputError::new(
            ErrorCode::TooLarge,
            // No byte count: the CLI and the server stop reading a line or body past the limit,
            // so they cannot know it, and every build must say the same words.
            format!("the submission is over the limit of {MAX_BYTES} bytes"),
            None,
        ));
    }
    let text =
        std::str::from_utf8(input).map_err(|e| invalid_json(format!("not UTF-8 (byte {})", e.valid_up_to() + 1)))?;
    if text.trim().is_empty() {
        return Err(invalid_json("empty input: expected a JSON object".to_owned()));
    }
    if depth(input) > MAX_DEPTH {
        return Err(InputError::new(ErrorCode::TooLarge, format!("nested deeper than {MAX_DEPTH} levels"), None));
    }
    let sub = read::submission(read::tree(text)?)?;
    validate(&sub)?;
    Ok(sub)
}

/// The ruleset a submission asks for (the default when it names none).
/// With no ruleset named, the federal ruleset whose cycle covers `contribution.date` (the
/// default with no date). A recipient type the ruleset does not cover is refused.
pub fn ruleset_for(sub: &Submission) -> Result<&'static Ruleset, InputError> {
    let id = sub.ruleset.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let date = gift_date(sub)?;
    let rs = match id {
        None => match date {
            None => ruleset::default_ruleset()
                .ok_or_else(|| InputError::invalid_field("ruleset", "the default ruleset failed to load"))?,
            Some(d) => ruleset::for_date(Some(d)).ok_or_else(|| {
                InputError::invalid_field("contribution.date", "no federal ruleset of this engine covers this date")
            })?,
        },
        Some(id) => ruleset::get(id).ok_or_else(|| {
            InputError::invalid_field(
                "ruleset",
                format!("unknown ruleset; this engine has: {}", ruleset::ids().collect::<Vec<_>>().join(", ")),
            )
        })?,
    };
    let kind = sub.recipient.as_ref().and_then(|r| r.kind.as_ref()).and_then(crate::model::Blankable::value);
    if let Some(kind) = kind {
        if !rs.covers(kind) {
            return Err(InputError::invalid_field(
                "recipient.type",
                format!("the ruleset {} does not cover this recipient type", rs.id()),
            ));
        }
    }
    Ok(rs)
}

/// `contribution.date` trimmed, blank as absent; not `YYYY-MM-DD` is `invalid_field`.
fn gift_date(sub: &Submission) -> Result<Option<&str>, InputError> {
    let date = sub.contribution.as_ref().and_then(|c| c.date.as_deref()).map(str::trim).filter(|s| !s.is_empty());
    match date {
        Some(d) if !ruleset::valid_date(d) => {
            Err(InputError::invalid_field("contribution.date", "not a date of the form YYYY-MM-DD"))
        }
        other => Ok(other),
    }
}

/// JSON in, verdict out: parse, pick the ruleset the submission names, check. The one path
/// behind the CLI, the browser and [`check_json`].
pub fn check_bytes(input: &[u8]) -> Result<crate::Verdict<'static>, InputError> {
    let sub = parse(input)?;
    let rs = ruleset_for(&sub)?;
    Ok(crate::check(&sub, rs))
}

/// JSON in, JSON out: the verdict, or the error object.
pub fn check_json(input: &[u8]) -> String {
    match check_bytes(input) {
        Ok(verdict) => verdict.to_json(),
        Err(e) => e.to_json(None),
    }
}

fn validate(sub: &Submission) -> Result<(), InputError> {
    if let Some(id) = &sub.id {
        if id.encode_utf16().count() > MAX_ID_CHARS {
            return Err(InputError::invalid_field("id", format!("longer than {MAX_ID_CHARS} characters")));
        }
    }
    ruleset_for(sub).map(|_| ())
}

pub(crate) fn invalid_json(message: String) -> InputError {
    InputError::new(ErrorCode::InvalidJson, message, None)
}

/// serde_json's syntax messages name a position, never the input's text.
pub(crate) fn syntax_message(e: &parse::SyntaxError) -> String {
    let mut m = String::from("not valid JSON: ");
    m.push_str(&e.message());
    m
}

/// The deepest nesting of arrays and objects (brackets inside strings do not count), in one
/// pass over the bytes before parsing, so a deep input costs no recursion.
fn depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // Skip the string with a vectorised search for its end.
                let mut j = i + 1;
                loop {
                    match bytes.get(j..).and_then(|rest| memchr::memchr2(b'"', b'\\', rest)) {
                        Some(k) if bytes.get(j + k) == Some(&b'\\') => j += k + 2,
                        Some(k) => {
                            j += k;
                            break;
                        }
                        None => {
                            j = bytes.len();
                            break;
                        }
                    }
                }
                i = j + 1;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &str) -> InputError {
        parse(input.as_bytes()).unwrap_err()
    }

    #[test]
    fn a_joint_fundraising_committee_is_refused_with_the_reason() {
        for name in ["joint_fundraising", "JFC", "Joint Fundraising Committee"] {
            let e = err(&format!(r#"{{"recipient":{{"type":"{name}"}}}}"#));
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidField, Some("recipient.type")));
            assert!(e.message.contains("11 CFR 102.17"), "{}", e.message);
            assert!(!e.message.contains(name), "the value is not echoed: {}", e.message);
        }
        let e = err(r#"{"recipient":{"type":"hybrid_pac"}}"#);
        assert!(!e.message.contains("102.17"), "{}", e.message);
    }

    #[test]
    fn errors_are_classified() {
        assert_eq!(err("amount=25").code, ErrorCode::InvalidJson);
        assert_eq!(err("").code, ErrorCode::InvalidJson);
        assert_eq!(err("  ").code, ErrorCode::InvalidJson);
        assert_eq!(err("{} {}").code, ErrorCode::InvalidJson);
        assert_eq!(err(r#"{"contribution":{"amount":NaN}}"#).code, ErrorCode::InvalidJson);
        assert_eq!(err(r#"{"contribution":{"amount":1e400}}"#).code, ErrorCode::InvalidJson);
        assert_eq!(err(r#"{"id":"\ud800"}"#).code, ErrorCode::InvalidJson);
        assert_eq!(err(r#"{"donor": {"first_name": "Margaret""#).code, ErrorCode::InvalidJson);
        assert_eq!(parse(b"{\"id\":\"\xff\"}").unwrap_err().code, ErrorCode::InvalidJson);

        assert_eq!(err("[]").code, ErrorCode::InvalidField);
        assert_eq!(err("42").code, ErrorCode::InvalidField);
        assert_eq!(err(r#"{"ruleset":"us-ca-2026"}"#).field.as_deref(), Some("ruleset"));
        assert_eq!(err(r#"{"id":1}"#).field.as_deref(), Some("id"));
        let id = "x".repeat(129);
        assert_eq!(err(&format!(r#"{{"id":"{id}"}}"#)).field.as_deref(), Some("id"));
        assert!(parse(format!(r#"{{"id":"{}"}}"#, "x".repeat(128)).as_bytes()).is_ok());
        let dup = err(r#"{"donor":{"first_name":"A","first_name":"B"}}"#);
        assert_eq!((dup.code, dup.field.as_deref()), (ErrorCode::InvalidField, Some("donor.first_name")));
        let neg = err(r#"{"history":{"prior_total":"-1"}}"#);
        assert_eq!((neg.code, neg.field.as_deref()), (ErrorCode::InvalidField, Some("history.prior_total")));
        assert_eq!(err(r#"{"history":{"cycle_total":"abc"}}"#).code, ErrorCode::InvalidField);
        assert_eq!(err(r#"{"donor":{"citizenship":"canadian"}}"#).field.as_deref(), Some("donor.citizenship"));
    }

    #[test]
    fn errors_never_echo_the_value() {
        for input in [
            r#"{"donor":{"address":{"postal_code":62704}}}"#,
            r#"{"donor":{"citizenship":"secret-62704"}}"#,
            r#"{"donor":{"passport":{"number":62704}}}"#,
            r#"{"history":{"prior_total":"-62704"}}"#,
        ] {
            let e = err(input);
            assert!(!e.to_json(None).contains("62704"), "{}", e.to_json(None));
        }
        // serde's message quoted the value ("invalid type: string \"…\", expected …"); the old
        // reader cut it at the first ", expected ", so a value or key holding those words came
        // back in the message (with a Rust type name). Now the message is the contract's own.
        for (input, message) in [
            (r#"{"donor":"62704, expected a secret"}"#, "wrong type: expected an object"),
            (r#"{"attestations":{"affirmed":"62704, expected struct X"}}"#, "wrong type: expected a sequence"),
            (r#"{"signals":{"62704, expected b":1}}"#, "unknown field; expected `ip_country`"),
        ] {
            assert_eq!(err(input).message, message, "{input}");
        }
    }

    #[test]
    fn messages_name_contract_types_not_rust_types() {
        for input in [r#"{"contribution":"x"}"#, r#"{"donor":{"address":7}}"#, "42", r#""text""#] {
            let e = err(input);
            assert_eq!(e.code, ErrorCode::InvalidField, "{input}");
            assert!(!e.message.contains("struct"), "{input}: {}", e.message);
            assert!(e.message.contains("an object"), "{input}: {}", e.message);
        }
    }

    #[test]
    fn unknown_field_names_its_path() {
        let e = err(r#"{"contribution":{"amount":"25.00","tip":"5.00"}}"#);
        assert_eq!(e.code, ErrorCode::InvalidField);
        assert_eq!(e.field.as_deref(), Some("contribution.tip"));
    }

    #[test]
    fn limits() {
        let deep = format!("{}{}", "[".repeat(17), "]".repeat(17));
        assert_eq!(err(&deep).code, ErrorCode::TooLarge);
        let ok_depth = format!("{}{}", "[".repeat(16), "]".repeat(16));
        assert_eq!(err(&ok_depth).code, ErrorCode::InvalidField);
        // Arrays where objects belong, at any depth, even behind an escaped key.
        for input in [r#"[]"#, r#"{"donor":[]}"#, r#"{"donor":{"address": ["x"]}}"#, r#"{"d\u006fnor":[]}"#] {
            let e = err(input);
            assert_eq!(e.code, ErrorCode::InvalidField, "{input}");
        }
        assert_eq!(err(r#"{"donor":{"address": ["x"]}}"#).field.as_deref(), Some("donor.address"));
        // Brackets inside strings do not count.
        assert!(parse(format!(r#"{{"id":"{}"}}"#, "[".repeat(100)).as_bytes()).is_ok());
        let big = format!(r#"{{"id":"{}"}}"#, " ".repeat(MAX_BYTES));
        assert_eq!(err(&big).code, ErrorCode::TooLarge);
    }

    #[test]
    fn error_object_shape() {
        let e = err(r#"{"id":1}"#);
        assert_eq!(
            e.to_json(Some(7)),
            r#"{"error":{"code":"invalid_field","message":"wrong type: expected a string","field":"id"},"line":7}"#
        );
    }
}

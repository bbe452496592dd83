//! The JSON-in, JSON-out entry point, with the input limits of RULES.md (reading 11).

use crate::error::{ErrorCode, InputError, NOT_FINITE, NOT_IN_ENUM};
use crate::model::Submission;
use crate::ruleset::{self, Ruleset};

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
    let scan = scan(input);
    if scan.depth > MAX_DEPTH {
        return Err(InputError::new(ErrorCode::TooLarge, format!("nested deeper than {MAX_DEPTH} levels"), None));
    }
    // serde reads a struct from an array of its fields too; the contract wants objects. The
    // scan flags an array where an object belongs (or a key it cannot read without unescaping),
    // and the full shape pass then decides.
    if scan.suspicious {
        shape::check(text)?;
    }
    let sub = typed(text)?;
    validate(&sub)?;
    Ok(sub)
}

/// The typed parse. Natively: serde_json alone, and on an error the slow path: syntax first (so
/// a truncated line is invalid_json even when a field is also wrong), then the typed parse again
/// with the field path.
#[cfg(not(target_arch = "wasm32"))]
fn typed(text: &str) -> Result<Submission, InputError> {
    match serde_json::from_str::<Submission>(text) {
        Ok(sub) => Ok(sub),
        Err(_) => {
            shape::check(text)?;
            let de = &mut serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, Submission>(de).map_err(classify)
        }
    }
}

/// The typed parse in the wasm: always through serde_path_to_error, so that `Submission` is
/// deserialised by one instantiation of serde's code instead of two (8 KB gzip). Errors are
/// ordered as natively: syntax first, then the field path.
#[cfg(target_arch = "wasm32")]
fn typed(text: &str) -> Result<Submission, InputError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, Submission>(&mut *de) {
        Ok(sub) => match de.end() {
            Ok(()) => Ok(sub),
            Err(e) => {
                shape::check(text)?;
                Err(invalid_json(syntax_message(&e)))
            }
        },
        Err(e) => {
            shape::check(text)?;
            Err(classify(e))
        }
    }
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
pub(crate) fn syntax_message(e: &serde_json::Error) -> String {
    format!("not valid JSON: {e}")
}

fn classify(e: serde_path_to_error::Error<serde_json::Error>) -> InputError {
    let path = e.path().to_string();
    let mut field = (path != ".").then_some(path);
    let inner = e.into_inner();
    let text = inner.to_string();
    if inner.is_syntax() || inner.is_eof() || inner.is_io() || text.contains(NOT_FINITE) {
        return invalid_json(syntax_message(&inner));
    }
    // serde's data messages can quote the donor's value (`invalid type: integer `62704``);
    // keep only what names the contract, never the value.
    let message = if text.starts_with("invalid type") {
        match text.split_once(", expected ") {
            // serde names our Rust types ("struct Contribution"); the contract calls them objects.
            Some((_, expected)) if expected.starts_with("struct ") => "wrong type: expected an object".to_owned(),
            Some((_, expected)) => format!("wrong type: expected {}", strip_position(expected)),
            None => "wrong type".to_owned(),
        }
    } else if text.starts_with("unknown field") {
        match text.split_once(", expected ") {
            Some((_, expected)) => format!("unknown field; expected {}", strip_position(expected)),
            None => "unknown field".to_owned(),
        }
    } else if let Some(rest) = text.strip_prefix("duplicate field `") {
        // The key is the contract's own name, not the donor's data.
        let key = rest.split('`').next().unwrap_or_default();
        field = Some(match field {
            Some(parent) => format!("{parent}.{key}"),
            None => key.to_owned(),
        });
        "duplicate key".to_owned()
    } else if let Some(rest) = text.strip_prefix(NOT_IN_ENUM) {
        format!("{NOT_IN_ENUM}{}", strip_position(rest))
    } else if text.starts_with("not a total") || text.starts_with("invalid length") {
        strip_position(&text).to_owned()
    } else {
        "not a valid value".to_owned()
    };
    InputError::new(ErrorCode::InvalidField, message, field)
}

fn strip_position(s: &str) -> &str {
    s.rsplit_once(" at line ").map_or(s, |(m, _)| m)
}

mod shape {
    //! One pass over the JSON that checks its syntax and that every member the contract
    //! defines as an object is one, without building anything.
    use super::{invalid_json, syntax_message};
    use crate::error::InputError;
    use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    /// The members that hold objects, at any level.
    const OBJECT_KEYS: [&str; 10] = [
        "recipient",
        "donor",
        "address",
        "passport",
        "contribution",
        "card",
        "signals",
        "attestations",
        "history",
        "client_verdict",
    ];
    const MARK: &str = "object expected";

    pub fn is_object_key(key: &[u8]) -> bool {
        OBJECT_KEYS.iter().any(|k| k.as_bytes() == key)
    }

    pub fn check(text: &str) -> Result<(), InputError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let mut path = Vec::new();
        let walked = Node { path: &mut path, object: true }.deserialize(&mut de).and_then(|()| de.end());
        match walked {
            Ok(()) => Ok(()),
            Err(e) if e.is_data() => {
                let field = (!path.is_empty()).then(|| path.join("."));
                Err(InputError::new(crate::ErrorCode::InvalidField, "wrong type: expected an object", field))
            }
            Err(e) => Err(invalid_json(syntax_message(&e))),
        }
    }

    struct Node<'p> {
        path: &'p mut Vec<&'static str>,
        object: bool,
    }

    impl<'de> DeserializeSeed<'de> for Node<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    struct Key;
    impl<'de> DeserializeSeed<'de> for Key {
        type Value = Option<&'static str>;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }
    }
    impl Visitor<'_> for Key {
        type Value = Option<&'static str>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a key")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(OBJECT_KEYS.iter().find(|k| **k == v).copied())
        }
    }

    impl<'de> Visitor<'de> for Node<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key_seed(Key)? {
                if let Some(k) = key {
                    self.path.push(k);
                }
                map.next_value_seed(Node { path: self.path, object: key.is_some() })?;
                if key.is_some() {
                    self.path.pop();
                }
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            if self.object {
                return Err(de::Error::custom(MARK));
            }
            while seq.next_element_seed(Node { path: self.path, object: false })?.is_some() {}
            Ok(())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E: de::Error>(self) -> Result<(), E> {
            Ok(())
        }
    }
}

struct Scan {
    depth: usize,
    suspicious: bool,
}

/// One pass over the bytes: the deepest nesting of arrays and objects (brackets inside strings
/// do not count), and whether an array stands at the top or as the value of a member that the
/// contract defines as an object. Runs before parsing, so a deep input costs no recursion.
fn scan(bytes: &[u8]) -> Scan {
    let (mut depth, mut max, mut suspicious) = (0usize, 0usize, false);
    let mut last_string: (usize, usize) = (0, 0);
    // The last significant byte outside strings (`"` for a string's end).
    let mut prev = 0u8;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // Skip the string with a vectorised search for its end.
                let start = i + 1;
                let mut j = start;
                loop {
                    match bytes.get(j..).and_then(|rest| memchr::memchr2(b'"', b'\\', rest)) {
                        Some(k) if bytes.get(j + k) == Some(&b'\\') => {
                            // A key with escapes cannot be compared byte for byte.
                            suspicious = true;
                            j += k + 2;
                        }
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
                last_string = (start, j);
                prev = b'"';
                i = j + 1;
                continue;
            }
            b'{' | b'[' => {
                if b == b'[' {
                    let key = bytes.get(last_string.0..last_string.1).unwrap_or_default();
                    if prev == 0 || (prev == b':' && shape::is_object_key(key)) {
                        suspicious = true;
                    }
                }
                depth += 1;
                max = max.max(depth);
                prev = b;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                prev = b;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => prev = b,
        }
        i += 1;
    }
    Scan { depth: max, suspicious }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &str) -> InputError {
        parse(input.as_bytes()).unwrap_err()
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

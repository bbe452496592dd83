//! The canonical form of a submission's form part, and `submission_digest` over it.
//!
//! The form is a JSON object written with keys sorted, no blanks, and strings escaped as RFC 8785
//! (JCS) does: `"` `\` and control characters escaped (`\b \f \n \r \t`, others `\u00xx`),
//! everything else as UTF-8. It holds only strings, arrays and objects; an absent value is left
//! out, and an object left empty is left out. README.md, "The canonical form", documents each
//! member; the vectors in `tests/canonical.rs` pin the bytes.
//!
//! The digest is `sha256:` + the lowercase hex SHA-256 of those bytes.

use crate::normalize::{CountryField, Form};
use crate::ruleset::sha256_tagged;

/// Appends `s` as a JSON string (JCS escaping).
pub fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    // Without a short circuit the compiler vectorises this scan; most strings need no escape.
    if !s.bytes().fold(false, |acc, b| acc | (b < 0x20) | (b == b'"') | (b == b'\\')) {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
            out.push(char::from(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `"key":` for the form's own keys, which are plain ASCII and need no escaping.
fn write_key(out: &mut String, key: &str) {
    out.push('"');
    out.push_str(key);
    out.push_str("\":");
}

/// A writer for one JSON object whose members the caller adds in key order.
struct Obj<'o> {
    out: &'o mut String,
    mark: usize,
    empty: bool,
}

impl<'o> Obj<'o> {
    /// Opens `"key":{` (or `{` at the top); [`Obj::close`] removes it again if nothing was added.
    fn open(out: &'o mut String, key: Option<&str>, first: &mut bool) -> Obj<'o> {
        let mark = out.len();
        if let Some(key) = key {
            if !*first {
                out.push(',');
            }
            write_key(out, key);
        }
        out.push('{');
        Obj { out, mark, empty: true }
    }

    fn sep(&mut self) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
    }

    fn str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.sep();
            write_key(self.out, key);
            write_json_string(self.out, v);
        }
    }

    fn list(&mut self, key: &str, values: &[impl AsRef<str>]) {
        if values.is_empty() {
            return;
        }
        self.sep();
        write_key(self.out, key);
        self.out.push('[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            write_json_string(self.out, v.as_ref());
        }
        self.out.push(']');
    }

    /// A nested object: `build` adds its members. Left out when it has none.
    fn obj(&mut self, key: &str, build: impl FnOnce(&mut Obj<'_>)) {
        let mut first = self.empty;
        let mut child = Obj::open(self.out, Some(key), &mut first);
        build(&mut child);
        if child.close() {
            self.empty = false;
        }
    }

    /// Closes the object; returns whether it was kept.
    fn close(self) -> bool {
        if self.empty {
            self.out.truncate(self.mark);
            false
        } else {
            self.out.push('}');
            true
        }
    }
}

fn country<'a>(c: &'a CountryField<'_>, folded: &'a mut String) -> Option<&'a str> {
    match c {
        CountryField::Absent => None,
        CountryField::Known(c) => Some(c.alpha2),
        CountryField::Unknown(t) => {
            // ASCII upper case, as for the codes (normalize.rs): no Unicode case tables.
            *folded = t.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_uppercase();
            Some(folded.as_str())
        }
    }
}

/// The canonical bytes of the form part.
pub fn canonical_form(form: &Form<'_>, ruleset_id: &str) -> String {
    let mut out = String::with_capacity(1024);
    let mut first = true;
    let mut top = Obj::open(&mut out, None, &mut first);
    top.obj("attestations", |o| {
        o.list("affirmed", &form.affirmed);
        o.str("version", form.attestation_version.as_deref());
    });
    top.obj("contribution", |o| {
        o.str("amount", canonical_amount(form).as_deref());
        o.str("currency", Some(&form.currency));
        // Only when given, so that the digests of submissions without a date never change.
        o.str("date", form.date.as_deref());
        o.str("method", form.method.map(crate::model::Wire::wire));
    });
    top.obj("donor", |o| {
        let (mut country_buf, mut passport_buf) = (String::new(), String::new());
        o.obj("address", |a| {
            a.str("city", form.city.as_deref());
            a.str("country", country(&form.country, &mut country_buf));
            a.str("line1", form.line1.as_deref());
            a.str("line2", form.line2.as_deref());
            a.str("postal_code", form.postal_code.as_deref());
            a.str("state", form.state.as_deref());
        });
        o.str("citizenship", form.citizenship.map(crate::model::Wire::wire));
        o.str("employer", form.employer.as_deref());
        o.str("first_name", form.first_name.as_deref());
        o.str("kind", Some(crate::model::Wire::wire(form.kind)));
        o.str("last_name", form.last_name.as_deref());
        o.str("occupation", form.occupation.as_deref());
        o.obj("passport", |p| {
            p.str("country", country(&form.passport_country, &mut passport_buf));
            // Only the last four characters: a full digest over a nine-character number is a
            // brute-forceable copy of it, and verdicts are logged.
            p.str("number_last4", form.passport_number.as_deref().map(last4));
        });
    });
    top.obj("recipient", |o| {
        o.str("election", form.election.map(crate::model::Wire::wire));
        o.str("type", form.recipient_type.map(crate::model::Wire::wire));
    });
    top.str("ruleset", Some(ruleset_id));
    if !top.close() {
        out.push_str("{}");
    }
    out
}

/// The amount as `D.CC` when it has the amount syntax; otherwise exactly as given (so that
/// `" 25"`, which is invalid, and `"25"` get different digests).
fn canonical_amount(form: &Form<'_>) -> Option<String> {
    let raw = form.amount.as_deref()?;
    Some(crate::money::parse(raw).map_or_else(|| raw.to_owned(), |d| d.to_string()))
}

fn last4(n: &str) -> &str {
    let start = n.char_indices().rev().nth(3).map_or(0, |(i, _)| i);
    n.get(start..).unwrap_or(n)
}

/// The canonical form of a parsed submission under a ruleset id (what `submission_digest`
/// hashes): for tests, audits and other implementations.
pub fn canonical_json(sub: &crate::model::Submission, ruleset_id: &str) -> String {
    canonical_form(&crate::normalize::form(sub), ruleset_id)
}

/// `sha256:` + hex SHA-256 of the canonical form.
pub fn submission_digest(form: &Form<'_>, ruleset_id: &str) -> String {
    sha256_tagged(canonical_form(form, ruleset_id).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped_like_jcs() {
        let mut s = String::new();
        write_json_string(&mut s, "a\"b\\c\nd\u{1}é€😀\u{7f}");
        assert_eq!(s, "\"a\\\"b\\\\c\\nd\\u0001é€😀\u{7f}\"");
    }

    #[test]
    fn last_four_characters() {
        assert_eq!(last4("A12345678"), "5678");
        assert_eq!(last4("12"), "12");
        assert_eq!(last4("ÄÖÜßX"), "ÖÜßX");
    }
}

//! Hand-written JSON writers for the verdict and the submission, in every build: the bytes
//! serde_json wrote for them (members in declaration order, absent ones left out, serde_json's
//! escaping through [`write_json_string`]), without serde's serializer in the wasm (issue 9).
//! Native tests hold both writers byte-equal to serde_json's.

use crate::canonical::write_json_string;
use crate::findings::Verdict;
use crate::model::{Blankable, Submission, Wire};

/// One JSON object being written: `"key":value` members, commas between them.
struct Obj<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> Obj<'o> {
    fn open(out: &'o mut String) -> Obj<'o> {
        out.push('{');
        Obj { out, first: true }
    }

    fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    fn str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            write_json_string(self.key(key), v);
        }
    }

    fn wire<T: Wire>(&mut self, key: &str, value: Option<&Blankable<T>>) {
        self.str(
            key,
            value.map(|b| match b {
                Blankable::Blank => "",
                Blankable::Value(v) => v.wire(),
            }),
        );
    }

    /// A nested object, kept even when empty (serde writes `{}` for a present struct).
    fn obj<T>(&mut self, key: &str, value: Option<&T>, build: impl FnOnce(&mut Obj<'_>, &T)) {
        if let Some(v) = value {
            let mut child = Obj::open(self.key(key));
            build(&mut child, v);
            child.out.push('}');
        }
    }

    fn close(self) {
        self.out.push('}');
    }
}

/// The verdict's compact JSON (`Verdict::to_json`).
pub fn verdict_json(v: &Verdict<'_>) -> String {
    let mut out = String::with_capacity(256 + 256 * v.findings.len());
    let mut o = Obj::open(&mut out);
    o.str("decision", Some(v.decision.wire()));
    let list = o.key("findings");
    list.push('[');
    for (i, f) in v.findings.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        let mut fo = Obj::open(list);
        fo.str("code", Some(f.code.as_str()));
        fo.str("severity", Some(f.severity.as_str()));
        fo.str("field", Some(&f.field));
        fo.str("message", Some(&f.message));
        fo.str("citation", f.citation);
        if !f.params.is_empty() {
            let mut po = Obj::open(fo.key("params"));
            for (k, val) in &f.params {
                // A param's name is the engine's own, but written escaped as serde did.
                let dst = po.key_escaped(k);
                write_json_string(dst, val);
            }
            po.close();
        }
        fo.close();
    }
    list.push(']');
    o.obj("ruleset", Some(&v.ruleset), |r, rs| {
        r.str("id", Some(rs.id));
        r.str("digest", Some(rs.digest));
    });
    o.str("submission_digest", Some(&v.submission_digest));
    o.str("engine", Some(v.engine));
    o.close();
    out
}

impl Obj<'_> {
    /// A member whose key may need escaping.
    fn key_escaped(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_json_string(self.out, key);
        self.out.push(':');
        self.out
    }
}

/// The submission's compact JSON (what `readForm` returns and `checkForm` checks).
pub fn submission_json(s: &Submission) -> String {
    let mut out = String::with_capacity(512);
    let mut o = Obj::open(&mut out);
    o.str("id", s.id.as_deref());
    o.str("ruleset", s.ruleset.as_deref());
    o.obj("recipient", s.recipient.as_ref(), |o, r| {
        o.wire("type", r.kind.as_ref());
        o.wire("election", r.election.as_ref());
    });
    o.obj("donor", s.donor.as_ref(), |o, d| {
        o.wire("kind", d.kind.as_ref());
        o.str("first_name", d.first_name.as_deref());
        o.str("last_name", d.last_name.as_deref());
        o.str("email", d.email.as_deref());
        o.obj("address", d.address.as_ref(), |o, a| {
            o.str("line1", a.line1.as_deref());
            o.str("line2", a.line2.as_deref());
            o.str("city", a.city.as_deref());
            o.str("state", a.state.as_deref());
            o.str("postal_code", a.postal_code.as_deref());
            o.str("country", a.country.as_deref());
        });
        o.wire("citizenship", d.citizenship.as_ref());
        o.obj("passport", d.passport.as_ref(), |o, p| {
            o.str("country", p.country.as_deref());
            o.str("number", p.number.as_deref());
        });
        o.str("employer", d.employer.as_deref());
        o.str("occupation", d.occupation.as_deref());
    });
    o.obj("contribution", s.contribution.as_ref(), |o, c| {
        o.str("amount", c.amount.as_ref().map(|a| a.as_str()));
        o.str("currency", c.currency.as_deref());
        o.wire("method", c.method.as_ref());
        o.obj("card", c.card.as_ref(), |o, k| o.str("country", k.country.as_deref()));
        o.str("bank_country", c.bank_country.as_deref());
        o.str("date", c.date.as_deref());
    });
    o.obj("signals", s.signals.as_ref(), |o, g| o.str("ip_country", g.ip_country.as_deref()));
    o.obj("attestations", s.attestations.as_ref(), |o, a| {
        o.str("version", a.version.as_deref());
        if let Some(list) = &a.affirmed {
            let dst = o.key("affirmed");
            dst.push('[');
            for (i, item) in list.iter().enumerate() {
                if i > 0 {
                    dst.push(',');
                }
                match item {
                    Some(t) => write_json_string(dst, t),
                    None => dst.push_str("null"),
                }
            }
            dst.push(']');
        }
    });
    o.obj("history", s.history.as_ref(), |o, h| {
        o.str("prior_total", h.prior_total.map(|t| t.0.to_string()).as_deref());
        o.str("cycle_total", h.cycle_total.map(|t| t.0.to_string()).as_deref());
    });
    o.obj("client_verdict", s.client_verdict.as_ref(), |o, c| {
        o.wire("decision", c.decision.as_ref());
        o.str("submission_digest", c.submission_digest.as_deref());
        o.str("ruleset_digest", c.ruleset_digest.as_deref());
    });
    o.wire("language", s.language.as_ref());
    o.close();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        let cases = std::fs::read_to_string(root.join("../shared/fixtures/cases.jsonl")).unwrap_or_default();
        for line in cases.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            out.push(v["submission"].to_string());
        }
        let errors = std::fs::read_to_string(root.join("tests/vectors/errors.jsonl")).unwrap();
        for line in errors.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            if let Some(input) = v["input"].as_str() {
                out.push(input.to_owned());
            }
        }
        out
    }

    /// Both writers give serde_json's bytes for every shared case and every error vector that
    /// parses (some 6,000 submissions, blanks, nulls in lists, escapes and all).
    #[test]
    fn the_writers_are_serde_jsons_bytes() {
        let mut verdicts = 0;
        for input in inputs() {
            let Ok(sub) = crate::parse(input.as_bytes()) else { continue };
            assert_eq!(submission_json(&sub), serde_json::to_string(&sub).unwrap(), "{input}");
            if let Ok(rs) = crate::ruleset_for(&sub) {
                let v = crate::check(&sub, rs);
                assert_eq!(verdict_json(&v), serde_json::to_string(&v).unwrap(), "{input}");
                verdicts += 1;
            }
        }
        assert!(verdicts > 100, "{verdicts}");
        let all = Submission {
            id: Some("a\"\u{1}".into()),
            recipient: Some(crate::model::Recipient::default()),
            donor: Some(crate::model::Donor { address: Some(Default::default()), ..Default::default() }),
            attestations: Some(crate::model::Attestations {
                version: None,
                affirmed: Some(vec![None, Some("x".into())]),
            }),
            history: Some(crate::model::History {
                prior_total: Some(crate::model::Total(rust_decimal::Decimal::new(1050, 2))),
                cycle_total: None,
            }),
            language: Some(Blankable::Blank),
            ..Default::default()
        };
        assert_eq!(submission_json(&all), serde_json::to_string(&all).unwrap());
    }
}

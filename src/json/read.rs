//! The submission reader: one pass of the hand-written parser ([`super::parse`], serde_json's
//! answers word for word) builds a small tree (members in order, duplicates kept) and refuses an
//! array where the contract wants an object; then a hand-written walk turns the tree into a
//! [`Submission`], naming the field path of the first problem in the document. Every build (CLI,
//! server, wasm) reads submissions through here.
//!
//! It replaces serde's derived `Deserialize` for the model behind serde_path_to_error, whose
//! errors (reading 11) it keeps word for word: `tests/vectors/errors.jsonl` holds the answers the
//! old reader gave to some 6,000 malformed inputs. In the wasm the derive and the path tracker
//! were most of the module (issue 9). The order of errors is the old one: a syntax error or an
//! array in an object's place anywhere in the input comes first (the old shape pass), then the
//! first typed error in document order, as serde's derive met them: an unknown key, a duplicate
//! key (at the second occurrence, before its value), a value of the wrong type.

use super::parse::{parse, Fail, SyntaxError};
use crate::error::{ErrorCode, InputError, NOT_IN_ENUM};
use crate::model::{
    number_text, Address, AmountInput, Attestations, Blankable, Card, ClientVerdict, Contribution, Donor, History,
    Passport, Recipient, RecipientType, Signals, Submission, Total, Wire,
};

/// A JSON value as read, members in document order. Numbers are doubles (RULES.md reading 6:
/// the reader converts integers exactly as the old one did, `u64`/`i64` `as f64`).
pub(super) enum J {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

/// Parses the whole text (syntax, trailing data) into a tree. An array as the top value or as the
/// value of a member named like one of the contract's objects, at any level, is `invalid_field`
/// "wrong type: expected an object", its field the object-named members leading to it.
pub(super) fn tree(text: &str) -> Result<J, InputError> {
    let mut trail = Vec::new();
    match parse(text, &mut trail, true) {
        Ok(j) => Ok(j),
        Err(Fail::Object) => {
            // The trail is innermost first.
            let names: Vec<&str> = trail
                .iter()
                .rev()
                .filter_map(|s| match s {
                    Seg::Key(k) => Some(k.as_str()),
                    Seg::Index(_) => None,
                })
                .collect();
            let field = (!names.is_empty()).then(|| names.join("."));
            Err(InputError::new(ErrorCode::InvalidField, "wrong type: expected an object", field))
        }
        Err(Fail::Syntax(e)) => Err(super::invalid_json(super::syntax_message(&e))),
    }
}

/// The tree of any JSON text (the ruleset reader's), with no contract rule; on a syntax error,
/// the path to it, innermost segment first, in `trail`.
pub(crate) fn any_tree(text: &str, trail: &mut Vec<Seg>) -> Result<J, SyntaxError> {
    match parse(text, trail, false) {
        Ok(j) => Ok(j),
        Err(Fail::Syntax(e)) => Err(e),
        // Only the contract refuses arrays.
        Err(Fail::Object) => Err(SyntaxError::object()),
    }
}

/// The field path as serde_path_to_error printed it: keys joined by `.`, an index as `[i]` with
/// no dot before it; the top level is no field at all.
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

struct Path {
    segs: Vec<Seg>,
}

/// A field path as the errors write it: `donor.address.country`, `attestations.affirmed[2]`.
pub(crate) fn dotted(segs: &[Seg]) -> String {
    let mut out = String::new();
    for (i, seg) in segs.iter().enumerate() {
        match seg {
            Seg::Key(k) => {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(n) => {
                out.push('[');
                out.push_str(&n.to_string());
                out.push(']');
            }
        }
    }
    out
}

impl Path {
    fn field(&self) -> Option<String> {
        let out = dotted(&self.segs);
        // serde_path_to_error printed the empty path as `.`, which meant no field.
        if self.segs.is_empty() || out == "." {
            None
        } else {
            Some(out)
        }
    }

    fn error(&self, message: impl Into<String>) -> InputError {
        InputError::new(ErrorCode::InvalidField, message, self.field())
    }

    fn wrong_type(&self, expected: &str) -> InputError {
        let mut m = String::from("wrong type: expected ");
        m.push_str(expected);
        self.error(m)
    }
}

/// The walk over one object: every member in order, each key looked up among the struct's
/// fields (declaration order, which the messages list), a second occurrence refused.
fn members(
    j: J,
    path: &mut Path,
    fields: &'static [&'static str],
    take: &mut dyn FnMut(usize, J, &mut Path) -> Result<(), InputError>,
) -> Result<bool, InputError> {
    let list = match j {
        J::Null => return Ok(false),
        J::Obj(list) => list,
        _ => return Err(path.wrong_type("an object")),
    };
    let mut seen = 0u32;
    for (key, value) in list {
        let Some(i) = fields.iter().position(|f| *f == key) else {
            path.segs.push(Seg::Key(key));
            return Err(path.error(unknown_field(fields)));
        };
        if seen & (1 << i) != 0 {
            // The key is the contract's own name; the field is the object's path and the key.
            let field = match path.field() {
                Some(parent) => format!("{parent}.{key}"),
                None => key,
            };
            return Err(InputError::new(ErrorCode::InvalidField, "duplicate key", Some(field)));
        }
        seen |= 1 << i;
        path.segs.push(Seg::Key(key));
        take(i, value, path)?;
        path.segs.pop();
    }
    Ok(true)
}

/// serde's list of the expected fields: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
fn unknown_field(fields: &[&str]) -> String {
    let mut m = String::from("unknown field; expected ");
    if fields.len() > 2 {
        m.push_str("one of ");
    }
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            m.push_str(if fields.len() == 2 { " or " } else { ", " });
        }
        m.push('`');
        m.push_str(f);
        m.push('`');
    }
    m
}

fn string(j: J, path: &Path) -> Result<Option<String>, InputError> {
    match j {
        J::Null => Ok(None),
        J::Str(s) => Ok(Some(s)),
        _ => Err(path.wrong_type("a string")),
    }
}

fn blankable<T: Wire>(j: J, path: &Path) -> Result<Option<Blankable<T>>, InputError> {
    let wires: Vec<&'static str> = T::ALL.iter().map(|v| v.wire()).collect();
    Ok(match enumerated(j, path, &wires)? {
        None => None,
        Some(None) => Some(Blankable::Blank),
        Some(Some(i)) => T::ALL.get(i).map(|v| Blankable::Value(*v)),
    })
}

/// An enumerated value as the index of its wire name (`Some(None)`: blank), the same code for
/// every enumeration.
fn enumerated(j: J, path: &Path, wires: &[&str]) -> Result<Option<Option<usize>>, InputError> {
    match j {
        J::Null => Ok(None),
        J::Str(s) if s.trim().is_empty() => Ok(Some(None)),
        // The donor's value is never echoed back: it may be personal data.
        J::Str(s) => match wires.iter().position(|w| *w == s) {
            Some(i) => Ok(Some(Some(i))),
            None => Err(path.error(format!("{NOT_IN_ENUM}: not one of {}", wires.join(", ")))),
        },
        _ => Err(path.wrong_type(&format!("one of {}", wires.join(", ")))),
    }
}

/// Why a joint fundraising committee is not a recipient type (docs/rulesets.md).
const JOINT_FUNDRAISING: &str = "a joint fundraising committee is not a recipient type: its limit is the sum of its \
participants' and each gift is split by its allocation formula (11 CFR 102.17), so check each participant's \
share as that participant's own type";

/// `joint_fundraising`, `jfc`, `Joint Fundraising Committee`...
fn is_joint_fundraising(s: &str) -> bool {
    let folded: String = s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    matches!(folded.as_str(), "jfc" | "jointfundraising" | "jointfundraisingcommittee" | "jointfundraiser")
}

fn amount(j: J, path: &Path) -> Result<Option<AmountInput>, InputError> {
    match j {
        J::Null => Ok(None),
        J::Str(s) => Ok(Some(AmountInput::Text(s))),
        J::Num(v) => Ok(Some(AmountInput::Number(number_text(v)))),
        _ => Err(path.wrong_type("a decimal string or a number")),
    }
}

fn total(j: J, path: &Path) -> Result<Option<Total>, InputError> {
    let Some(text) = amount(j, path)? else { return Ok(None) };
    match crate::money::parse(text.as_str()) {
        Some(v) => Ok(Some(Total(v))),
        None => Err(path.error("not a total: digits with at most two decimals, zero or more")),
    }
}

fn affirmed(j: J, path: &mut Path) -> Result<Option<Vec<Option<String>>>, InputError> {
    let items = match j {
        J::Null => return Ok(None),
        J::Arr(items) => items,
        _ => return Err(path.wrong_type("a sequence")),
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        path.segs.push(Seg::Index(i));
        out.push(string(item, path)?);
        path.segs.pop();
    }
    Ok(Some(out))
}

/// An object-valued member: `None` for null, the struct read by `read` otherwise.
fn object<T: Default>(
    j: J,
    path: &mut Path,
    fields: &'static [&'static str],
    mut read: impl FnMut(&mut T, usize, J, &mut Path) -> Result<(), InputError>,
) -> Result<Option<T>, InputError> {
    let mut out = T::default();
    // One walk for every object (a `dyn` callback: the walk is not copied per struct).
    let present = members(j, path, fields, &mut |i, v, p| read(&mut out, i, v, p))?;
    Ok(present.then_some(out))
}

/// The submission from its tree. Not an object (a number, a string): "wrong type: expected an
/// object", with no field.
pub(super) fn submission(j: J) -> Result<Submission, InputError> {
    let mut path = Path { segs: Vec::new() };
    let sub = object(
        j,
        &mut path,
        &[
            "id",
            "ruleset",
            "recipient",
            "donor",
            "contribution",
            "signals",
            "attestations",
            "history",
            "client_verdict",
            "language",
        ],
        |s: &mut Submission, i, v, p| {
            match i {
                0 => s.id = string(v, p)?,
                1 => s.ruleset = string(v, p)?,
                2 => s.recipient = recipient(v, p)?,
                3 => s.donor = donor(v, p)?,
                4 => s.contribution = contribution(v, p)?,
                5 => {
                    s.signals = object(v, p, &["ip_country"], |s: &mut Signals, _, v, p| {
                        s.ip_country = string(v, p)?;
                        Ok(())
                    })?
                }
                6 => s.attestations = attestations(v, p)?,
                7 => s.history = history(v, p)?,
                8 => s.client_verdict = client_verdict(v, p)?,
                _ => s.language = blankable(v, p)?,
            }
            Ok(())
        },
    )?;
    // Null at the top is not a submission either.
    sub.ok_or_else(|| path.wrong_type("an object"))
}

fn recipient(j: J, path: &mut Path) -> Result<Option<Recipient>, InputError> {
    object(j, path, &["type", "election"], |r: &mut Recipient, i, v, p| {
        match i {
            0 => r.kind = recipient_type(v, p)?,
            _ => r.election = blankable(v, p)?,
        }
        Ok(())
    })
}

/// `recipient.type`: an enumeration, and a joint fundraising committee refused with the reason
/// (the value itself is never echoed).
fn recipient_type(j: J, path: &Path) -> Result<Option<Blankable<RecipientType>>, InputError> {
    let joint = matches!(&j, J::Str(s) if is_joint_fundraising(s));
    blankable(j, path).map_err(|mut e| {
        if joint {
            e.message = format!("{}; {JOINT_FUNDRAISING}", e.message);
        }
        e
    })
}

fn donor(j: J, path: &mut Path) -> Result<Option<Donor>, InputError> {
    object(
        j,
        path,
        &["kind", "first_name", "last_name", "email", "address", "citizenship", "passport", "employer", "occupation"],
        |d: &mut Donor, i, v, p| {
            match i {
                0 => d.kind = blankable(v, p)?,
                1 => d.first_name = string(v, p)?,
                2 => d.last_name = string(v, p)?,
                3 => d.email = string(v, p)?,
                4 => d.address = address(v, p)?,
                5 => d.citizenship = blankable(v, p)?,
                6 => {
                    d.passport = object(v, p, &["country", "number"], |s: &mut Passport, i, v, p| {
                        match i {
                            0 => s.country = string(v, p)?,
                            _ => s.number = string(v, p)?,
                        }
                        Ok(())
                    })?;
                }
                7 => d.employer = string(v, p)?,
                _ => d.occupation = string(v, p)?,
            }
            Ok(())
        },
    )
}

fn address(j: J, path: &mut Path) -> Result<Option<Address>, InputError> {
    object(j, path, &["line1", "line2", "city", "state", "postal_code", "country"], |a: &mut Address, i, v, p| {
        let s = string(v, p)?;
        match i {
            0 => a.line1 = s,
            1 => a.line2 = s,
            2 => a.city = s,
            3 => a.state = s,
            4 => a.postal_code = s,
            _ => a.country = s,
        }
        Ok(())
    })
}

fn contribution(j: J, path: &mut Path) -> Result<Option<Contribution>, InputError> {
    object(
        j,
        path,
        &["amount", "currency", "method", "card", "bank_country", "date"],
        |c: &mut Contribution, i, v, p| {
            match i {
                0 => c.amount = amount(v, p)?,
                1 => c.currency = string(v, p)?,
                2 => c.method = blankable(v, p)?,
                3 => {
                    c.card = object(v, p, &["country"], |s: &mut Card, _, v, p| {
                        s.country = string(v, p)?;
                        Ok(())
                    })?;
                }
                4 => c.bank_country = string(v, p)?,
                _ => c.date = string(v, p)?,
            }
            Ok(())
        },
    )
}

fn attestations(j: J, path: &mut Path) -> Result<Option<Attestations>, InputError> {
    object(j, path, &["version", "affirmed"], |a: &mut Attestations, i, v, p| {
        match i {
            0 => a.version = string(v, p)?,
            _ => a.affirmed = affirmed(v, p)?,
        }
        Ok(())
    })
}

fn history(j: J, path: &mut Path) -> Result<Option<History>, InputError> {
    object(j, path, &["prior_total", "cycle_total"], |h: &mut History, i, v, p| {
        match i {
            0 => h.prior_total = total(v, p)?,
            _ => h.cycle_total = total(v, p)?,
        }
        Ok(())
    })
}

fn client_verdict(j: J, path: &mut Path) -> Result<Option<ClientVerdict>, InputError> {
    object(j, path, &["decision", "submission_digest", "ruleset_digest"], |c: &mut ClientVerdict, i, v, p| {
        match i {
            0 => c.decision = blankable(v, p)?,
            1 => c.submission_digest = string(v, p)?,
            _ => c.ruleset_digest = string(v, p)?,
        }
        Ok(())
    })
}

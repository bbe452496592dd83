//! The rule families. Each module reads the normalised submission and adds findings; none of
//! them decides, sorts or serialises (the engine does).
//!
//! - [`eligibility`]: who may give (foreign nationals, organizations, passports, residence,
//!   foreign payment and IP, the safe harbor).
//! - [`attestations`]: the statements the donor affirms, and their version.
//! - [`amount`]: amount syntax, currency, limits, cash, itemization.
//! - [`address`]: required fields, state, ZIP, unknown countries.
//! - [`text`]: mixed-script spoofing.

pub mod address;
pub mod amount;
pub mod attestations;
pub mod eligibility;
pub mod text;

use crate::findings::{Code, Finding, Severity};
use crate::model::Language;
use crate::normalize::{Extra, Form, Locale};
use crate::ruleset::Ruleset;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// What every rule reads.
pub struct Ctx<'a, 'r> {
    pub form: &'a Form<'a>,
    pub extra: &'a Extra<'a>,
    pub rs: &'r Ruleset,
    pub locale: Locale,
    /// The amount when it is valid (`None` when missing or `amount_invalid`).
    pub amount: Option<Decimal>,
}

/// The findings so far, built from the ruleset's severities, citations and messages.
pub struct Findings<'r> {
    rs: &'r Ruleset,
    lang: Language,
    list: Vec<Finding<'r>>,
}

impl<'r> Findings<'r> {
    pub fn new(rs: &'r Ruleset) -> Self {
        Findings { rs, lang: Language::En, list: Vec::new() }
    }

    /// Findings whose messages are in `lang` (English where the ruleset has none in it).
    pub fn in_language(rs: &'r Ruleset, lang: Language) -> Self {
        Findings { rs, lang, list: Vec::new() }
    }

    /// The language of the messages.
    pub fn language(&self) -> Language {
        self.lang
    }

    /// Adds a finding with the ruleset's message.
    pub fn add(&mut self, code: Code, field: impl Into<Cow<'r, str>>) {
        let spec = self.rs.spec(code);
        self.push(code, spec.severity, field.into(), Cow::Borrowed(spec.message_in(self.lang)));
    }

    /// Adds a finding whose message template gets `words` filled in (formatted for the donor)
    /// and whose `params` get `raw` (plain values: `3500.00`, `election`).
    pub fn add_filled(
        &mut self,
        code: Code,
        field: impl Into<Cow<'r, str>>,
        words: &[(&'static str, &str)],
        raw: &[(&'static str, String)],
    ) {
        let spec = self.rs.spec(code);
        let mut message = spec.message_in(self.lang).to_owned();
        for (key, value) in words {
            message = message.replace(&format!("{{{key}}}"), value);
        }
        self.push(code, spec.severity, field.into(), Cow::Owned(message));
        if let Some(last) = self.list.last_mut() {
            last.params = raw.iter().map(|(k, v)| (*k, v.clone())).collect();
        }
    }

    /// Adds a finding at the severity the ruleset gives it under the safe harbor.
    pub fn add_safe_harbor(&mut self, code: Code, field: impl Into<Cow<'r, str>>) {
        let spec = self.rs.spec(code);
        let severity = spec.safe_harbor_severity.unwrap_or(spec.severity);
        self.push(code, severity, field.into(), Cow::Borrowed(spec.message_in(self.lang)));
    }

    fn push(&mut self, code: Code, severity: Severity, field: Cow<'r, str>, message: Cow<'r, str>) {
        let citation = self.rs.spec(code).citation.as_deref();
        self.list.push(Finding { code, severity, field, message, citation, params: Default::default() });
    }

    pub fn into_vec(self) -> Vec<Finding<'r>> {
        self.list
    }
}

/// Runs every rule family over a normalised submission. Unsorted; the engine sorts.
pub fn run<'r>(form: &Form<'_>, extra: &Extra<'_>, rs: &'r Ruleset) -> Vec<Finding<'r>> {
    let amount = amount::valid_amount(form, rs);
    let ctx = Ctx { form, extra, rs, locale: form.locale(), amount };
    let mut out = Findings::in_language(rs, form.language);
    address::check(&ctx, &mut out);
    eligibility::check(&ctx, &mut out);
    attestations::check(&ctx, &mut out);
    amount::check(&ctx, &mut out);
    text::check(&ctx, &mut out);
    out.into_vec()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builds submissions from JSON for the rule modules' tests.
    use crate::findings::Verdict;

    /// A complete, acceptable submission to start from.
    pub const BASE: &str = r#"{
        "recipient": {"type": "candidate", "election": "primary"},
        "donor": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org",
                  "address": {"line1": "1 Main St", "city": "Springfield", "state": "IL",
                              "postal_code": "62701", "country": "US"},
                  "citizenship": "us_citizen", "employer": "Acme", "occupation": "Engineer"},
        "contribution": {"amount": "25.00", "currency": "USD", "method": "card", "card": {"country": "US"}},
        "attestations": {"affirmed": ["us_citizen_or_lpr", "own_funds", "personal_card",
                                      "not_federal_contractor", "age_18_or_older"]}
    }"#;

    /// BASE with `patch` merged in (JSON merge patch: null removes a member).
    pub fn verdict_with(patch: &str) -> Verdict<'static> {
        let mut base: serde_json::Value = serde_json::from_str(BASE).unwrap();
        merge(&mut base, serde_json::from_str(patch).unwrap());
        let sub = crate::parse(base.to_string().as_bytes()).unwrap();
        let rs = crate::ruleset::default_ruleset().unwrap();
        crate::check(&sub, rs)
    }

    fn merge(target: &mut serde_json::Value, patch: serde_json::Value) {
        match (target, patch) {
            (serde_json::Value::Object(t), serde_json::Value::Object(p)) => {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(&k);
                    } else {
                        merge(t.entry(k).or_insert(serde_json::Value::Null), v);
                    }
                }
            }
            (t, p) => *t = p,
        }
    }

    /// The findings as `code@field` strings, in verdict order.
    pub fn codes(patch: &str) -> Vec<String> {
        verdict_with(patch).findings.iter().map(|f| format!("{}@{}", f.code.as_str(), f.field)).collect()
    }
}

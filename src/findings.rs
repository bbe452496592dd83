//! Finding codes, severities, findings and the verdict (CONTRACT.md, "Verdict").

use crate::map::VecMap;
use crate::model::Decision;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// How much a finding weighs. The order is the sort order of findings: reject first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Reject,
    Review,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Reject => "reject",
            Severity::Review => "review",
            Severity::Info => "info",
        }
    }
}

macro_rules! codes {
    ($($variant:ident => $wire:literal : $sev:ident),+ $(,)?) => {
        /// Every finding code of RULES.md. The wire names are the public contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Code { $($variant),+ }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $wire),+ }
            }

            /// The severity RULES.md gives the code (a ruleset may set another).
            pub fn catalogue_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev),+ }
            }
        }
    };
}

codes! {
    ForeignNational => "foreign_national": Reject,
    OrganizationNotPermitted => "organization_not_permitted": Reject,
    UsPassportRequired => "us_passport_required": Reject,
    PassportInvalid => "passport_invalid": Reject,
    ResidesAbroad => "resides_abroad": Review,
    ForeignPassport => "foreign_passport": Review,
    ForeignPayment => "foreign_payment": Review,
    ForeignIp => "foreign_ip": Info,
    OverseasCitizen => "overseas_citizen": Info,
    ForeignCurrency => "foreign_currency": Reject,
    AttestationMissing => "attestation_missing": Reject,
    AttestationVersionMismatch => "attestation_version_mismatch": Reject,
    FieldRequired => "field_required": Reject,
    StateInvalid => "state_invalid": Reject,
    PostalCodeInvalid => "postal_code_invalid": Reject,
    CountryUnknown => "country_unknown": Reject,
    AmountInvalid => "amount_invalid": Reject,
    ExceedsLimit => "exceeds_limit": Reject,
    CashLimit => "cash_limit": Reject,
    ItemizationInfoMissing => "itemization_info_missing": Review,
    MixedScript => "mixed_script": Review,
    ClientVerdictMismatch => "client_verdict_mismatch": Review,
    ClientVerdictMissing => "client_verdict_missing": Review,
    SanctionsMatch => "sanctions_match": Reject,
    SanctionsPossibleMatch => "sanctions_possible_match": Review,
    PossibleDuplicateDonor => "possible_duplicate_donor": Review,
    ForeignAddress => "foreign_address": Review,
}

/// One thing the engine found, with the field it concerns, a sentence for the donor and the
/// law behind it. Messages never contain the donor's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding<'r> {
    pub code: Code,
    pub severity: Severity,
    pub field: Cow<'r, str>,
    pub message: Cow<'r, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<&'r str>,
    /// The values the message was worded with (`limit`, `period`, `remaining`, `threshold`,
    /// `sdn_uid`, `score`, ...), as strings, so any interface can word the finding in its own
    /// language. Omitted when empty.
    #[serde(skip_serializing_if = "VecMap::is_empty")]
    pub params: VecMap<&'static str, String>,
}

/// `{"id", "digest"}` of the ruleset a verdict was computed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesetRef<'r> {
    pub id: &'r str,
    pub digest: &'r str,
}

/// The answer to a submission. Serialised with [`Verdict::to_json`], its bytes are the same in
/// every build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict<'r> {
    pub decision: Decision,
    pub findings: Vec<Finding<'r>>,
    pub ruleset: RulesetRef<'r>,
    pub submission_digest: String,
    pub engine: &'static str,
}

/// `donation-guard <version>`, as printed in every verdict.
pub const ENGINE: &str = concat!("donation-guard ", env!("CARGO_PKG_VERSION"));

impl Verdict<'_> {
    /// Compact JSON, one line: the bytes the CLI, the server and the browser all print.
    pub fn to_json(&self) -> String {
        crate::json::write::verdict_json(self)
    }

    /// Whether a finding with this code is present.
    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}

/// The decision for a set of findings (RULES.md, "Decision").
pub fn decide(findings: &[Finding<'_>]) -> Decision {
    findings.iter().fold(Decision::Accept, |d, f| match f.severity {
        Severity::Reject => Decision::Reject,
        Severity::Review if d == Decision::Accept => Decision::Review,
        _ => d,
    })
}

/// The deterministic order: severity (reject, review, info), then code, then field.
/// Stable: findings with the same severity, code and field keep the order the rules gave them.
pub fn sort(findings: &mut Vec<Finding<'_>>) {
    crate::map::sort_by(findings, &|a: &Finding<'_>, b: &Finding<'_>| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| a.code.as_str().cmp(b.code.as_str()))
            .then_with(|| a.field.cmp(&b.field))
            .is_lt()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(code: Code, severity: Severity, field: &'static str) -> Finding<'static> {
        Finding { code, severity, field: field.into(), message: "".into(), citation: None, params: VecMap::new() }
    }

    #[test]
    fn decision_is_the_worst_severity_and_info_never_counts() {
        assert_eq!(decide(&[]), Decision::Accept);
        assert_eq!(decide(&[f(Code::ForeignIp, Severity::Info, "x")]), Decision::Accept);
        assert_eq!(
            decide(&[f(Code::ForeignIp, Severity::Info, "x"), f(Code::MixedScript, Severity::Review, "y")]),
            Decision::Review
        );
        assert_eq!(
            decide(&[f(Code::CashLimit, Severity::Reject, "x"), f(Code::MixedScript, Severity::Review, "y")]),
            Decision::Reject
        );
    }

    #[test]
    fn findings_sort_by_severity_then_code_then_field() {
        let mut v = vec![
            f(Code::ForeignIp, Severity::Info, "signals.ip_country"),
            f(Code::MixedScript, Severity::Review, "donor.last_name"),
            f(Code::FieldRequired, Severity::Reject, "donor.last_name"),
            f(Code::AttestationMissing, Severity::Reject, "attestations.own_funds"),
            f(Code::FieldRequired, Severity::Reject, "donor.first_name"),
            f(Code::MixedScript, Severity::Review, "donor.first_name"),
        ];
        sort(&mut v);
        let got: Vec<_> = v.iter().map(|f| (f.code.as_str(), f.field.as_ref())).collect();
        assert_eq!(
            got,
            [
                ("attestation_missing", "attestations.own_funds"),
                ("field_required", "donor.first_name"),
                ("field_required", "donor.last_name"),
                ("mixed_script", "donor.first_name"),
                ("mixed_script", "donor.last_name"),
                ("foreign_ip", "signals.ip_country"),
            ]
        );
    }

    #[test]
    fn code_wire_names_are_snake_case_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            assert_eq!(serde_json::to_string(c).unwrap(), format!("\"{}\"", c.as_str()));
            assert!(seen.insert(c.as_str()));
        }
        assert_eq!(seen.len(), 27);
    }
}

//! The statements the donor affirms, from the ruleset, and the version of their words.

use super::{Ctx, Findings};
use crate::findings::Code;
use crate::model::Method;
use crate::ruleset::Required;
use std::borrow::Cow;

pub fn check<'r>(ctx: &Ctx<'_, 'r>, out: &mut Findings<'r>) {
    let f = ctx.form;
    for a in &ctx.rs.data.attestations {
        let required = match a.required {
            Required::Always => true,
            Required::Card => f.method == Some(Method::Card),
        };
        if required && f.affirmed.binary_search_by(|x| x.as_ref().cmp(a.id.as_str())).is_err() {
            out.add(Code::AttestationMissing, Cow::Owned(format!("attestations.{}", a.id)));
        }
    }
    if let Some(version) = &f.attestation_version {
        if version.as_ref() != ctx.rs.attestation_digest {
            out.add(Code::AttestationVersionMismatch, "attestations.version");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::codes;

    #[test]
    fn one_finding_per_missing_attestation() {
        assert_eq!(
            codes(r#"{"attestations":null}"#),
            [
                "attestation_missing@attestations.age_18_or_older",
                "attestation_missing@attestations.not_federal_contractor",
                "attestation_missing@attestations.own_funds",
                "attestation_missing@attestations.personal_card",
                "attestation_missing@attestations.us_citizen_or_lpr",
            ]
        );
    }

    #[test]
    fn personal_card_only_for_card() {
        let four = r#"["us_citizen_or_lpr","own_funds","not_federal_contractor","age_18_or_older"]"#;
        assert_eq!(
            codes(&format!(r#"{{"attestations":{{"affirmed":{four}}}}}"#)),
            ["attestation_missing@attestations.personal_card"]
        );
        assert!(codes(&format!(
            r#"{{"contribution":{{"method":"ach","card":null}},"attestations":{{"affirmed":{four}}}}}"#
        ))
        .is_empty());
        // Method absent: not a card.
        assert!(codes(&format!(
            r#"{{"contribution":{{"method":null,"card":null}},"attestations":{{"affirmed":{four}}}}}"#
        ))
        .is_empty());
    }

    #[test]
    fn affirmed_ids_are_trimmed_and_duplicates_harmless() {
        assert!(codes(r#"{"attestations":{"affirmed":[" us_citizen_or_lpr ","own_funds","own_funds","personal_card","not_federal_contractor","age_18_or_older",null,"",
            "some_other_statement"]}}"#).is_empty());
    }

    #[test]
    fn version_must_match_the_digest_when_given() {
        let good = "sha256:d0332970267738fa405792f1e33c1d4a69f33666866632cb6cd322e1a12feae6";
        assert!(codes(&format!(r#"{{"attestations":{{"version":"{good}"}}}}"#)).is_empty());
        assert_eq!(
            codes(r#"{"attestations":{"version":"sha256:00"}}"#),
            ["attestation_version_mismatch@attestations.version"]
        );
    }
}

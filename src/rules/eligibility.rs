//! Who may give: the foreign-national ban and its pertinent facts (11 CFR 110.20(a)(5)), the
//! organization bar, U.S. passports and the safe harbor (110.20(a)(7)).

use super::{Ctx, Findings};
use crate::findings::Code;
use crate::model::{Citizenship, DonorKind};
use crate::normalize::{CountryField, Locale};

pub fn check(ctx: &Ctx<'_, '_>, out: &mut Findings<'_>) {
    let f = ctx.form;
    let who = ctx.rs.eligibility();
    // A status the ruleset does not let give at home can never give (a foreign national).
    if f.citizenship.is_some_and(|c| !who.home.contains(&c)) {
        out.add(Code::ForeignNational, "donor.citizenship");
    }
    if f.kind == DonorKind::Organization && !who.organizations {
        out.add(Code::OrganizationNotPermitted, "donor.kind");
    }

    // Passports. A passport is given when its number is not blank.
    if f.passport_number.is_some() {
        match f.passport_country.known() {
            Some(c) if c.is_us() && !f.has_valid_us_passport() => {
                out.add(Code::PassportInvalid, "donor.passport.number")
            }
            Some(c) if c.is_us() => {}
            Some(_) => out.add(Code::ForeignPassport, "donor.passport.country"),
            None => {}
        }
    }

    let foreign_address = ctx.locale == Locale::Foreign;
    let safe_harbor = foreign_address && f.claims_us_or_silent() && f.has_valid_us_passport();
    if foreign_address && f.claims_us_or_silent() && !f.has_valid_us_passport() {
        out.add(Code::UsPassportRequired, "donor.passport.number");
    }
    if safe_harbor {
        out.add(Code::OverseasCitizen, "donor.passport.number");
    }
    if foreign_address
        && f.citizenship == Some(Citizenship::PermanentResident)
        && who.home.contains(&Citizenship::PermanentResident)
        && !who.abroad.contains(&Citizenship::PermanentResident)
    {
        out.add(Code::ResidesAbroad, "donor.address.country");
    }

    // Payment from outside the United States. Downgraded under the safe harbor.
    let payments = [
        (&ctx.extra.card_country, "contribution.card.country"),
        (&ctx.extra.bank_country, "contribution.bank_country"),
    ];
    for (country, field) in payments {
        if let Some((CountryField::Known(c), _)) = country {
            if !c.is_domestic() {
                if safe_harbor {
                    out.add_safe_harbor(Code::ForeignPayment, field);
                } else {
                    out.add(Code::ForeignPayment, field);
                }
            }
        }
    }

    // Geo-IP codes such as XX, EU or A1 are not countries: an unknown one is ignored.
    if let Some(CountryField::Known(c)) = &ctx.extra.ip_country {
        if !c.is_domestic() {
            out.add(Code::ForeignIp, "signals.ip_country");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::Severity;
    use crate::model::Decision;
    use crate::rules::testing::{codes, verdict_with};

    const TORONTO: &str =
        r#""address":{"line1":"88 Harbord St","city":"Toronto","state":"ON","postal_code":"M5S 1G4","country":"CA"}"#;

    #[test]
    fn foreign_national_and_organization_are_rejected() {
        assert_eq!(codes(r#"{"donor":{"citizenship":"foreign_national"}}"#), ["foreign_national@donor.citizenship"]);
        assert_eq!(codes(r#"{"donor":{"kind":"organization"}}"#), ["organization_not_permitted@donor.kind"]);
    }

    #[test]
    fn overseas_citizen_needs_a_us_passport() {
        assert_eq!(codes(&format!(r#"{{"donor":{{{TORONTO}}}}}"#)), ["us_passport_required@donor.passport.number"]);
        // No citizenship given counts as a claim to be a citizen.
        assert_eq!(
            codes(&format!(r#"{{"donor":{{"citizenship":null,{TORONTO}}}}}"#)),
            ["us_passport_required@donor.passport.number"]
        );
        // A number with no country is not a U.S. passport.
        assert_eq!(
            codes(&format!(r#"{{"donor":{{{TORONTO},"passport":{{"number":"561728934"}}}}}}"#)),
            ["us_passport_required@donor.passport.number"]
        );
        let v = verdict_with(&format!(
            r#"{{"donor":{{{TORONTO},"passport":{{"country":"United States","number":"561-728 934"}}}}}}"#
        ));
        assert_eq!(v.decision, Decision::Accept);
        assert_eq!(v.findings.len(), 1);
        assert_eq!(v.findings[0].code.as_str(), "overseas_citizen");
        assert_eq!(v.findings[0].severity, Severity::Info);
    }

    #[test]
    fn an_invalid_us_passport_number_is_rejected_and_the_number_never_echoed() {
        let v = verdict_with(r#"{"donor":{"passport":{"country":"US","number":"98765"}}}"#);
        assert_eq!(v.decision, Decision::Reject);
        assert!(!v.to_json().contains("98765"));
        assert_eq!(
            codes(r#"{"donor":{"passport":{"country":"US","number":"98765"}}}"#),
            ["passport_invalid@donor.passport.number"]
        );
        // Abroad, a malformed number is both invalid and not the required valid one.
        assert_eq!(
            codes(&format!(r#"{{"donor":{{{TORONTO},"passport":{{"country":"US","number":"98765"}}}}}}"#)),
            ["passport_invalid@donor.passport.number", "us_passport_required@donor.passport.number"]
        );
    }

    #[test]
    fn safe_harbor_downgrades_foreign_payment_to_info() {
        let v = verdict_with(&format!(
            r#"{{"donor":{{{TORONTO},"passport":{{"country":"US","number":"A12345678"}}}},"contribution":{{"card":{{"country":"CA"}}}}}}"#
        ));
        assert_eq!(v.decision, Decision::Accept);
        let fp = v.findings.iter().find(|f| f.code.as_str() == "foreign_payment").unwrap();
        assert_eq!(fp.severity, Severity::Info);
        // Without the safe harbor it is a review.
        assert_eq!(
            codes(r#"{"contribution":{"card":{"country":"CA"}}}"#),
            ["foreign_payment@contribution.card.country"]
        );
    }

    #[test]
    fn permanent_residents_get_no_safe_harbor_from_a_us_passport() {
        assert_eq!(
            codes(&format!(
                r#"{{"donor":{{"citizenship":"permanent_resident",{TORONTO},"passport":{{"country":"US","number":"A12345678"}}}},"contribution":{{"card":{{"country":"CA"}}}}}}"#
            )),
            ["foreign_payment@contribution.card.country", "resides_abroad@donor.address.country"]
        );
    }

    #[test]
    fn foreign_passport_and_territory_passport() {
        assert_eq!(
            codes(r#"{"donor":{"passport":{"country":"IE","number":"PX4417023"}}}"#),
            ["foreign_passport@donor.passport.country"]
        );
        assert_eq!(
            codes(r#"{"donor":{"passport":{"country":"PR","number":"123456789"}}}"#),
            ["foreign_passport@donor.passport.country"]
        );
        // A country with no number is no passport.
        assert!(codes(r#"{"donor":{"passport":{"country":"IE","number":" "}}}"#).is_empty());
    }

    #[test]
    fn payment_and_ip_countries() {
        assert!(codes(r#"{"contribution":{"card":{"country":"PR"}}}"#).is_empty());
        assert_eq!(
            codes(r#"{"contribution":{"card":{"country":"UM"}}}"#),
            ["foreign_payment@contribution.card.country"]
        );
        assert_eq!(
            codes(
                r#"{"contribution":{"method":"wire","bank_country":"CH","card":null},"attestations":{"affirmed":["us_citizen_or_lpr","own_funds","not_federal_contractor","age_18_or_older"]}}"#
            ),
            ["foreign_payment@contribution.bank_country"]
        );
        assert_eq!(codes(r#"{"signals":{"ip_country":"DE"}}"#), ["foreign_ip@signals.ip_country"]);
        for geo in ["XX", "EU", "A1", "??"] {
            assert!(codes(&format!(r#"{{"signals":{{"ip_country":"{geo}"}}}}"#)).is_empty(), "{geo}");
        }
    }
}

//! Required fields, state, ZIP and unknown countries (RULES.md readings 2-4).

use super::{Ctx, Findings};
use crate::findings::Code;
use crate::normalize::{CountryField, Locale, STATES};

pub fn check(ctx: &Ctx<'_, '_>, out: &mut Findings<'_>) {
    let f = ctx.form;
    let required: [(bool, &'static str); 6] = [
        (f.recipient_type.is_some(), "recipient.type"),
        (f.first_name.is_some(), "donor.first_name"),
        (f.last_name.is_some(), "donor.last_name"),
        (f.line1.is_some(), "donor.address.line1"),
        (f.city.is_some(), "donor.address.city"),
        (f.country.is_given(), "donor.address.country"),
    ];
    for (given, field) in required {
        if !given {
            out.add(Code::FieldRequired, field);
        }
    }

    if ctx.locale == Locale::Domestic {
        match f.state.as_deref() {
            None => out.add(Code::FieldRequired, "donor.address.state"),
            Some(s) if !STATES.contains(&s) => out.add(Code::StateInvalid, "donor.address.state"),
            Some(_) => {}
        }
        match f.postal_code.as_deref() {
            None => out.add(Code::FieldRequired, "donor.address.postal_code"),
            Some(z) if !is_zip(z) => out.add(Code::PostalCodeInvalid, "donor.address.postal_code"),
            Some(_) => {}
        }
    }

    let countries: [(bool, &'static str); 4] = [
        (matches!(f.country, CountryField::Unknown(_)), "donor.address.country"),
        (matches!(f.passport_country, CountryField::Unknown(_)), "donor.passport.country"),
        (matches!(ctx.extra.card_country, Some((CountryField::Unknown(_), _))), "contribution.card.country"),
        (matches!(ctx.extra.bank_country, Some((CountryField::Unknown(_), _))), "contribution.bank_country"),
    ];
    for (unknown, field) in countries {
        if unknown {
            out.add(Code::CountryUnknown, field);
        }
    }
}

/// `12345` or `12345-6789`, exactly.
pub fn is_zip(z: &str) -> bool {
    let b = z.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match b.len() {
        5 => digits(b),
        10 => b.get(5) == Some(&b'-') && b.get(..5).is_some_and(digits) && b.get(6..).is_some_and(digits),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::codes;

    #[test]
    fn zip_is_five_digits_or_zip_plus_four() {
        for ok in ["62701", "12345-6789", "00501"] {
            assert!(is_zip(ok), "{ok}");
        }
        for bad in ["1234", "123456789", "12345-678", "12345 6789", "M5S 1G4", "6270a", "12345-67890"] {
            assert!(!is_zip(bad), "{bad}");
        }
    }

    #[test]
    fn domestic_address_needs_state_and_zip() {
        assert_eq!(codes(r#"{"donor":{"address":{"state":null}}}"#), ["field_required@donor.address.state"]);
        assert_eq!(
            codes(r#"{"donor":{"address":{"postal_code":"  "}}}"#),
            ["field_required@donor.address.postal_code"]
        );
        assert_eq!(codes(r#"{"donor":{"address":{"state":"Illinois"}}}"#), ["state_invalid@donor.address.state"]);
        assert_eq!(codes(r#"{"donor":{"address":{"state":" il "}}}"#), Vec::<String>::new());
        assert_eq!(
            codes(r#"{"donor":{"address":{"postal_code":"123456789"}}}"#),
            ["postal_code_invalid@donor.address.postal_code"]
        );
    }

    #[test]
    fn territories_and_military_mail_are_domestic() {
        assert!(codes(r#"{"donor":{"address":{"country":"PR","state":"PR","postal_code":"00901"}}}"#).is_empty());
        assert!(codes(r#"{"donor":{"address":{"state":"PR","postal_code":"00901"}}}"#).is_empty());
        assert!(codes(r#"{"donor":{"address":{"city":"apo","state":"AE","postal_code":"09021"}}}"#).is_empty());
        // Military mail with any recognised country is domestic, so it needs a ZIP.
        assert_eq!(
            codes(r#"{"donor":{"address":{"city":"FPO","state":"AP","country":"JP","postal_code":null}}}"#),
            ["field_required@donor.address.postal_code"]
        );
        // AA/AE/AP are valid states even without a military city.
        assert!(codes(r#"{"donor":{"address":{"state":"AA"}}}"#).is_empty());
    }

    #[test]
    fn freely_associated_states_are_foreign() {
        // Palau as the state of a US address: a foreign address, so a passport is needed.
        assert_eq!(
            codes(r#"{"donor":{"address":{"state":"PW","postal_code":"96940"}}}"#),
            ["us_passport_required@donor.passport.number"]
        );
        assert_eq!(
            codes(r#"{"donor":{"address":{"country":"Micronesia","state":null,"postal_code":null}}}"#),
            ["us_passport_required@donor.passport.number"]
        );
    }

    #[test]
    fn unknown_country_is_neither_domestic_nor_foreign() {
        assert_eq!(
            codes(r#"{"donor":{"address":{"country":"Narnia","state":null,"postal_code":null}}}"#),
            ["country_unknown@donor.address.country"]
        );
        assert_eq!(
            codes(r#"{"donor":{"passport":{"country":"Atlantis","number":"X1"}}}"#),
            ["country_unknown@donor.passport.country"]
        );
        assert_eq!(
            codes(r#"{"contribution":{"bank_country":"ZZ","card":{"country":"QQ"}}}"#),
            ["country_unknown@contribution.bank_country", "country_unknown@contribution.card.country"]
        );
    }

    #[test]
    fn every_required_field() {
        assert_eq!(
            codes(r#"{"recipient":null,"donor":{"first_name":"","last_name":null,"address":null}}"#),
            [
                "field_required@donor.address.city",
                "field_required@donor.address.country",
                "field_required@donor.address.line1",
                "field_required@donor.first_name",
                "field_required@donor.last_name",
                "field_required@recipient.type",
            ]
        );
    }
}

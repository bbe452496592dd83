//! Amount, currency, contribution limits, cash and itemization (RULES.md reading 6, 7).

use super::{Ctx, Findings};
use crate::findings::Code;
use crate::model::Method;
use crate::money;
use crate::normalize::Form;
use crate::ruleset::{Period, Ruleset};
use rust_decimal::Decimal;

/// The amount when it is valid: the syntax, positive, at most the ceiling.
pub fn valid_amount(form: &Form<'_>, rs: &Ruleset) -> Option<Decimal> {
    let value = money::parse(form.amount.as_deref()?)?;
    (value > Decimal::ZERO && value <= rs.data.amount_ceiling).then_some(value)
}

pub fn check(ctx: &Ctx<'_, '_>, out: &mut Findings<'_>) {
    let f = ctx.form;
    if f.currency != ctx.rs.data.currency {
        out.add(Code::ForeignCurrency, "contribution.currency");
    }
    let Some(amount) = ctx.amount else {
        out.add(Code::AmountInvalid, "contribution.amount");
        return;
    };

    // Limits: a non-USD amount is still held to the dollar limits.
    // A limit with no period applies to each contribution alone.
    if let Some(limit) = f.recipient_type.and_then(|t| ctx.rs.limit(t)) {
        let prior = if limit.per == Period::None { Decimal::ZERO } else { ctx.extra.prior_total };
        if prior + amount > limit.amount {
            let remaining = (limit.amount - prior).max(Decimal::ZERO);
            out.add_filled(
                Code::ExceedsLimit,
                "contribution.amount",
                &[
                    ("limit", &money::usd(limit.amount)),
                    ("per", limit.per.words_in(out.language())),
                    ("remaining", &money::usd(remaining)),
                ],
                &[
                    ("limit", limit.amount.to_string()),
                    ("period", limit.per.as_str().to_owned()),
                    ("remaining", remaining.to_string()),
                ],
            );
        }
    }

    if f.method == Some(Method::Cash) && amount > ctx.rs.data.cash_limit {
        let limit = ctx.rs.data.cash_limit;
        out.add_filled(
            Code::CashLimit,
            "contribution.amount",
            &[("limit", &money::usd(limit))],
            &[("limit", limit.to_string())],
        );
    }

    // A cycle never totals less than one of its elections.
    let aggregate = ctx.extra.prior_total.max(ctx.extra.cycle_total) + amount;
    if aggregate > ctx.rs.data.itemization_threshold {
        let threshold = money::usd(ctx.rs.data.itemization_threshold);
        let raw = ctx.rs.data.itemization_threshold.to_string();
        for (given, field) in [(f.employer.is_some(), "donor.employer"), (f.occupation.is_some(), "donor.occupation")] {
            if !given {
                out.add_filled(
                    Code::ItemizationInfoMissing,
                    field,
                    &[("threshold", &threshold)],
                    &[("threshold", raw.clone())],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{codes, verdict_with};

    #[test]
    fn amounts() {
        for ok in [r#""0.01""#, "25", "25.5", "1e3", r#""3500""#] {
            assert!(codes(&format!(r#"{{"contribution":{{"amount":{ok}}}}}"#)).is_empty(), "{ok}");
        }
        for bad in [
            r#""1e3""#,
            r#""+5""#,
            r#"" 25""#,
            r#""25.000""#,
            r#""0""#,
            "0",
            "-5",
            "25.001",
            r#""""#,
            "null",
            r#""ten""#,
            r#""1,000""#,
        ] {
            assert_eq!(
                codes(&format!(r#"{{"contribution":{{"amount":{bad}}}}}"#)),
                ["amount_invalid@contribution.amount"],
                "{bad}"
            );
        }
    }

    #[test]
    fn over_the_ceiling_is_invalid_and_skips_the_other_amount_rules() {
        assert_eq!(
            codes(
                r#"{"recipient":{"type":"pac"},"contribution":{"amount":"1000000000.01","method":"cash","card":null},"donor":{"employer":null}}"#
            ),
            ["amount_invalid@contribution.amount", "attestation_missing@attestations.personal_card"]
                .into_iter()
                .filter(|c| !c.contains("personal_card"))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn limit_message_states_the_headroom() {
        let v = verdict_with(r#"{"contribution":{"amount":"500.00"},"history":{"prior_total":"3200"}}"#);
        let f = &v.findings[0];
        assert_eq!(f.code.as_str(), "exceeds_limit");
        assert!(f.message.contains("$3,500.00"), "{}", f.message);
        assert!(f.message.contains("$300.00 more"), "{}", f.message);
        assert!(f.message.contains("per election"), "{}", f.message);
        assert!(codes(r#"{"contribution":{"amount":"300.00"},"history":{"prior_total":"3200"}}"#).is_empty());
    }

    #[test]
    fn each_recipient_type_has_its_limit() {
        for (t, at, over) in [
            ("candidate", "3500", "3500.01"),
            ("pac", "5000", "5000.01"),
            ("party_national", "44300", "44300.01"),
            ("party_state", "10000", "10000.01"),
        ] {
            assert!(
                codes(&format!(r#"{{"recipient":{{"type":"{t}"}},"contribution":{{"amount":"{at}"}}}}"#)).is_empty()
            );
            assert_eq!(
                codes(&format!(r#"{{"recipient":{{"type":"{t}"}},"contribution":{{"amount":"{over}"}}}}"#)),
                ["exceeds_limit@contribution.amount"]
            );
        }
        // The election never changes the candidate limit.
        assert_eq!(
            codes(r#"{"recipient":{"election":"general"},"contribution":{"amount":"3500.01"}}"#),
            ["exceeds_limit@contribution.amount"]
        );
    }

    #[test]
    fn foreign_currency_is_still_held_to_dollar_limits() {
        assert_eq!(
            codes(r#"{"contribution":{"amount":"4000","currency":"eur"}}"#),
            ["exceeds_limit@contribution.amount", "foreign_currency@contribution.currency"]
        );
        assert!(codes(r#"{"contribution":{"currency":" usd "}}"#).is_empty());
    }

    #[test]
    fn cash_over_100() {
        let cash = r#""method":"cash","card":null"#;
        assert!(codes(&format!(r#"{{"contribution":{{"amount":"100",{cash}}}}}"#)).is_empty());
        assert_eq!(
            codes(&format!(r#"{{"contribution":{{"amount":"100.01",{cash}}}}}"#)),
            ["cash_limit@contribution.amount"]
        );
    }

    #[test]
    fn itemization_uses_the_larger_of_prior_and_cycle_totals() {
        let no_job = r#""donor":{"employer":"","occupation":null}"#;
        assert!(codes(&format!(r#"{{{no_job},"contribution":{{"amount":"200"}}}}"#)).is_empty());
        assert_eq!(
            codes(&format!(r#"{{{no_job},"contribution":{{"amount":"200.01"}}}}"#)),
            ["itemization_info_missing@donor.employer", "itemization_info_missing@donor.occupation"]
        );
        assert_eq!(
            codes(&format!(r#"{{{no_job},"history":{{"prior_total":"10","cycle_total":"190"}}}}"#)),
            ["itemization_info_missing@donor.employer", "itemization_info_missing@donor.occupation"]
        );
        assert!(codes(&format!(r#"{{{no_job},"history":{{"prior_total":"175","cycle_total":"0"}}}}"#)).is_empty());
    }
}

//! `check`: the one entry point every layer calls (browser, Node, HTTP, CLI).

use crate::canonical::submission_digest;
use crate::findings::{decide, sort, Code, RulesetRef, Verdict, ENGINE};
use crate::model::Submission;
use crate::normalize::{self, Client, Extra};
use crate::rules;
use crate::ruleset::Ruleset;

/// Checks one submission under a ruleset. A rule outcome is never an error: every submission
/// gets a verdict. (Input that is not a submission is refused earlier, by [`crate::parse`].)
pub fn check<'r>(sub: &Submission, rs: &'r Ruleset) -> Verdict<'r> {
    let form = normalize::form(sub);
    let extra = normalize::extra(sub);
    let mut findings = rules::run(&form, &extra, rs);
    let digest = submission_digest(&form, rs.id());

    if let Some(client) = &extra.client {
        if client_mismatch(client, &form, rs, &digest) {
            let mut mismatch = rules::Findings::in_language(rs, form.language);
            mismatch.add(Code::ClientVerdictMismatch, "client_verdict");
            findings.extend(mismatch.into_vec());
        }
    }

    sort(&mut findings);
    Verdict {
        decision: decide(&findings),
        findings,
        ruleset: RulesetRef { id: rs.id(), digest: &rs.digest },
        submission_digest: digest,
        engine: ENGINE,
    }
}

/// Whether the browser's verdict differs from the engine's verdict on the form part alone:
/// the browser never sees the card's country, the IP or the ledger, so a later review or reject
/// from those is not a mismatch; a form the browser should have rejected is.
fn client_mismatch(client: &Client<'_>, form: &normalize::Form<'_>, rs: &Ruleset, digest: &str) -> bool {
    let form_only = decide(&rules::run(form, &Extra::default(), rs));
    client.decision != Some(form_only)
        || client.submission_digest.as_deref().is_some_and(|d| d != digest)
        || client.ruleset_digest.as_deref().is_some_and(|d| d != rs.digest)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{codes, verdict_with};

    #[test]
    fn client_verdict_that_agrees_is_silent() {
        let v = verdict_with("{}");
        let rd = v.ruleset.digest;
        let sd = v.submission_digest.clone();
        let patch = format!(
            r#"{{"client_verdict":{{"decision":"accept","submission_digest":"{sd}","ruleset_digest":"{rd}"}}}}"#
        );
        assert!(codes(&patch).is_empty(), "{:?}", codes(&patch));
        // Only the decision given: compared on the decision alone.
        assert!(codes(r#"{"client_verdict":{"decision":"accept"}}"#).is_empty());
    }

    #[test]
    fn client_verdict_ignores_what_the_browser_cannot_see() {
        // The card's country makes it a review on the server, but the browser's accept was
        // right for the form it had.
        assert_eq!(
            codes(
                r#"{"contribution":{"card":{"country":"CA"}},"signals":{"ip_country":"CA"},"history":{"prior_total":"3490"},"client_verdict":{"decision":"accept"}}"#
            ),
            [
                "exceeds_limit@contribution.amount",
                "foreign_payment@contribution.card.country",
                "foreign_ip@signals.ip_country"
            ]
        );
    }

    #[test]
    fn client_verdict_mismatch_on_decision_or_digest() {
        assert_eq!(codes(r#"{"client_verdict":{"decision":"reject"}}"#), ["client_verdict_mismatch@client_verdict"]);
        assert_eq!(
            codes(r#"{"client_verdict":{"decision":"accept","submission_digest":"sha256:00"}}"#),
            ["client_verdict_mismatch@client_verdict"]
        );
        assert_eq!(
            codes(r#"{"client_verdict":{"decision":"accept","ruleset_digest":"sha256:00"}}"#),
            ["client_verdict_mismatch@client_verdict"]
        );
        // The browser let through a form it should have rejected.
        assert_eq!(
            codes(r#"{"donor":{"citizenship":"foreign_national"},"client_verdict":{"decision":"accept"}}"#),
            ["foreign_national@donor.citizenship", "client_verdict_mismatch@client_verdict"]
        );
        // A client verdict without a decision cannot agree.
        assert_eq!(codes(r#"{"client_verdict":{}}"#), ["client_verdict_mismatch@client_verdict"]);
    }

    #[test]
    fn digest_ignores_server_side_parts_and_formatting() {
        let a = verdict_with("{}").submission_digest;
        let b = verdict_with(
            r#"{"id":"x","signals":{"ip_country":"FR"},"history":{"prior_total":"10"},"contribution":{"card":{"country":"FR"},"bank_country":"US"},"client_verdict":{"decision":"accept"}}"#,
        )
        .submission_digest;
        assert_eq!(a, b);
        let c = verdict_with(
            r#"{"donor":{"first_name":"  Ada ","address":{"country":"united states","state":"il"},"email":"other@example.org"},"contribution":{"amount":25,"currency":"usd"}}"#,
        )
        .submission_digest;
        assert_eq!(a, c);
        let d = verdict_with(r#"{"contribution":{"amount":"25.01"}}"#).submission_digest;
        assert_ne!(a, d);
    }
}

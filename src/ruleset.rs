//! Rulesets are data: limits, thresholds, attestation texts, severities, citations and the
//! donor-facing messages of one jurisdiction and cycle, in a JSON file embedded at build time.
//! A new cycle is a new file `src/rulesets/<id>.json`, embedded by `build.rs`: no new code.

use crate::findings::{Code, Severity};
use crate::model::RecipientType;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The rulesets compiled into this build, by id (file stem), sorted: every `src/rulesets/*.json`,
/// as listed by `build.rs`.
const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/rulesets.rs"));

/// The id used when a submission names none.
pub const DEFAULT_RULESET: &str = "us-federal-2025-2026";

/// The ruleset file, exactly as written.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RulesetData {
    pub id: String,
    pub title: String,
    pub currency: String,
    pub limits: BTreeMap<RecipientType, Limit>,
    pub itemization_threshold: Decimal,
    pub cash_limit: Decimal,
    pub amount_ceiling: Decimal,
    pub attestations: Vec<Attestation>,
    pub findings: BTreeMap<Code, FindingSpec>,
}

/// A contribution limit and the period it runs over.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub amount: Decimal,
    pub per: Period,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Election,
    CalendarYear,
}

impl Period {
    /// How the period reads in a sentence.
    pub fn words(self) -> &'static str {
        match self {
            Period::Election => "election",
            Period::CalendarYear => "calendar year",
        }
    }
}

/// A statement the donor affirms.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    pub id: String,
    pub required: Required,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

/// When an attestation is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Required {
    Always,
    /// Only when `contribution.method` is exactly `card`.
    Card,
}

/// What a finding code means in this ruleset.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FindingSpec {
    pub severity: Severity,
    /// The severity when the safe harbor applies (a valid U.S. passport from an overseas
    /// citizen): `foreign_payment` drops to info.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_harbor_severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// Donor-facing, one voice; `{limit}`, `{per}`, `{remaining}` and `{threshold}` are filled in.
    pub message: String,
}

/// A loaded ruleset with its computed digests.
#[derive(Debug, Clone, PartialEq)]
pub struct Ruleset {
    pub data: RulesetData,
    /// `sha256:` + hex SHA-256 of the ruleset's compact JSON (fields in file order, maps sorted).
    pub digest: String,
    /// `sha256:` + hex SHA-256 of the attestation texts, each followed by `\n` (RULES.md).
    pub attestation_digest: String,
    specs: Vec<FindingSpec>,
}

/// What `donation-guard rules` and `ruleset()` print.
#[derive(Serialize)]
struct RulesetDoc<'a> {
    digest: &'a str,
    attestation_digest: &'a str,
    #[serde(flatten)]
    data: &'a RulesetData,
}

/// Why a ruleset file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesetError {
    #[error("ruleset is not valid JSON for a ruleset: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("ruleset {id} has no entry for finding code {code}")]
    MissingFinding { id: String, code: &'static str },
}

impl Ruleset {
    /// Loads a ruleset from its JSON text, refusing one that lacks a finding code.
    pub fn from_json(text: &str) -> Result<Ruleset, RulesetError> {
        let data: RulesetData = serde_json::from_str(text)?;
        let mut specs = Vec::with_capacity(Code::ALL.len());
        for code in Code::ALL {
            match data.findings.get(code) {
                Some(spec) => specs.push(spec.clone()),
                None => return Err(RulesetError::MissingFinding { id: data.id.clone(), code: code.as_str() }),
            }
        }
        let digest = sha256_tagged(serde_json::to_string(&data)?.as_bytes());
        let mut texts = String::new();
        for a in &data.attestations {
            texts.push_str(&a.text);
            texts.push('\n');
        }
        let attestation_digest = sha256_tagged(texts.as_bytes());
        Ok(Ruleset { data, digest, attestation_digest, specs })
    }

    pub fn id(&self) -> &str {
        &self.data.id
    }

    /// The entry for a finding code (every code has one: [`Ruleset::from_json`] checks).
    pub fn spec(&self, code: Code) -> &FindingSpec {
        self.specs.get(code as usize).unwrap_or(&FALLBACK)
    }

    pub fn limit(&self, recipient: RecipientType) -> Option<&Limit> {
        self.data.limits.get(&recipient)
    }

    /// The ruleset as the CLI and the JS API print it: the file plus its digests.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.doc()).unwrap_or_default()
    }

    /// Serialises the printable form with any serde serializer (the wasm build uses this).
    pub fn serialize_doc<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.doc().serialize(serializer)
    }

    fn doc(&self) -> RulesetDoc<'_> {
        RulesetDoc { digest: &self.digest, attestation_digest: &self.attestation_digest, data: &self.data }
    }
}

static FALLBACK: FindingSpec =
    FindingSpec { severity: Severity::Reject, safe_harbor_severity: None, citation: None, message: String::new() };

/// `sha256:` + lowercase hex.
pub fn sha256_tagged(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for b in hash {
        out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
        out.push(char::from(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn loaded() -> &'static [Result<Ruleset, String>] {
    static LOADED: OnceLock<Vec<Result<Ruleset, String>>> = OnceLock::new();
    LOADED
        .get_or_init(|| EMBEDDED.iter().map(|(_, text)| Ruleset::from_json(text).map_err(|e| e.to_string())).collect())
}

/// An embedded ruleset by id; `None` for an unknown id.
pub fn get(id: &str) -> Option<&'static Ruleset> {
    loaded().iter().filter_map(|r| r.as_ref().ok()).find(|r| r.id() == id)
}

/// The default ruleset.
pub fn default_ruleset() -> Option<&'static Ruleset> {
    get(DEFAULT_RULESET)
}

/// The ids of every embedded ruleset.
pub fn ids() -> impl Iterator<Item = &'static str> {
    EMBEDDED.iter().map(|(id, _)| *id)
}

/// Load problems of the embedded files (empty in a good build; the tests assert it).
pub fn load_errors() -> Vec<String> {
    loaded().iter().filter_map(|r| r.as_ref().err().cloned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_text() -> &'static str {
        EMBEDDED.iter().find(|(id, _)| *id == DEFAULT_RULESET).unwrap().1
    }

    #[test]
    fn every_embedded_ruleset_loads_under_its_own_id() {
        assert!(load_errors().is_empty(), "{:?}", load_errors());
        for id in ids() {
            assert_eq!(get(id).map(Ruleset::id), Some(id));
        }
    }

    #[test]
    fn every_file_in_src_rulesets_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rulesets");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = EMBEDDED.iter().map(|(id, _)| *id).collect();
        assert_eq!(embedded, on_disk);
        assert!(embedded.contains(&DEFAULT_RULESET));
    }

    #[test]
    fn attestation_digest_matches_rules_md() {
        let rs = default_ruleset().unwrap();
        assert_eq!(rs.attestation_digest, "sha256:d0332970267738fa405792f1e33c1d4a69f33666866632cb6cd322e1a12feae6");
    }

    #[test]
    fn limits_match_rules_md() {
        let rs = default_ruleset().unwrap();
        let amount = |t| rs.limit(t).unwrap().amount.to_string();
        assert_eq!(amount(RecipientType::Candidate), "3500.00");
        assert_eq!(amount(RecipientType::Pac), "5000.00");
        assert_eq!(amount(RecipientType::PartyNational), "44300.00");
        assert_eq!(amount(RecipientType::PartyState), "10000.00");
        assert_eq!(rs.data.cash_limit.to_string(), "100.00");
        assert_eq!(rs.data.itemization_threshold.to_string(), "200.00");
    }

    #[test]
    fn a_ruleset_missing_a_code_is_refused() {
        let mut v: serde_json::Value = serde_json::from_str(default_text()).unwrap();
        v["findings"].as_object_mut().unwrap().remove("cash_limit");
        let err = Ruleset::from_json(&v.to_string()).unwrap_err();
        assert!(err.to_string().contains("cash_limit"), "{err}");
    }

    #[test]
    fn digest_changes_with_any_word() {
        let a = default_ruleset().unwrap();
        let text = default_text().replace("I am at least 18 years old.", "I am at least 21 years old.");
        let b = Ruleset::from_json(&text).unwrap();
        assert_ne!(a.digest, b.digest);
        assert_ne!(a.attestation_digest, b.attestation_digest);
        // Whitespace in the file is not part of the digest.
        let c = Ruleset::from_json(&default_text().replace("\n", "\n  ")).unwrap();
        assert_eq!(a.digest, c.digest);
    }

    #[test]
    fn another_ruleset_is_data_not_code() {
        // A state's cycle with its own limit, words and severities: the same engine applies it.
        let text = default_text()
            .replace("\"id\": \"us-federal-2025-2026\"", "\"id\": \"us-xx-2026\"")
            .replace("\"3500.00\"", "\"100.00\"")
            .replace("I am at least 18 years old.", "I am at least 16 years old.");
        let rs = Ruleset::from_json(&text).unwrap();
        let sub = crate::parse(
            br#"{"recipient":{"type":"candidate"},"contribution":{"amount":"150","method":"ach"},
                 "attestations":{"version":"sha256:d0332970267738fa405792f1e33c1d4a69f33666866632cb6cd322e1a12feae6"}}"#,
        )
        .unwrap();
        let v = crate::check(&sub, &rs);
        assert_eq!(v.ruleset.id, "us-xx-2026");
        let limit = v.findings.iter().find(|f| f.code == Code::ExceedsLimit).unwrap();
        assert!(limit.message.contains("$100.00"), "{}", limit.message);
        // The donor saw the federal words, not this ruleset's.
        assert!(v.has(Code::AttestationVersionMismatch));
    }

    #[test]
    fn the_printed_ruleset_has_each_key_once() {
        let text = default_ruleset().unwrap().to_json_pretty();
        assert_eq!(text.matches("\"id\": \"us-federal-2025-2026\"").count(), 1, "{text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["id"], "us-federal-2025-2026");
        assert!(v["digest"].as_str().unwrap().starts_with("sha256:"));
    }

    #[test]
    fn severities_match_rules_md() {
        let rs = default_ruleset().unwrap();
        for code in Code::ALL {
            assert_eq!(rs.spec(*code).severity, code.catalogue_severity(), "{}", code.as_str());
        }
        assert_eq!(rs.spec(Code::ForeignPayment).safe_harbor_severity, Some(Severity::Info));
    }
}

//! Sanctions screening of donor names against OFAC's Specially Designated Nationals list
//! (`sdn.csv`, optionally `alt.csv`), for Executive Order 13848 (31 CFR Part 579) and every
//! other SDN program (50 U.S.C. 1701-1706; 31 CFR Part 501).
//!
//! Native only: the list never enters the wasm build (lib.rs cfg's this module out), both for
//! its size and so as not to tip off a listed person.
//!
//! Matching: every name (primary and alias) is folded into tokens ([`fold_token`]: NFKD,
//! diacritics dropped, case-folded, punctuation dropped, transliteration variants folded).
//! A blocking index (symmetric deletion) maps each required token, and its spellings with one
//! letter deleted, to the names that carry it, so a donor is compared only with names one of
//! whose required tokens is within one edit of a donor token. Candidates are
//! scored by token-level Jaro-Winkler with a one-to-one (greedy, best first) token assignment,
//! order-free. An individual's surname tokens and first given name are required: each must be
//! met by a donor token. Other entry tokens (middle names, patronymics) that the donor omits cost
//! little; donor tokens the entry lacks cost more.

mod csv;
mod matcher;

pub use matcher::{fold_token, jaro_winkler, score_tokens};

use crate::findings::{Code, Finding, Verdict};
use crate::model::{Blankable, DonorKind, Submission};
use std::collections::{BTreeMap, HashMap};

/// Why a list cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SanctionsError {
    #[error("the sanctions list is empty")]
    Empty,
    #[error("{file} line {line}: {reason}")]
    Malformed { file: &'static str, line: usize, reason: String },
}

/// What an SDN entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Individual,
    /// `-0-` in the type column: companies, agencies, groups.
    Entity,
    /// Vessels and aircraft: never matched against donors.
    Other,
}

/// One SDN entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub uid: u64,
    pub name: String,
    pub kind: EntryKind,
    /// As `[A] [B]`.
    pub programs: String,
}

/// One searchable name (the primary name or an alias) of an entry.
#[derive(Debug, Clone)]
struct Name {
    entry: u32,
    /// Folded tokens; the first `required` ... see `required`.
    tokens: Vec<String>,
    /// Per token: whether the donor must cover it.
    required: Vec<bool>,
}

/// The thresholds: `score >= reject` is `sanctions_match`, `score >= review` is
/// `sanctions_possible_match`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub reject: f64,
    pub review: f64,
}

/// Defaults chosen from the evaluation (README, "Sanctions screening").
impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { reject: DEFAULT_REJECT, review: DEFAULT_REVIEW }
    }
}

pub const DEFAULT_REJECT: f64 = 0.93;
pub const DEFAULT_REVIEW: f64 = 0.88;

/// The best match of a name against the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'a> {
    pub entry: &'a Entry,
    pub score: f64,
}

/// A loaded, indexed SDN list.
#[derive(Debug, Clone)]
pub struct SanctionsList {
    entries: Vec<Entry>,
    names: Vec<Name>,
    /// Token prefix -> names (indices into `names`), for individuals and for entities apart.
    persons: HashMap<String, Vec<u32>>,
    entities: HashMap<String, Vec<u32>>,
    digest: String,
}

/// Words of entity names that say nothing about which entity it is.
const ENTITY_STOP: &[&str] = &[
    "the",
    "of",
    "and",
    "llc",
    "ltd",
    "limited",
    "inc",
    "co",
    "company",
    "corp",
    "corporation",
    "sa",
    "de",
    "cv",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "ooo",
    "oao",
    "zao",
    "ao",
    "gmbh",
    "ag",
    "bv",
    "plc",
    "srl",
    "fze",
    "fzco",
    "group",
    "llp",
    "lp",
    "pvt",
    "pte",
    "bhd",
    "sdn",
];

/// Words of donor names that are no part of a name.
const PERSON_STOP: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "jr", "sr", "ii", "iii", "iv", "md", "phd", "esq"];

/// The blocking keys of a folded token: the token and, from four letters on, each spelling with
/// one letter deleted (a symmetric-deletion index: two tokens one edit apart share a key).
fn keys(token: &str) -> Vec<String> {
    let chars: Vec<char> = token.chars().collect();
    let mut out = vec![token.to_string()];
    if chars.len() >= 4 {
        for i in 0..chars.len() {
            out.push(chars.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| *c).collect());
        }
    }
    out
}

impl SanctionsList {
    /// Parses `sdn.csv` (and `alt.csv`) as OFAC publishes them and builds the index.
    pub fn load(sdn_csv: &[u8], alt_csv: Option<&[u8]>) -> Result<SanctionsList, SanctionsError> {
        let mut entries = Vec::new();
        let mut raw_names: Vec<(u32, String)> = Vec::new();
        let mut by_uid: HashMap<u64, u32> = HashMap::new();
        for rec in csv::records(sdn_csv) {
            let (line, fields) = rec;
            let get = |i: usize| fields.get(i).map(String::as_str).unwrap_or("");
            if fields.len() < 4 {
                return Err(SanctionsError::Malformed {
                    file: "sdn.csv",
                    line,
                    reason: format!("{} columns, expected 12 (uid, name, type, programs, ...)", fields.len()),
                });
            }
            let uid: u64 = get(0).parse().map_err(|_| SanctionsError::Malformed {
                file: "sdn.csv",
                line,
                reason: "the first column (uid) is not a number".into(),
            })?;
            let name = get(1).to_string();
            if name.is_empty() {
                return Err(SanctionsError::Malformed { file: "sdn.csv", line, reason: "empty name".into() });
            }
            let kind = match get(2).to_ascii_lowercase().as_str() {
                "individual" => EntryKind::Individual,
                "" => EntryKind::Entity,
                _ => EntryKind::Other,
            };
            let programs = get(3)
                .split(['[', ']'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| format!("[{p}]"))
                .collect::<Vec<_>>()
                .join(" ");
            let idx = u32::try_from(entries.len()).map_err(|_| SanctionsError::Malformed {
                file: "sdn.csv",
                line,
                reason: "too many entries".into(),
            })?;
            by_uid.insert(uid, idx);
            raw_names.push((idx, name.clone()));
            for alias in csv::remark_aliases(get(11)) {
                raw_names.push((idx, alias));
            }
            entries.push(Entry { uid, name, kind, programs });
        }
        if entries.is_empty() {
            return Err(SanctionsError::Empty);
        }
        if let Some(alt) = alt_csv {
            for (line, fields) in csv::records(alt) {
                if fields.len() < 4 {
                    return Err(SanctionsError::Malformed {
                        file: "alt.csv",
                        line,
                        reason: format!("{} columns, expected 5 (uid, alt_num, type, alt_name, remarks)", fields.len()),
                    });
                }
                let uid: u64 = fields.first().and_then(|u| u.parse().ok()).ok_or_else(|| {
                    SanctionsError::Malformed { file: "alt.csv", line, reason: "the uid is not a number".into() }
                })?;
                let Some(&idx) = by_uid.get(&uid) else { continue };
                if let Some(alias) = fields.get(3).filter(|a| !a.is_empty()) {
                    raw_names.push((idx, alias.clone()));
                }
            }
        }
        let mut digest_input = sdn_csv.to_vec();
        if let Some(alt) = alt_csv {
            digest_input.extend_from_slice(alt);
        }
        let mut list = SanctionsList {
            entries,
            names: Vec::new(),
            persons: HashMap::new(),
            entities: HashMap::new(),
            digest: crate::ruleset::sha256_tagged(&digest_input),
        };
        let mut seen = std::collections::HashSet::new();
        for (idx, raw) in raw_names {
            let Some(kind) = list.entries.get(idx as usize).map(|e| e.kind) else { continue };
            let name = match kind {
                EntryKind::Individual => person_name(&raw),
                EntryKind::Entity => entity_name(&raw),
                EntryKind::Other => continue,
            };
            if name.tokens.is_empty() || !seen.insert((idx, name.tokens.clone())) {
                continue;
            }
            let n = u32::try_from(list.names.len()).unwrap_or(u32::MAX);
            let index = if kind == EntryKind::Individual { &mut list.persons } else { &mut list.entities };
            // Only required tokens are keys: a name is a candidate when one of them is within one
            // edit of a donor token.
            let mut ks: Vec<String> =
                name.tokens.iter().zip(&name.required).filter(|(_, r)| **r).flat_map(|(t, _)| keys(t)).collect();
            ks.sort();
            ks.dedup();
            for k in ks {
                index.entry(k).or_default().push(n);
            }
            list.names.push(Name { entry: idx, ..name });
        }
        Ok(list)
    }

    /// `sha256:` + hex SHA-256 of the sdn.csv bytes followed by the alt.csv bytes (if any).
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The number of SDN entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The number of searchable names (primary names and aliases of individuals and entities).
    pub fn names(&self) -> usize {
        self.names.len()
    }

    /// The entries, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Approximate heap bytes held by the entries, the names and the index.
    pub fn heap_bytes(&self) -> usize {
        let s = std::mem::size_of::<String>();
        let entries: usize =
            self.entries.iter().map(|e| std::mem::size_of::<Entry>() + e.name.capacity() + e.programs.capacity()).sum();
        let names: usize = self
            .names
            .iter()
            .map(|n| {
                std::mem::size_of::<Name>()
                    + n.tokens.iter().map(|t| s + t.capacity()).sum::<usize>()
                    + n.required.capacity()
            })
            .sum();
        let index: usize = [&self.persons, &self.entities]
            .iter()
            .flat_map(|m| m.iter())
            .map(|(k, v)| s + k.capacity() + std::mem::size_of::<Vec<u32>>() + v.capacity() * 4 + 8)
            .sum();
        entries + names + index
    }

    /// The best-scoring entry for a person's name (any order, any split between first and last).
    pub fn best_person(&self, full_name: &str) -> Option<Hit<'_>> {
        let tokens = tokens_of(full_name, PERSON_STOP);
        self.best(&tokens, &self.persons)
    }

    /// The best-scoring entity for an organization's name.
    pub fn best_entity(&self, name: &str) -> Option<Hit<'_>> {
        let tokens = tokens_of(name, ENTITY_STOP);
        self.best(&tokens, &self.entities)
    }

    /// How many names a person's name is scored against (the blocking index's yield).
    pub fn candidates(&self, full_name: &str) -> usize {
        self.candidate_list(&tokens_of(full_name, PERSON_STOP), &self.persons).len()
    }

    fn candidate_list(&self, tokens: &[String], index: &HashMap<String, Vec<u32>>) -> Vec<u32> {
        let mut cands: Vec<u32> = Vec::new();
        for t in tokens {
            for k in keys(t) {
                if let Some(list) = index.get(&k) {
                    cands.extend_from_slice(list);
                }
            }
        }
        cands.sort_unstable();
        cands.dedup();
        cands
    }

    fn best(&self, tokens: &[String], index: &HashMap<String, Vec<u32>>) -> Option<Hit<'_>> {
        if tokens.is_empty() {
            return None;
        }
        let cands = self.candidate_list(tokens, index);
        let mut best: Option<(f64, u32)> = None;
        for n in cands {
            let Some(name) = self.names.get(n as usize) else { continue };
            let s = score_tokens(tokens, &name.tokens, &name.required);
            let better = match best {
                None => true,
                Some((b, e)) => s > b || (s == b && name.entry < e),
            };
            if better {
                best = Some((s, name.entry));
            }
        }
        let (score, e) = best?;
        Some(Hit { entry: self.entries.get(e as usize)?, score })
    }

    /// The donor's best hit: individuals against individuals, `donor.kind == organization`
    /// against entities (the organization's name is `first_name` then `last_name`, joined).
    pub fn best_for(&self, sub: &Submission) -> Option<Hit<'_>> {
        let donor = sub.donor.as_ref()?;
        let first = donor.first_name.as_deref().unwrap_or("");
        let last = donor.last_name.as_deref().unwrap_or("");
        let full = format!("{first} {last}");
        match donor.kind {
            Some(Blankable::Value(DonorKind::Organization)) => self.best_entity(&full),
            _ => self.best_person(&full),
        }
    }

    /// `sanctions_match` (reject) or `sanctions_possible_match` (review) on `donor.last_name`,
    /// with the ruleset's message and citation; empty when the donor's best score is below
    /// review.
    pub fn screen(&self, sub: &Submission, cfg: &Thresholds) -> Vec<Finding<'static>> {
        let Some(hit) = self.best_for(sub) else { return Vec::new() };
        let code = if hit.score >= cfg.reject {
            Code::SanctionsMatch
        } else if hit.score >= cfg.review {
            Code::SanctionsPossibleMatch
        } else {
            return Vec::new();
        };
        let Some(rs) = crate::json::ruleset_for(sub).ok().or_else(crate::ruleset::default_ruleset) else {
            return Vec::new();
        };
        let spec = rs.spec(code);
        let mut params = BTreeMap::new();
        params.insert("sdn_uid", hit.entry.uid.to_string());
        params.insert("sdn_name", hit.entry.name.clone());
        params.insert("programs", hit.entry.programs.clone());
        params.insert("score", format!("{:.3}", hit.score));
        params.insert("list_digest", self.digest.clone());
        vec![Finding {
            code,
            severity: spec.severity,
            field: "donor.last_name".into(),
            message: spec.message.clone().into(),
            citation: spec.citation.as_deref(),
            params,
        }]
    }

    /// The verdict with the screening's findings added, re-sorted and re-decided. The
    /// submission digest and ruleset stay: the findings are server-side, not part of the form.
    pub fn amend<'r>(&self, mut verdict: Verdict<'r>, sub: &Submission, cfg: &Thresholds) -> Verdict<'r> {
        let found = self.screen(sub, cfg);
        if found.is_empty() {
            return verdict;
        }
        verdict.findings.extend(found);
        crate::findings::sort(&mut verdict.findings);
        verdict.decision = crate::findings::decide(&verdict.findings);
        verdict
    }
}

/// Folded tokens of free text, stop words dropped.
fn tokens_of(text: &str, stop: &[&str]) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '/' || c == '.')
        .filter(|w| {
            let plain: String = w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
            !stop.contains(&plain.as_str())
        })
        .map(fold_token)
        .filter(|t| !t.is_empty())
        .collect()
}

/// An individual's name: `LAST, First Middle` (surname tokens and the first given token
/// required), or without a comma `First ... Last` (first and last tokens required).
fn person_name(raw: &str) -> Name {
    let (tokens, required) = match raw.split_once(',') {
        Some((last, given)) => {
            let last = tokens_of(last, PERSON_STOP);
            let given = tokens_of(given, PERSON_STOP);
            let mut req = vec![true; last.len()];
            req.extend((0..given.len()).map(|i| i == 0));
            let mut t = last;
            t.extend(given);
            (t, req)
        }
        None => {
            let t = tokens_of(raw, PERSON_STOP);
            let n = t.len();
            let req = (0..n).map(|i| i == 0 || i + 1 == n).collect();
            (t, req)
        }
    };
    Name { entry: 0, tokens, required }
}

/// An entity's name: every token but stop words required.
fn entity_name(raw: &str) -> Name {
    let tokens = tokens_of(raw, ENTITY_STOP);
    let required = vec![true; tokens.len()];
    Name { entry: 0, tokens, required }
}

#[cfg(test)]
mod tests;

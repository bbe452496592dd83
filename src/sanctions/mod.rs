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

use matcher::Tok;
pub use matcher::{fold_token, jaro_winkler, score_tokens};

use crate::findings::{Code, Finding, Verdict};
use crate::model::{Blankable, DonorKind, Submission};
use std::collections::HashMap;

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
    /// Folded tokens (at most 16).
    tokens: Vec<Tok>,
    /// Bit `j`: token `j` must be met by a donor token.
    required: u16,
}

/// The blocking index: a key (the hash of a folded spelling, or of that spelling with one
/// byte deleted: symmetric deletion, so two spellings one edit apart share a key) -> the
/// postings `name << 4 | token`, of required tokens only, in one flat array.
#[derive(Debug, Clone, Default)]
struct Index {
    keys: HashMap<u64, (u32, u32), BuildFx>,
    postings: Vec<u32>,
}

/// FxHash (rustc's hasher): the keys are already hashes, and SipHash cost a third of a lookup.
#[derive(Debug, Clone, Copy, Default)]
struct BuildFx;
impl std::hash::BuildHasher for BuildFx {
    type Hasher = Fx;
    fn build_hasher(&self) -> Fx {
        Fx(0)
    }
}
#[derive(Debug, Clone, Copy)]
struct Fx(u64);
impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// FNV-1a of `bytes` with byte `skip` left out (`usize::MAX`: none): the key of the spelling
/// that is left, so a deletion of one spelling and another spelling whole share it.
fn key_hash(bytes: &[u8], skip: usize) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, b) in bytes.iter().enumerate() {
        if i != skip {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Calls `f` with every blocking key of a spelling: itself and, from four bytes on, each
/// one-deletion.
fn each_key(spelling: &str, mut f: impl FnMut(u64)) {
    let b = spelling.as_bytes();
    f(key_hash(b, usize::MAX));
    if b.len() >= 4 {
        for i in 0..b.len() {
            f(key_hash(b, i));
        }
    }
}

/// The spellings of a token that are looked up: its letters, its name class, its core.
fn spellings(t: &Tok, mut f: impl FnMut(&str)) {
    f(&t.f);
    if let Some(c) = t.class.filter(|c| *c != &*t.f) {
        f(c);
    }
    if let Some(c) = t.core() {
        f(c);
    }
}

impl Index {
    fn build(names: &[Name], kind: impl Fn(&Name) -> bool) -> Index {
        let mut pairs: Vec<(u64, u32)> = Vec::new();
        for (n, name) in names.iter().enumerate() {
            if !kind(name) {
                continue;
            }
            let Ok(n) = u32::try_from(n) else { continue };
            for (j, t) in name.tokens.iter().enumerate() {
                if name.required & (1 << j) == 0 {
                    continue;
                }
                let posting = n << 4 | j as u32;
                spellings(t, |s| each_key(s, |k| pairs.push((k, posting))));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut index =
            Index { keys: HashMap::with_capacity_and_hasher(pairs.len() / 2, BuildFx), postings: Vec::new() };
        index.postings.reserve_exact(pairs.len());
        let mut i = 0;
        while let Some(&(k, _)) = pairs.get(i) {
            let start = index.postings.len();
            while let Some(&(k2, p)) = pairs.get(i) {
                if k2 != k {
                    break;
                }
                index.postings.push(p);
                i += 1;
            }
            let (Ok(a), Ok(b)) = (u32::try_from(start), u32::try_from(index.postings.len() - start)) else { continue };
            index.keys.insert(k, (a, b));
        }
        index.keys.shrink_to_fit();
        index
    }

    fn postings(&self, key: u64) -> &[u32] {
        match self.keys.get(&key) {
            Some(&(a, n)) => self.postings.get(a as usize..(a as usize + n as usize)).unwrap_or(&[]),
            None => &[],
        }
    }

    fn heap_bytes(&self) -> usize {
        self.keys.capacity() * (8 + 8 + 1) + self.postings.capacity() * 4
    }
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

pub const DEFAULT_REJECT: f64 = 0.94;
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
    /// The blocking indexes of individuals' names and of entities' names.
    persons: Index,
    entities: Index,
    digest: String,
}

/// Words of entity names that say nothing about which entity it is: articles and legal forms
/// (English, Russian in transliteration, Spanish, French, German, Dutch, Arabic-region free
/// zones, Asian), as watchman and OpenSanctions drop them before comparing organizations.
const ENTITY_WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "for",
    "llc",
    "ltd",
    "ltda",
    "limited",
    "liability",
    "inc",
    "incorporated",
    "co",
    "cia",
    "company",
    "compania",
    "corp",
    "corporation",
    "sa",
    "sas",
    "sl",
    "spa",
    "srl",
    "de",
    "cv",
    "rl",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "ooo",
    "oao",
    "zao",
    "ao",
    "pao",
    "tov",
    "joint",
    "stock",
    "public",
    "open",
    "closed",
    "obshchestvo",
    "ogranichennoi",
    "ogranichennoy",
    "otvetstvennostyu",
    "otvetstvennostiu",
    "aktsionernoe",
    "publichnoe",
    "otkrytoe",
    "zakrytoe",
    "gmbh",
    "ag",
    "kg",
    "bv",
    "nv",
    "plc",
    "fze",
    "fzco",
    "fzc",
    "fzllc",
    "llp",
    "lp",
    "pvt",
    "pty",
    "pte",
    "bhd",
    "sdn",
    "doo",
    "ev",
];

/// A stop list, compared in folded form (`company` folds to `compani`).
struct Stop(&'static [&'static str], std::sync::OnceLock<std::collections::HashSet<String>>);
impl Stop {
    fn get(&self) -> &std::collections::HashSet<String> {
        self.1.get_or_init(|| self.0.iter().map(|w| fold_token(w)).collect())
    }
}
static PERSON_STOP: Stop = Stop(PERSON_WORDS, std::sync::OnceLock::new());
static ENTITY_STOP: Stop = Stop(ENTITY_WORDS, std::sync::OnceLock::new());

/// Words of donor names that are no part of a name.
const PERSON_WORDS: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "jr", "sr", "ii", "iii", "iv", "md", "phd", "esq"];

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
            persons: Index::default(),
            entities: Index::default(),
            digest: crate::ruleset::sha256_tagged(&digest_input),
        };
        let mut seen = std::collections::HashSet::new();
        for (idx, raw) in raw_names {
            let Some(kind) = list.entries.get(idx as usize).map(|e| e.kind) else { continue };
            let is_alias = list.entries.get(idx as usize).is_some_and(|e| e.name != raw);
            let name = match kind {
                EntryKind::Individual => person_name(&raw),
                EntryKind::Entity => entity_name(&raw),
                EntryKind::Other => continue,
            };
            let Some(name) = name else { continue };
            // A one-word alias (`a.k.a. 'LUCAS'`, `a.k.a. 'EDS'`) is weak: a nickname or an
            // acronym that names many others. Entities keep theirs from five letters on.
            if is_alias && name.tokens.len() == 1 {
                let long = name.tokens.first().is_some_and(|t| t.f.len() >= 5);
                if kind == EntryKind::Individual || !long {
                    continue;
                }
            }
            let forms: Vec<&str> = name.tokens.iter().map(|t| &*t.f).collect();
            if !seen.insert((idx, forms.join(" "))) {
                continue;
            }
            list.names.push(Name { entry: idx, ..name });
        }
        list.persons = Index::build(&list.names, |n| {
            list.entries.get(n.entry as usize).is_some_and(|e| e.kind == EntryKind::Individual)
        });
        list.entities = Index::build(&list.names, |n| {
            list.entries.get(n.entry as usize).is_some_and(|e| e.kind == EntryKind::Entity)
        });
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
        let entries: usize =
            self.entries.iter().map(|e| std::mem::size_of::<Entry>() + e.name.capacity() + e.programs.capacity()).sum();
        let names: usize = self
            .names
            .iter()
            .map(|n| {
                std::mem::size_of::<Name>()
                    + n.tokens.iter().map(|t| std::mem::size_of::<Tok>() + t.heap_bytes()).sum::<usize>()
            })
            .sum();
        entries + names + self.persons.heap_bytes() + self.entities.heap_bytes()
    }

    /// The best-scoring entry for a person's name (any order, any split between first and last).
    pub fn best_person(&self, full_name: &str) -> Option<Hit<'_>> {
        let tokens = tokens_of(full_name, &PERSON_STOP);
        self.best(&tokens, &self.persons)
    }

    /// The best-scoring entity for an organization's name.
    pub fn best_entity(&self, name: &str) -> Option<Hit<'_>> {
        let tokens = tokens_of(name, &ENTITY_STOP);
        self.best(&tokens, &self.entities)
    }

    /// How many names a person's name is scored against (the blocking index's yield).
    pub fn candidates(&self, full_name: &str) -> usize {
        let mut n = 0;
        self.each_candidate(&tokens_of(full_name, &PERSON_STOP), &self.persons, |_| n += 1);
        n
    }

    /// Calls `f` with each name every required token of which shares a key with a donor token
    /// (each name once, in index order).
    fn each_candidate(&self, tokens: &[Tok], index: &Index, mut f: impl FnMut(&Name)) {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let run = |hits: &mut Vec<u32>, f: &mut dyn FnMut(&Name)| {
            hits.clear();
            for t in tokens.iter().filter(|t| !t.particle) {
                spellings(t, |s| each_key(s, |k| hits.extend_from_slice(index.postings(k))));
            }
            hits.sort_unstable();
            let mut i = 0;
            while let Some(&p) = hits.get(i) {
                let n = p >> 4;
                let mut mask = 0u16;
                while let Some(&q) = hits.get(i) {
                    if q >> 4 != n {
                        break;
                    }
                    mask |= 1 << (q & 15);
                    i += 1;
                }
                if let Some(name) = self.names.get(n as usize) {
                    if mask & name.required == name.required {
                        f(name);
                    }
                }
            }
        };
        let done = SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut hits) => {
                run(&mut hits, &mut f);
                true
            }
            Err(_) => false,
        });
        if !done {
            run(&mut Vec::new(), &mut f);
        }
    }

    fn best(&self, tokens: &[Tok], index: &Index) -> Option<Hit<'_>> {
        let entity = std::ptr::eq(index, &self.entities);
        if tokens.is_empty() {
            return None;
        }
        let mut best: Option<(f64, u32)> = None;
        self.each_candidate(tokens, index, |name| {
            let s = matcher::score(tokens, &name.tokens, name.required, entity);
            let better = match best {
                None => true,
                Some((b, e)) => s > b || (s == b && name.entry < e),
            };
            if better {
                best = Some((s, name.entry));
            }
        });
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
        let mut params = crate::map::VecMap::new();
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
    pub fn amend<'r>(&self, verdict: Verdict<'r>, sub: &Submission, cfg: &Thresholds) -> Verdict<'r> {
        Self::add_findings(verdict, self.screen(sub, cfg))
    }

    /// The verdict with findings of [`SanctionsList::screen`] (computed earlier, elsewhere)
    /// added, re-sorted and re-decided.
    pub fn add_findings<'r>(mut verdict: Verdict<'r>, found: Vec<Finding<'static>>) -> Verdict<'r> {
        if found.is_empty() {
            return verdict;
        }
        verdict.findings.extend(found);
        crate::findings::sort(&mut verdict.findings);
        verdict.decision = crate::findings::decide(&verdict.findings);
        verdict
    }
}

/// Folded tokens of free text, stop words dropped. Words split at spaces, commas, hyphens,
/// slashes and brackets; dots and apostrophes are dropped inside a word (`S.A.` is `sa`,
/// `L.L.C.` is `llc`).
fn tokens_of(text: &str, stop: &Stop) -> Vec<Tok> {
    let entity = std::ptr::eq(stop, &ENTITY_STOP);
    let words = stop.get();
    let mut buf = String::new();
    let mut out: Vec<Tok> = Vec::new();
    let mut run = String::new();
    let split = |c: char| c.is_whitespace() || matches!(c, ',' | '-' | '/' | '(' | ')' | '&' | ';' | ':' | '+');
    for w in text.split(split) {
        let Some(t) = Tok::new(w, &mut buf) else { continue };
        // In an organization's name, letters written apart are one word: `S A de C V`,
        // `I P C International`.
        if entity && t.initial {
            run.push_str(&t.f);
            continue;
        }
        if !run.is_empty() {
            out.extend(Tok::new(&std::mem::take(&mut run), &mut buf));
        }
        out.push(t);
    }
    if !run.is_empty() {
        out.extend(Tok::new(&run, &mut buf));
    }
    out.retain(|t| !words.contains(&*t.f));
    out
}

/// Required bits: `want`, minus particles (and initials, in a person's name); when nothing is
/// left, every token.
fn required_mask(tokens: &[Tok], want: impl Fn(usize) -> bool, entity: bool) -> u16 {
    let mut mask = 0u16;
    for (j, t) in tokens.iter().enumerate().take(16) {
        if want(j) && !t.particle && (entity || !t.initial) {
            mask |= 1 << j;
        }
    }
    if mask == 0 {
        for j in 0..tokens.len().min(16) {
            mask |= 1 << j;
        }
    }
    mask
}

/// The index of the first token that is neither a particle nor an initial, from `from`.
fn first_word(tokens: &[Tok], from: usize) -> Option<usize> {
    (from..tokens.len()).find(|&j| tokens.get(j).is_some_and(|t| !t.particle && !t.initial))
}

/// An individual's name: `LAST, First Middle` (surname words and the first given name
/// required), or without a comma `First ... Last` (first and last words required).
fn person_name(raw: &str) -> Option<Name> {
    let (tokens, required) = match raw.split_once(',') {
        Some((last, given)) => {
            let mut t = tokens_of(last, &PERSON_STOP);
            let n_last = t.len();
            t.extend(tokens_of(given, &PERSON_STOP));
            let first = first_word(&t, n_last);
            let req = required_mask(&t, |j| j < n_last || Some(j) == first, false);
            (t, req)
        }
        None => {
            let t = tokens_of(raw, &PERSON_STOP);
            let first = first_word(&t, 0);
            let last = (0..t.len()).rev().find(|&j| t.get(j).is_some_and(|x| !x.particle && !x.initial));
            let req = required_mask(&t, |j| Some(j) == first || Some(j) == last, false);
            (t, req)
        }
    };
    (!tokens.is_empty() && tokens.len() <= 16).then_some(Name { entry: 0, tokens, required })
}

/// An entity's name: every word but legal forms, stop words and particles required.
fn entity_name(raw: &str) -> Option<Name> {
    let tokens = tokens_of(raw, &ENTITY_STOP);
    let required = required_mask(&tokens, |_| true, true);
    (!tokens.is_empty() && tokens.len() <= 16).then_some(Name { entry: 0, tokens, required })
}

#[cfg(test)]
mod tests;

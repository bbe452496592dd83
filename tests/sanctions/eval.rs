//! The evaluation set, shared by tests/sanctions_eval.rs and tests/benches/sanctions.rs.
#![allow(dead_code, clippy::unwrap_used, clippy::indexing_slicing)]

use donation_guard::sanctions::SanctionsList;
use std::path::Path;

pub const SDN: &str = "../shared/data/ofac/sdn-2024-05-03.csv";
pub const FEC: &str = "../shared/data/fec/itcont-sample-10k.txt";

pub struct Positive {
    pub kind: String,
    pub uid: u64,
    pub name: String,
}

/// The list, or None (with a message) when ../shared is absent.
pub fn list() -> Option<SanctionsList> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(bytes) = std::fs::read(root.join(SDN)) else {
        eprintln!("skipping: {SDN} not found");
        return None;
    };
    Some(SanctionsList::load(&bytes, None).unwrap())
}

pub fn positives() -> Vec<Positive> {
    let text = include_str!("positives.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Positive { kind: f[0].into(), uid: f[1].parse().unwrap(), name: format!("{} {}", f[2], f[3]) }
        })
        .collect()
}

/// Real donor names ("FIRST M LAST" from the NAME column, "LAST, FIRST M"), individuals only.
pub fn negatives() -> Option<Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(root.join(FEC)).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some(
        text.lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split('|').collect();
                let name = *f.get(7)?;
                let (last, first) = name.split_once(',')?;
                Some(format!("{} {}", first.trim(), last.trim()))
            })
            .collect(),
    )
}

/// Whether a hit is the expected entry (or an entry with the very same name).
pub fn is_hit(list: &SanctionsList, name: &str, uid: u64, threshold: f64) -> bool {
    let Some(h) = list.best_person(name) else { return false };
    if h.score < threshold {
        return false;
    }
    h.entry.uid == uid || list.entries().iter().any(|e| e.uid == uid && e.name == h.entry.name)
}

/// One row of the widened set (tests/sanctions/variants.tsv, gen_variants.py).
pub struct Variant {
    /// Held out: never tuned on.
    pub held: bool,
    pub kind: String,
    /// The entries made of that name: any is the right answer.
    pub uids: Vec<u64>,
    pub org: bool,
    pub name: String,
}

pub fn variants() -> Vec<Variant> {
    include_str!("variants.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Variant {
                held: f[0] == "held",
                kind: f[1].into(),
                uids: f[2].split(',').map(|u| u.parse().unwrap()).collect(),
                org: f[3] == "organization",
                name: format!("{} {}", f[4], f[5]).trim().to_string(),
            }
        })
        .collect()
}

/// The best hit's score when it is one of the variant's entries, else 0.
pub fn variant_score(list: &SanctionsList, v: &Variant) -> f64 {
    let h = if v.org { list.best_entity(&v.name) } else { list.best_person(&v.name) };
    h.filter(|h| v.uids.contains(&h.entry.uid)).map_or(0.0, |h| h.score)
}

/// Real donor names as (held out, name): the FEC sample's individuals (rows from 5,000 on are
/// held out) and the committee master file's treasurers (every other one held out).
pub fn person_negatives() -> Option<Vec<(bool, String)>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(bool, String)> = negatives()?.into_iter().enumerate().map(|(i, n)| (i >= 5_000, n)).collect();
    if let Ok(bytes) = std::fs::read(root.join(CM)) {
        let text = String::from_utf8_lossy(&bytes);
        let mut seen = std::collections::HashSet::new();
        for l in text.lines() {
            let Some(t) = l.split('|').nth(2).map(str::trim) else { continue };
            let t = match t.split_once(',') {
                Some((last, first)) => format!("{} {}", first.trim(), last.trim()),
                None => t.to_string(),
            };
            if t.split_whitespace().count() >= 2 && seen.insert(t.clone()) {
                // Every other distinct treasurer is held out, the rest is dev.
                out.push((seen.len() % 2 == 0, t));
            }
        }
    }
    Some(out)
}

pub const CM: &str = "../shared/data/fec/cm.txt";

/// Real U.S. organization names as (held out, name): the FEC sample's employers (dev) and the
/// committee master file's committee and connected-organization names (held out).
pub fn org_negatives() -> Option<Vec<(bool, String)>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let skip = ["NONE", "N/A", "RETIRED", "SELF", "SELF-EMPLOYED", "SELF EMPLOYED", "NOT EMPLOYED", "NOT-EMPLOYED"];
    let text = String::from_utf8_lossy(&std::fs::read(root.join(FEC)).ok()?).into_owned();
    for l in text.lines() {
        let Some(e) = l.split('|').nth(11).map(str::trim) else { continue };
        if e.len() >= 3 && !skip.contains(&e) && seen.insert(e.to_string()) {
            out.push((false, e.to_string()));
        }
    }
    if let Ok(bytes) = std::fs::read(root.join(CM)) {
        let text = String::from_utf8_lossy(&bytes);
        for l in text.lines() {
            let f: Vec<&str> = l.split('|').collect();
            for i in [1, 13] {
                let Some(n) = f.get(i).map(|s| s.trim()) else { continue };
                if n.len() >= 3 && seen.insert(n.to_string()) {
                    out.push((true, n.to_string()));
                }
            }
        }
    }
    Some(out)
}

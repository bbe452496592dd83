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

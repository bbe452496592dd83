//! Embeds every ruleset file in `src/rulesets/` (`<id>.json`): a new cycle or jurisdiction is a
//! new file, not new code. A file with `"extends": "<id>"` gives only what differs from a
//! complete file there (a cycle's id, title, dates, limits and notes): each of its top-level
//! members replaces the base's member whole, and the whole ruleset is written out here, so the
//! engine reads, validates and digests it as if it had been written in full. The messages,
//! statements and prompts of every federal cycle are then written once.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("src/rulesets");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> =
        std::fs::read_dir(dir).map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let mut out = String::from("&[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        // Relative to the crate being compiled, never an absolute path: a build directory
        // copied or shared between checkouts must embed its own checkout's files.
        let file = path.file_name().and_then(|s| s.to_str()).unwrap_or_default();
        let text = std::fs::read_to_string(path).unwrap_or_default();
        match extended(&text, dir) {
            Ok(None) => {
                let _ = writeln!(
                    out,
                    "    ({id:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/src/rulesets/{file}\"))),"
                );
            }
            Ok(Some(whole)) => {
                let _ = writeln!(out, "    ({id:?}, {whole:?}),");
            }
            Err(e) => {
                eprintln!("src/rulesets/{file}: {e}");
                std::process::exit(1);
            }
        }
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("rulesets.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}

/// The whole text of a file that `extends` another (`None` for a complete file): the base's
/// members in the base's order, each replaced by the file's member of that name, then the
/// file's other members. The base must be complete.
fn extended(text: &str, dir: &Path) -> Result<Option<String>, String> {
    let own = members(text)?;
    let Some((_, base)) = own.iter().find(|(k, _)| *k == "\"extends\"") else { return Ok(None) };
    let base = base.trim_matches('"');
    let base_text = std::fs::read_to_string(dir.join(format!("{base}.json")))
        .map_err(|e| format!("extends {base:?}: no src/rulesets/{base}.json ({e})"))?;
    let mut whole = members(&base_text)?;
    if whole.iter().any(|(k, _)| *k == "\"extends\"") {
        return Err(format!("extends {base:?}, which extends another file: extend a complete one"));
    }
    for (key, value) in own.iter().filter(|(k, _)| *k != "\"extends\"") {
        if own.iter().filter(|(k, _)| k == key).count() > 1 {
            return Err(format!("{key} is given twice"));
        }
        match whole.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => whole.push((key, value)),
        }
    }
    let body: Vec<String> = whole.iter().map(|(k, v)| format!("  {k}: {v}")).collect();
    Ok(Some(format!("{{\n{}\n}}\n", body.join(",\n"))))
}

/// A JSON object's top-level members, as written: each key with its quotes and its value's
/// text. Only the structure is read (strings, nesting); the engine reads the values.
fn members(text: &str) -> Result<Vec<(&str, &str)>, String> {
    let body = text.trim();
    if !body.starts_with('{') || !body.ends_with('}') {
        return Err("not a JSON object".to_owned());
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut out = Vec::new();
    let mut start = None;
    let mut colon = None;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                if depth == 1 && start.is_none() {
                    start = Some(i);
                }
            }
            b':' if depth == 1 && colon.is_none() => colon = Some(i),
            b'{' | b'[' => depth += 1,
            b',' | b'}' | b']' => {
                if depth == 1 {
                    if let (Some(s), Some(c)) = (start.take(), colon.take()) {
                        let key = text.get(s..c).unwrap_or_default().trim();
                        let value = text.get(c + 1..i).unwrap_or_default().trim();
                        out.push((key, value));
                    }
                }
                if b != b',' {
                    depth = depth.saturating_sub(1);
                }
            }
            _ => {}
        }
    }
    if in_string || depth != 0 {
        return Err("unbalanced JSON".to_owned());
    }
    Ok(out)
}

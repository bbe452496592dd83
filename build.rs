//! Embeds every ruleset file in `src/rulesets/` (`<id>.json`): a new cycle or jurisdiction is a
//! new file, not new code.

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
        let _ = writeln!(
            out,
            "    ({id:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/src/rulesets/{file}\"))),"
        );
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("rulesets.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}

//! `donation-guard screen` arguments and the command.

use super::{Format, Options};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ScreenArgs {
    /// Files to screen (read one after the other, totals across all); standard input when absent.
    pub files: Vec<PathBuf>,
    /// Input format (default: detected from the first line): fec, csv or jsonl.
    #[arg(long)]
    pub format: Option<Format>,
    /// The FEC committee master file (cm.txt): gives each committee's type.
    #[arg(long)]
    pub committees: Option<PathBuf>,
    /// CSV column mapping, e.g. `amount=Total,date=Paid On,recipient=Fund`.
    #[arg(long, value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Write the HTML report here.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write the CSV of flagged rows here.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Write the JSON summary here.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Worker threads (default: the number of cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    #[command(flatten)]
    pub sanctions: crate::cli::SanctionsArgs,
}

fn fail(msg: &str) -> i32 {
    eprintln!("donation-guard screen: {msg}");
    2
}

/// Runs `screen`; the exit status: 0 nothing needs action, 1 something flagged, 2 error.
pub fn run(args: &ScreenArgs) -> i32 {
    let mut opts =
        Options { format: args.format, progress: true, jobs: args.jobs.map_or(0, usize::from), ..Options::default() };
    match args.sanctions.load() {
        Ok(s) => opts.sanctions = s.map(std::sync::Arc::new),
        Err(e) => return fail(&e),
    }
    for c in &args.columns {
        match c.split_once('=') {
            Some((f, col)) => opts.columns.push((f.trim().to_ascii_lowercase(), col.trim().to_string())),
            None => return fail(&format!("--columns wants FIELD=COLUMN, got {c:?}")),
        }
    }
    if let Some(p) = &args.committees {
        match std::fs::File::open(p).and_then(super::read_committees) {
            Ok(m) => opts.committees = Some(m),
            Err(e) => return fail(&format!("cannot read {}: {e}", p.display())),
        }
    }
    let (source, result) = if args.files.is_empty() {
        // Standard input is read once (memory grows with its rows; give a file for the bound).
        ("standard input".to_string(), super::screen(std::io::stdin(), &opts))
    } else {
        // Files are read twice and chained; line numbers continue across them.
        let source = args.files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        (source, super::screen_files(&args.files, &opts))
    };
    let out = match result {
        Ok(o) => o,
        Err(e) => return fail(&e.to_string()),
    };
    if let Some(p) = &args.report {
        if let Err(e) = std::fs::write(p, super::html(&out, &source)) {
            return fail(&format!("cannot write {}: {e}", p.display()));
        }
    }
    if let Some(p) = &args.csv {
        let r = std::fs::File::create(p).and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            super::write_csv(&out, &mut w)?;
            std::io::Write::flush(&mut w)
        });
        if let Err(e) = r {
            return fail(&format!("cannot write {}: {e}", p.display()));
        }
    }
    let summary = super::summary_json(&out);
    if let Some(p) = &args.json {
        if let Err(e) = std::fs::write(p, format!("{summary:#}\n")) {
            return fail(&format!("cannot write {}: {e}", p.display()));
        }
    }
    eprintln!(
        "screened {} rows ({} donors): {} flags, {} unreadable rows",
        out.rows,
        out.donors,
        out.flags.len(),
        out.unreadable.len()
    );
    if let Some((n, amount)) = out.not_judged.get(super::law::NO_RULESET) {
        eprintln!("warning: {n} rows (${amount}) are {}", super::law::NO_RULESET);
    }
    if out.flags.is_empty() && out.unreadable.is_empty() {
        0
    } else {
        1
    }
}

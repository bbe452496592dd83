//! `donation-guard`: the command line. See README.md.

fn main() {
    std::process::exit(donation_guard::cli::main());
}

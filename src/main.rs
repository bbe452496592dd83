//! `donation-guard`: the command line. See README.md.

// Rows are parsed on worker threads and freed on the one that adds them up; mimalloc's
// thread-local free lists make that cheap (glibc's malloc took a third of `screen`'s time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(donation_guard::cli::main());
}

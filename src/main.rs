//! `donation-guard`: the command line. See README.md.

// Rows are parsed on worker threads and freed on the one that adds them up; mimalloc's
// thread-local free lists make that cheap (glibc's malloc took a third of `screen`'s time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay`: its place in mimalloc's `mi_option_e` (mimalloc.h, v2 and v3; the
/// bindings leave it out). Its default is 1000 ms in v3 (the one built), 10 ms in v2, which
/// [`purge_at_once`] checks first.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system at once. `screen` frees tables of 100 MB and more
/// between its passes; with the default second they stayed resident while the next ones were
/// allocated (10M rows, 2.9M donors: peak RSS 1.17 GB, 0.98 GB with this). A
/// `MIMALLOC_PURGE_DELAY` in the environment still wins, and nothing is set unless the option
/// at that place holds the purge delay's default.
#[allow(unsafe_code)]
fn purge_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: mi_option_get and mi_option_set read and store one option's value: no memory is
    // touched but mimalloc's option table, and they may be called at any time.
    unsafe {
        if matches!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), 10 | 1000) {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        }
    }
}

fn main() {
    purge_at_once();
    std::process::exit(donation_guard::cli::main());
}

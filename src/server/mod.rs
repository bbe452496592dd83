//! The HTTP service (placeholder until the server lands).

/// Options of `donation-guard serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

pub fn main(_args: ServeArgs) -> i32 {
    eprintln!("donation-guard: serve is not built yet");
    2
}

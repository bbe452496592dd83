#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod screen;
#[cfg(feature = "server")]
pub mod server;

pub mod canonical;
pub mod countries;
pub mod engine;
pub mod error;
pub mod findings;
pub mod form;
pub mod form_map;
#[cfg(not(target_arch = "wasm32"))]
pub mod identity;
pub mod json;
pub mod map;
pub mod model;
pub mod money;

/// The generated inputs of the unit tests: one xorshift64 sequence (deterministic per seed).
#[cfg(test)]
pub(crate) struct XorShift(pub(crate) u64);

#[cfg(test)]
impl XorShift {
    /// The next state.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// The next state modulo `n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}
pub mod normalize;
pub mod rules;
pub mod ruleset;
#[cfg(feature = "schema")]
pub mod schema;
// OFAC SDN screening: native only, so the list never enters the wasm build.
#[cfg(not(target_arch = "wasm32"))]
pub mod sanctions;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use engine::check;
pub use error::{ErrorCode, InputError};
pub use findings::{Code, Finding, Severity, Verdict};
pub use json::{check_bytes, check_json, parse, ruleset_for};
pub use model::{Decision, Submission};
pub use ruleset::Ruleset;

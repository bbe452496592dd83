#![doc = include_str!("../README.md")]

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

//! The state layer: the configuration a person edits, its URL form, and the
//! results derived from it. Plain Rust, tested natively.

pub mod along;
pub mod classes;
pub mod config;
pub mod derived;
pub mod export;
pub mod findings;
pub mod format;
pub mod generator;
pub mod html;
pub mod json;
pub mod label_order;
pub mod map_rows;
pub mod messages;
pub mod narrative;
pub mod number;
pub mod outputs;
pub mod piecewise;
pub mod readout;
pub mod teaching;
pub mod url;
pub mod worker_messages;

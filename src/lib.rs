//! Focal-Entropy Explorer: what focal loss does to a class distribution.
//!
//! Layers, data flowing one way: [`core`] (exact numerics) → `state`
//! (configuration, URLs, derived results) → `plots` (drawing on any plotters
//! backend) → `components` (the Leptos views, WebAssembly only).

pub mod cli;
pub mod core;
pub mod plots;
pub mod state;

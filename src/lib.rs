//! Focal-Entropy Explorer: what focal loss does to a class distribution.
//!
//! Layers, data flowing one way: [`core`] (exact numerics) → `state`
//! (configuration, URLs, derived results) → `plots` (drawing on any plotters
//! backend) → `components` (the Leptos views, WebAssembly only).

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(target_arch = "wasm32")]
pub mod components;
pub mod core;
pub mod plots;
pub mod state;

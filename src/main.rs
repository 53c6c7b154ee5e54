//! The web app's entry point (built by Trunk for `wasm32-unknown-unknown`).

#[cfg(target_arch = "wasm32")]
fn main() {
    focal_entropy_explorer::components::mount();
}

/// Natively there is no page to show: point to the right commands.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This binary is the web app; run `make serve` to open it, or use the `focal` command-line tool.");
    std::process::exit(2);
}

// Starts the imbalance-map Web Worker (src/bin/focal-map-worker.rs): loads the
// glue that wasm-bindgen wrote for it and then its WebAssembly, both beside
// this file in dist/. A file of the page's own origin, so a
// Content-Security-Policy of `script-src 'self'` allows it.
importScripts('./focal-map-worker.js');
wasm_bindgen({ module_or_path: './focal-map-worker_bg.wasm' });

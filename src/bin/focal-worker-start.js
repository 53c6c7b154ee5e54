// Starts the page's Web Worker (src/bin/focal-worker.rs): loads the glue that
// wasm-bindgen wrote for it and then its WebAssembly, both beside this file
// in dist/. A file of the page's own origin, so a Content-Security-Policy of
// `script-src 'self'` allows it. Messages that arrive before the WebAssembly
// runs (and sets its own handler) are kept and handed to it in order, so the
// page may send work as soon as it has started the worker.
const early = [];
self.onmessage = (event) => early.push(event);
importScripts('./focal-worker.js');
wasm_bindgen({ module_or_path: './focal-worker_bg.wasm' }).then(() => {
  for (const event of early) self.onmessage(event);
});

//! Starting one of the page's Web Workers (`src/bin/focal-worker.rs`, built
//! by Trunk as a second, speed-optimised bundle) and hearing from it. Both
//! the imbalance map's pool and the solver's worker start theirs here.

use js_sys::Float64Array;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker};

/// The script that starts a worker, which Trunk copies beside the page
/// (index.html); relative to the page, so that the app works from any path,
/// and of its origin, so that a `script-src 'self'` policy allows it.
const WORKER_SCRIPT: &str = "./focal-worker-start.js";

/// A running worker with its handlers, which live as long as it does.
pub struct RunningWorker {
    /// The worker.
    pub worker: Worker,
    /// Its message handler.
    _on_message: Closure<dyn Fn(MessageEvent)>,
    /// Its error handler.
    _on_error: Closure<dyn Fn(Event)>,
}

impl Drop for RunningWorker {
    /// Takes the handlers off the worker before they are freed: a reply it
    /// posted before it was stopped can still be delivered, and would call a
    /// freed handler ("closure invoked recursively or after being dropped",
    /// seen when α was cleared while 40 000 classes were traced).
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
    }
}

impl RunningWorker {
    /// Sends the message made of `parts` one after another as a
    /// `Float64Array`, each part copied once, straight into it, and its
    /// buffer handed over rather than copied again (a problem of a million
    /// classes with α weights is 16 MB, sent to the solving worker and to the
    /// tracing one; joining its parts first cost a second copy); `false` if
    /// the browser refused it.
    pub fn send(&self, parts: &[&[f64]]) -> bool {
        let length: usize = parts.iter().map(|part| part.len()).sum();
        let array = Float64Array::new_with_length(length as u32);
        let mut start = 0;
        for part in parts {
            let end = start + part.len();
            array.subarray(start as u32, end as u32).copy_from(part);
            start = end;
        }
        let transfer = js_sys::Array::of1(&array.buffer());
        self.worker
            .post_message_with_transfer(&array, &transfer)
            .is_ok()
    }
}

/// The numbers a message from the page to a worker carries (a
/// `Float64Array`), or `None` for anything else; the page itself takes a
/// worker's replies as they came ([`start_worker`]).
pub fn numbers_in(event: &MessageEvent) -> Option<Vec<f64>> {
    event
        .data()
        .dyn_into::<Float64Array>()
        .ok()
        .map(|array| array.to_vec())
}

/// Starts a worker whose messages go to `on_message` as they came, a
/// `Float64Array` not yet copied into the page (anything but numbers arrives
/// empty, a broken message), and whose failure, said in plain words,
/// goes to `on_error`. Work can be sent at once: the worker keeps what
/// arrives before its WebAssembly runs. (The handlers are boxed so that this
/// is compiled once for every worker.)
pub fn start_worker(
    on_message: Box<dyn Fn(Float64Array)>,
    on_error: Box<dyn Fn(String)>,
) -> Result<RunningWorker, String> {
    let worker = Worker::new(WORKER_SCRIPT)
        .map_err(|_| "this browser could not start a worker".to_string())?;
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        on_message(
            event
                .data()
                .dyn_into::<Float64Array>()
                .unwrap_or_else(|_| Float64Array::new_with_length(0)),
        );
    });
    // A script that cannot load fires a plain `Event`, an error inside the
    // worker an `ErrorEvent` with a message.
    let on_error = Closure::<dyn Fn(Event)>::new(move |event: Event| {
        event.prevent_default();
        on_error(match event.dyn_ref::<ErrorEvent>() {
            Some(error) => format!("a worker stopped ({})", error.message()),
            None => "the worker could not be loaded".to_string(),
        });
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(RunningWorker {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    })
}

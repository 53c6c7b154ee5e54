//! The imbalance-map worker, built by Trunk as a Web Worker beside the page
//! (`data-type="worker"` in index.html): it answers each request for a row of
//! the map with that row, computed by the same core as everywhere else. It
//! says it is ready with an empty message, since requests sent before its
//! WebAssembly is running would be lost.

#[cfg(target_arch = "wasm32")]
fn main() {
    use focal_entropy_explorer::components::map_workers::numbers_in;
    use focal_entropy_explorer::state::map_rows::MapRowRequest;
    use js_sys::Float64Array;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{console, DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let message = numbers_in(&event).unwrap_or_default();
        // A request that does not decode gets a one-number reply, which the
        // page reads as a broken message and reports.
        let reply = match MapRowRequest::decode(&message) {
            Ok(request) => {
                let (row, error) = request.answer();
                if let Some(error) = error {
                    console::error_1(&format!("map row {}: {error}", request.row).into());
                }
                row.encode()
            }
            Err(error) => {
                console::error_1(&error.to_string().into());
                vec![f64::NAN]
            }
        };
        if let Err(error) = replies.post_message(&Float64Array::from(reply.as_slice())) {
            console::error_2(&"map worker could not reply".into(), &error);
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    if let Err(error) = scope.post_message(&Float64Array::new_with_length(0)) {
        console::error_2(&"map worker could not say it is ready".into(), &error);
    }
}

/// Natively there is no worker to be: the map is computed in-process there.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "This binary is the page's imbalance-map Web Worker; run `make serve` to open the page."
    );
    std::process::exit(2);
}

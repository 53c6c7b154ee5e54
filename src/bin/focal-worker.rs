//! The page's Web Worker, built by Trunk as a second, speed-optimised bundle
//! beside the page (`data-type="worker"` in index.html). It answers the
//! page's messages (`state::worker_messages`): rows of the imbalance map, and
//! the solution at each γ of a problem too large to solve on the main thread,
//! computed by the same core as everywhere else. A request for a solution is
//! taken up in a later task, after the messages already waiting: of a burst
//! of γ values that came in while it computed, only the newest is solved.
//! In a task after that, unless a newer γ has come in meanwhile, it sends
//! the round trip P → Q* → P of that solution. Asked to trace the curves
//! along γ of its problem, it does so in a later task, telling the page how
//! far it has got after each γ.
//! Messages that arrive before its WebAssembly runs are kept for it by
//! `focal-worker-start.js`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use focal_entropy_explorer::components::worker::numbers_in;
    use focal_entropy_explorer::state::worker_messages::{Answer, WorkerState};
    use js_sys::Float64Array;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{console, DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let state = Rc::new(RefCell::new(WorkerState::default()));
    // Sends a reply, its buffer handed over rather than copied (a solution
    // of a million classes is 56 MB), and logs what went wrong.
    let reply = {
        let scope = scope.clone();
        move |reply: Option<Vec<f64>>, error: Option<String>| {
            if let Some(error) = error {
                console::error_1(&error.into());
            }
            let Some(reply) = reply else { return };
            let reply = Float64Array::from(reply.as_slice());
            let transfer = js_sys::Array::of1(&reply.buffer());
            if let Err(error) = scope.post_message_with_transfer(&reply, &transfer) {
                console::error_2(&"the worker could not reply".into(), &error);
            }
        }
    };
    // Runs `task` in a later task of the worker, after the messages already waiting.
    let later = {
        let scope = scope.clone();
        move |task: &Closure<dyn Fn()>, what: &str| {
            let task = task.as_ref().unchecked_ref();
            if let Err(error) = scope.set_timeout_with_callback_and_timeout_and_arguments_0(task, 0)
            {
                console::error_2(
                    &format!("the worker could not schedule {what}").into(),
                    &error,
                );
            }
        }
    };
    let round_trip_wanted = {
        let state = Rc::clone(&state);
        let reply = reply.clone();
        Closure::<dyn Fn()>::new(move || reply(state.borrow_mut().round_trip_wanted(), None))
    };
    let solve_wanted = {
        let state = Rc::clone(&state);
        let reply = reply.clone();
        let later = later.clone();
        Closure::<dyn Fn()>::new(move || {
            let (solution, error) = state.borrow_mut().solve_wanted();
            reply(solution, error);
            later(&round_trip_wanted, "a round trip");
        })
    };
    let trace_wanted = {
        let state = Rc::clone(&state);
        let reply = reply.clone();
        Closure::<dyn Fn()>::new(move || {
            let (curves, error) = state
                .borrow_mut()
                .trace_wanted(&mut |progress| reply(Some(progress), None));
            reply(curves, error);
        })
    };
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let message = numbers_in(&event).unwrap_or_default();
        let (answer, error) = state.borrow_mut().answer(&message);
        match answer {
            Answer::Reply(message) => reply(Some(message), error),
            Answer::Nothing => reply(None, error),
            Answer::SolveSoon => later(&solve_wanted, "a solve"),
            Answer::TraceSoon => later(&trace_wanted, "a trace along γ"),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

/// Natively there is no worker to be: the core runs in-process there.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This binary is the page's Web Worker; run `make serve` to open the page.");
    std::process::exit(2);
}

//! Piecewise work (a large counts file read, a large CSV written) run in
//! slices of a few milliseconds, with the browser given a turn between them:
//! it keeps drawing and answering input, and shows how far the work has got.

use wasm_bindgen::JsValue;

use super::canvas::now_ms;
use crate::state::classes::ClassListReader;
use crate::state::config::ClassRow;
use crate::state::piecewise::Piecewise;

/// Longest stretch of work before the browser gets a turn, in milliseconds:
/// well inside a frame.
const SLICE_MS: f64 = 12.0;

/// Resolves once the browser has had a turn: it paints, handles input and
/// runs its timers before the work goes on.
pub async fn give_the_browser_a_turn() {
    let turn = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window().and_then(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .ok()
        });
        if scheduled.is_none() {
            // No window to wait on: go on at once.
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(turn).await;
}

/// Advances `work` until it is done or, were the next batch to take as long
/// as the last, `budget_ms` milliseconds would be overrun (at least one
/// batch); returns whether it is done. (Stopping only once the budget had
/// passed let a 6 ms batch followed by a 20 ms one, as a problem's build
/// has, make a task of 30 ms.)
pub fn advance_for(work: &mut dyn Piecewise, budget_ms: f64) -> Result<bool, String> {
    let started = now_ms();
    let mut batch_started = started;
    loop {
        let finished = work.advance()?;
        let now = now_ms();
        let (elapsed, last_batch) = (now - started, now - batch_started);
        if finished || elapsed + last_batch > budget_ms {
            return Ok(finished);
        }
        batch_started = now;
    }
}

/// Runs `work` to its end in slices of [`SLICE_MS`], handing what it has
/// written to `written` and telling `progress` the share done after each
/// slice; `None` once `current` says that newer work has taken this one's
/// place. The browser has a turn before each slice, the first too: the task
/// that started the work (a click, a paste, a worker's reply of 64 MB) is
/// then not made longer by a slice.
pub async fn run_in_slices(
    work: &mut dyn Piecewise,
    written: &mut dyn FnMut(Vec<String>),
    progress: &dyn Fn(f64),
    current: &dyn Fn() -> bool,
) -> Option<Result<(), String>> {
    loop {
        give_the_browser_a_turn().await;
        if !current() {
            return None;
        }
        let finished = match advance_for(work, SLICE_MS) {
            Ok(finished) => finished,
            Err(why) => return Some(Err(why)),
        };
        written(work.take_written());
        if finished {
            return Some(Ok(()));
        }
        progress(work.fraction_done());
    }
}

/// Runs `work`, which writes nothing and whose progress is not shown, to
/// its end in slices ([`run_in_slices`]).
pub async fn run_to_end_in_slices(
    work: &mut dyn Piecewise,
    current: &dyn Fn() -> bool,
) -> Option<Result<(), String>> {
    run_in_slices(work, &mut |_| {}, &|_| {}, current).await
}

/// Reads a class list (a counts file, a large paste) to its end in slices,
/// telling `progress` the share read, and makes the classes of its entries
/// with `into_classes`; then gives the browser a turn, so that the page takes
/// them in with a task of its own. `None`
/// once `current` says that newer work has taken its place.
pub async fn read_class_list(
    mut reader: ClassListReader<'_>,
    into_classes: fn(Vec<ClassRow>) -> Result<Vec<ClassRow>, String>,
    progress: &dyn Fn(f64),
    current: &dyn Fn() -> bool,
) -> Option<Result<Vec<ClassRow>, String>> {
    let read = run_in_slices(&mut reader, &mut |_| {}, progress, current).await?;
    let classes = read.and_then(|()| into_classes(reader.into_entries()));
    give_the_browser_a_turn().await;
    current().then_some(classes)
}

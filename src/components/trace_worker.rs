//! The worker that traces the curves along γ of a problem with more
//! distinct classes than the page sweeps (`state::derived::sweep_refusal`):
//! the entropy curves, the findings along γ and the tracked class, computed
//! without keeping every solution (`state::along::CurvesAlongGamma::trace`).
//! A trace of a million distinct classes takes many seconds, so each trace
//! has a worker of its own, which a newer trace ends at once: nothing stale
//! is computed, and the solving worker is never kept waiting.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;

use super::worker::{start_worker, RunningWorker};
use crate::core::FocalProblem;
use crate::state::along::CurvesAlongGamma;
use crate::state::worker_messages::{problem_message, read_trace_reply, trace_message, TraceReply};

/// Curves along γ traced by a worker, with what they are of.
#[derive(Debug, Clone)]
pub struct TracedCurves {
    /// The problem traced.
    pub problem: FocalProblem,
    /// The γ range's upper end.
    pub gamma_max: f64,
    /// The curves (with the tracked class they follow).
    pub curves: CurvesAlongGamma,
}

/// What a trace is of: problem, γ_max and tracked class.
type TraceOf = (FocalProblem, f64, usize);

/// How the last trace asked for stands.
enum Trace {
    /// Its worker computes it.
    Running(RunningWorker),
    /// It could not be done (it is not tried again).
    Failed,
}

/// The last trace and where its results go.
struct Link {
    /// What the last trace asked for is of, and how it stands, until it is
    /// done or stopped.
    current: Option<(TraceOf, Trace)>,
    /// The number the last problem was sent under.
    serial: u32,
    /// Where finished curves go.
    traced: WriteSignal<Option<TracedCurves>>,
    /// The share of the running trace's γ values solved (`None` when no
    /// trace is under way).
    progress: RwSignal<Option<f64>>,
    /// Set, with the reason logged, when the curves cannot be traced.
    failed: RwSignal<bool>,
}

/// The page's tracing worker (cheap to clone; all clones share it).
#[derive(Clone)]
pub struct TraceWorker(Rc<RefCell<Link>>);

impl TraceWorker {
    /// No trace yet; finished curves will go to `traced`, the share done to
    /// `progress`, and `failed` is set if a trace fails.
    pub fn new(
        traced: WriteSignal<Option<TracedCurves>>,
        progress: RwSignal<Option<f64>>,
        failed: RwSignal<bool>,
    ) -> Self {
        TraceWorker(Rc::new(RefCell::new(Link {
            current: None,
            serial: 0,
            traced,
            progress,
            failed,
        })))
    }

    /// Whether the trace under way, or the one that failed last, is of
    /// `problem` from 0 to `gamma_max` with `class` tracked.
    pub fn traces(&self, problem: &FocalProblem, gamma_max: f64, class: usize) -> bool {
        let same = |(p, g, c): &TraceOf| p.same_as(problem) && *g == gamma_max && *c == class;
        self.0
            .borrow()
            .current
            .as_ref()
            .is_some_and(|(of, _)| same(of))
    }

    /// Traces the curves of `problem` from 0 to `gamma_max` with `class`
    /// tracked, in a new worker; a trace under way is ended, unless it is of
    /// the same (and one of the same that failed is not tried again).
    pub fn trace(&self, problem: &FocalProblem, gamma_max: f64, class: usize) {
        if self.traces(problem, gamma_max, class) {
            return;
        }
        self.stop();
        let (serial, progress, failed) = {
            let mut link = self.0.borrow_mut();
            link.serial = link.serial.wrapping_add(1);
            (link.serial, link.progress, link.failed)
        };
        if failed.get_untracked() {
            failed.set(false);
        }
        progress.set(Some(0.0));
        let link = Rc::downgrade(&self.0);
        let broken = link.clone();
        let started = start_worker(
            Box::new(move |message| {
                if let Some(link) = link.upgrade() {
                    TraceWorker(link).receive(&message.to_vec(), serial);
                }
            }),
            Box::new(move |reason| {
                if let Some(link) = broken.upgrade() {
                    TraceWorker(link).fail(reason);
                }
            }),
        );
        let of = (problem.clone(), gamma_max, class);
        match started {
            Ok(running) => {
                let sent = running.send(&problem_message(serial, problem).parts())
                    && running.send(&[&trace_message(serial, gamma_max, class)]);
                self.0.borrow_mut().current = Some((of, Trace::Running(running)));
                if !sent {
                    self.fail("the page could not send work to its worker".to_string());
                }
            }
            Err(reason) => {
                self.0.borrow_mut().current = Some((of, Trace::Failed));
                self.fail(reason);
            }
        }
    }

    /// Ends the trace under way, if any (and forgets one that failed).
    pub fn stop(&self) {
        let (current, progress) = {
            let mut link = self.0.borrow_mut();
            (link.current.take(), link.progress)
        };
        if let Some((_, Trace::Running(running))) = current {
            running.worker.terminate();
        }
        if progress.get_untracked().is_some() {
            progress.set(None);
        }
    }

    /// Logs why the curves could not be traced, ends the trace and says so
    /// to the page.
    fn fail(&self, reason: String) {
        web_sys::console::error_1(&reason.into());
        let (current, progress, failed) = {
            let mut link = self.0.borrow_mut();
            (link.current.take(), link.progress, link.failed)
        };
        if let Some((of, trace)) = current {
            if let Trace::Running(running) = trace {
                running.worker.terminate();
            }
            self.0.borrow_mut().current = Some((of, Trace::Failed));
        }
        progress.set(None);
        failed.set(true);
    }

    /// A reply from the worker of the trace sent as `serial`.
    fn receive(&self, message: &[f64], serial: u32) {
        if serial != self.0.borrow().serial {
            return;
        }
        match read_trace_reply(message, serial) {
            Ok(TraceReply::Tracing(share)) => {
                let progress = self.0.borrow().progress;
                progress.set(Some(share));
            }
            Ok(TraceReply::Traced(curves)) => {
                let (finished, traced, progress) = {
                    let mut link = self.0.borrow_mut();
                    (link.current.take(), link.traced, link.progress)
                };
                if let Some(((problem, gamma_max, _), Trace::Running(running))) = finished {
                    running.worker.terminate();
                    progress.set(None);
                    traced.set(Some(TracedCurves {
                        problem,
                        gamma_max,
                        curves: *curves,
                    }));
                }
            }
            Ok(TraceReply::Untraced) => {
                self.fail("the worker could not compute the curves along γ".to_string())
            }
            Ok(TraceReply::Stale) => {}
            Err(error) => self.fail(error.to_string()),
        }
    }
}

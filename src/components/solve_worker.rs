//! The worker that solves problems with more distinct classes than the main
//! thread can solve within a frame (`state::worker_messages::solves_in_worker`),
//! so that moving γ never blocks the page while a million classes are solved.
//! The page gives it each new problem once, then every γ asked for; the
//! worker solves only the newest of those that arrive while it computes, so
//! a burst of γ changes leaves no stale work behind, and each reply is the
//! exact solution at its own γ. Once it has nothing newer to solve, it also
//! sends the round trip P → Q* → P of its last solution, which costs about as
//! much as the solve. The worker is started with the first such problem.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Float64Array;
use leptos::prelude::*;

use super::slices::{give_the_browser_a_turn, run_to_end_in_slices};
use super::worker::{start_worker, RunningWorker};
use super::Newest;
use crate::core::{FocalProblem, Solution};
use crate::state::worker_messages::{
    problem_message, read_solve_reply, solve_message, ReplyNumbers, SolveReply,
};

/// A reply as the worker sent it, copied into the page a batch of records at
/// a time as it is read.
impl ReplyNumbers for Float64Array {
    fn count(&self) -> usize {
        self.length() as usize
    }

    fn copy_out(&self, start: usize, into: &mut [f64]) {
        self.subarray(start as u32, (start + into.len()) as u32)
            .copy_to(into);
    }
}

/// The worker and what it was given.
struct Link {
    /// The worker, once started.
    running: Option<RunningWorker>,
    /// The problem it has, with the number it was sent under.
    problem: Option<(u32, FocalProblem)>,
    /// Where its solutions go (`None` where the core could not solve, as
    /// on the main thread).
    solution: WriteSignal<Option<Solution>>,
    /// Whether the last γ asked for is one the core could not solve (the
    /// page then waits for nothing).
    unsolved: RwSignal<bool>,
    /// Where its round trips go (see [`SolveWorker::new`]).
    round_trip: RwSignal<(f64, f64)>,
    /// Set, with the reason logged, when the worker cannot be used at all.
    failed: RwSignal<bool>,
    /// The newest solution being read (a newer reply or problem drops an
    /// older one still being read).
    reading: Newest,
}

/// The page's solving worker (cheap to clone; all clones share it).
#[derive(Clone)]
pub struct SolveWorker(Rc<RefCell<Link>>);

impl SolveWorker {
    /// A worker, not yet started, that puts its solutions into `solution`,
    /// sets `unsolved` while the last γ it was asked for is one it could not
    /// solve, and sets `failed` if it cannot be used. Into `round_trip` go the γ
    /// and the largest relative difference of the round trip P → Q* → P it
    /// sent last, of the problem it was given last (NaN, NaN until then).
    pub fn new(
        (solution, unsolved): (WriteSignal<Option<Solution>>, RwSignal<bool>),
        round_trip: RwSignal<(f64, f64)>,
        failed: RwSignal<bool>,
    ) -> Self {
        SolveWorker(Rc::new(RefCell::new(Link {
            running: None,
            problem: None,
            solution,
            unsolved,
            round_trip,
            failed,
            reading: Newest::default(),
        })))
    }

    /// Asks for the solution of `problem` at `gamma`.
    pub fn solve(&self, problem: &FocalProblem, gamma: f64) {
        // (Set only when it changes: this runs at every γ step.)
        let unsolved = self.0.borrow().unsolved;
        if unsolved.get_untracked() {
            unsolved.set(false);
        }
        if let Err(reason) = self.send(problem, gamma) {
            self.fail(reason);
        }
    }

    /// Starts the worker if needed, gives it `problem` if it lacks it, and
    /// asks for `gamma`.
    fn send(&self, problem: &FocalProblem, gamma: f64) -> Result<(), String> {
        if self.0.borrow().running.is_none() {
            let link = Rc::downgrade(&self.0);
            let failed = link.clone();
            let running = start_worker(
                Box::new(move |message| {
                    if let Some(link) = link.upgrade() {
                        SolveWorker(link).receive(message);
                    }
                }),
                Box::new(move |reason| {
                    if let Some(link) = failed.upgrade() {
                        SolveWorker(link).fail(reason);
                    }
                }),
            )?;
            self.0.borrow_mut().running = Some(running);
        }
        let mut link = self.0.borrow_mut();
        let link = &mut *link;
        let sent = link.running.as_ref().is_some_and(|running| {
            let serial = match &link.problem {
                Some((serial, kept)) if kept.same_as(problem) => *serial,
                kept => {
                    let serial = kept.as_ref().map_or(1, |(s, _)| s.wrapping_add(1));
                    link.problem = Some((serial, problem.clone()));
                    link.round_trip.set((f64::NAN, f64::NAN));
                    let _ = link.reading.start();
                    if !running.send(&problem_message(serial, problem).parts()) {
                        return false;
                    }
                    serial
                }
            };
            running.send(&[&solve_message(serial, gamma)])
        });
        if sent {
            Ok(())
        } else {
            Err("the page could not send work to its worker".into())
        }
    }

    /// Logs why the worker cannot be used and says so to the page, which
    /// then solves on the main thread (with no borrow held).
    fn fail(&self, reason: String) {
        web_sys::console::error_1(&reason.into());
        let failed = self.0.borrow().failed;
        failed.set(true);
    }

    /// A reply from the worker; one about an older problem is dropped. A
    /// solution is read in slices, the browser given a turn between them, and
    /// shown once read unless a newer reply or problem came meanwhile.
    fn receive(&self, message: Float64Array) {
        let (reply, (solution, unsolved), round_trip, reading) = {
            let link = self.0.borrow();
            let Some((serial, problem)) = &link.problem else {
                return;
            };
            let reply = read_solve_reply(message, problem, *serial);
            let answers = (link.solution, link.unsolved);
            (reply, answers, link.round_trip, link.reading)
        };
        match reply {
            Ok(SolveReply::Solved(mut reader)) => {
                let current = reading.start();
                let worker = self.clone();
                leptos::task::spawn_local(async move {
                    let Some(read) = run_to_end_in_slices(&mut *reader, &current).await else {
                        return;
                    };
                    // The solution goes to the page in a task of its own, not
                    // after the last slice.
                    give_the_browser_a_turn().await;
                    if !current() {
                        return;
                    }
                    match read.and_then(|()| reader.into_solution().map_err(|e| e.to_string())) {
                        Ok(solved) => solution.set(Some(solved)),
                        Err(error) => worker.fail(error),
                    }
                });
            }
            Ok(SolveReply::Failed(_)) => {
                let _ = reading.start();
                unsolved.set(true);
                solution.set(None);
            }
            Ok(SolveReply::RoundTrip { gamma, worst }) => round_trip.set((gamma, worst)),
            Ok(SolveReply::Stale) => {}
            Err(error) => self.fail(error.to_string()),
        }
    }
}

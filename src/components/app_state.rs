//! The page's reactive state: the configuration as signals and the derived
//! results as memos, shared with every component through context.

use std::sync::Arc;

use leptos::prelude::*;

use super::canvas::{now_ms, record_timing};
use super::slices::{advance_for, give_the_browser_a_turn, run_to_end_in_slices};
use super::solve_worker::SolveWorker;
use super::trace_worker::{TraceWorker, TracedCurves};
use super::{Debouncer, Newest};
use crate::core::{
    track_class, FocalProblem, PartialSweep, Solution, Sweep, SweepReadouts, TrackedClass,
};
use crate::state::along::EntropyAlongGamma;
use crate::state::config::{ClassLabels, ClassRow, ClassSource, Config, Panel, Units};
use crate::state::derived::{problem_build, problem_for, solve_at, start_sweep, sweep_refusal};
use crate::state::findings::{AlongGamma, AtGamma};
use crate::state::generator::{GeneratedClasses, Generator};
use crate::state::outputs::round_trip_error;
use crate::state::worker_messages::solves_in_worker;

/// The page's configuration (one model, [`Config`]), read-only views of its
/// fields, and memos of what follows from it. Components read the views and
/// change the model through the methods below, which keep it consistent.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The configuration: the one model of the page (and of its link).
    pub config: RwSignal<Config>,
    /// The classes (label, count), generated when a generator describes them
    /// (more than [`BUILT_IN_SLICES_ABOVE`] made in slices, the last ones
    /// kept meanwhile); shared, so that a list of a million is not copied.
    pub classes: ReadSignal<Arc<Vec<ClassRow>>>,
    /// The focal parameter γ.
    pub gamma: Memo<f64>,
    /// Upper end of the γ slider and of the sweep.
    pub gamma_max: Memo<f64>,
    /// Log-scale y axis on the distribution plot.
    pub log_scale: Memo<bool>,
    /// Entropy unit.
    pub units: Memo<Units>,
    /// α weights (one per class, or none).
    pub alpha: Memo<Option<Arc<Vec<f64>>>>,
    /// The generator the classes come from, until they are edited by hand.
    pub generator: Memo<Option<Generator>>,
    /// The tracked class, `None` for the rarest.
    pub track: Memo<Option<usize>>,
    /// Embed mode: plots and the γ control only.
    pub embed: Memo<bool>,
    /// Panels hidden by the link.
    pub hidden: Memo<Vec<Panel>>,
    /// Notices about link or message values that were replaced by defaults.
    pub notices: RwSignal<Vec<String>>,
    /// Why the current classes cannot be solved, if they cannot.
    pub input_error: Memo<Option<String>>,
    /// The last valid problem (kept on screen while the input is invalid).
    pub problem: Memo<Option<FocalProblem>>,
    /// The labels of the last valid problem's classes, read off its classes.
    pub labels: Memo<ClassLabels>,
    /// The γ-sweep of the last valid problem once computed: it follows edits
    /// after a pause, computed a few milliseconds per task.
    pub sweep: ReadSignal<Option<Sweep>>,
    /// What the plots along γ say of a problem with too many distinct
    /// classes for the page to sweep itself: how far the worker has traced
    /// its curves, or, if it could not, that there are none
    /// ([`AppState::curves_refused`]).
    pub sweep_note: Memo<Option<String>>,
    /// Whether the curves along γ are of the current problem and γ range
    /// (false while newer ones are computed: the plots drawn from them are
    /// then marked). The tracked class's curve may lag behind: see
    /// [`curves_current`].
    pub sweep_current: Memo<bool>,
    /// The curves along γ the worker traced last (see [`AppState::entropy_along`]).
    traced: ReadSignal<Option<TracedCurves>>,
    /// The solution at the current γ, or, while a worker computes it, the
    /// one it computed last.
    pub solution: Memo<Option<Solution>>,
    /// The solution the plot of P and Q* draws: [`AppState::solution`],
    /// except that one the worker computed comes to it a task later, so that
    /// drawing a million classes is a task of its own after the captions
    /// have taken it in.
    pub drawn: ReadSignal<Option<Solution>>,
    /// The solution the reshaping map and the table show: [`AppState::drawn`],
    /// except that one the worker computed comes to them a task later again.
    pub drawn_last: ReadSignal<Option<Solution>>,
    /// The tracked class (chosen, or the rarest) along the sweep.
    pub tracked: Memo<Option<TrackedClass>>,
    /// The findings at the current γ (who gains, entropy, rare-class mass).
    pub findings_at: Memo<Option<AtGamma>>,
    /// The findings along the sweep (entropy and over-suppression γ-ranges).
    pub findings_along: Memo<Option<AlongGamma>>,
    /// Whether the solving worker failed (the page then solves every problem).
    worker_failed: RwSignal<bool>,
    /// Whether a worker could not trace the curves along γ.
    trace_failed: RwSignal<bool>,
    /// Whether the plots are marked as updating ([`AppState::solution_pending`]).
    solution_pending: Memo<bool>,
    /// How far the page's opening has got ([`AppState::opened`]).
    opening: RwSignal<u8>,
    /// γ and the largest relative difference of the round trip the worker
    /// sent last, of the problem it was given last (NaN, NaN until then).
    worker_round_trip: RwSignal<(f64, f64)>,
}

/// Whether `problem` is solved by the worker: one too large to solve within
/// a frame, unless the worker failed.
fn solved_in_worker(worker_failed: RwSignal<bool>, problem: &FocalProblem) -> bool {
    !worker_failed.get() && solves_in_worker(problem)
}

/// Whether there are no curves along γ: the problem has too many distinct
/// classes for the page to sweep itself, and either its worker failed (the
/// page then solves it itself, at γ alone) or the worker tracing them did.
fn curves_refused(
    problem: Memo<Option<FocalProblem>>,
    worker_failed: RwSignal<bool>,
    trace_failed: RwSignal<bool>,
) -> bool {
    (worker_failed.get() || trace_failed.get())
        && problem.with(|p| p.as_ref().is_some_and(solves_in_worker))
}

/// Whether the curves along γ are current ([`AppState::sweep_current`]) and,
/// for the plot of the tracked class (`with_tracked`), the tracked class's
/// curve is there too: traced by a worker, a newly chosen class has none
/// until it is traced anew.
pub(super) fn curves_current(
    sweep_current: Memo<bool>,
    tracked: Memo<Option<TrackedClass>>,
    with_tracked: bool,
) -> bool {
    sweep_current.get() && !(with_tracked && tracked.with(Option::is_none))
}

/// Classes above which the page builds a problem in slices of 12 ms, between
/// which the browser has a turn, a stage or a piece of grouping at least per
/// slice ([`crate::core::ProblemBuild`]), and takes it in a task of its own:
/// building a million classes at once takes about 70 ms in the browser, a
/// hundred thousand about 7, and weighting 40 000 classes by α, built in the
/// click's task with all that follows it, made tasks of 47–107 ms.
const BUILT_IN_SLICES_ABOVE: usize = 32_768;

/// Whether a solution of `problem` reaches the plots a task after it is
/// computed ([`a_task_later`]) rather than in the same task, `shown` being
/// the solution shown before it: one the worker computed, or the first of a
/// problem of more than [`BUILT_IN_SLICES_ABOVE`] classes.
fn comes_a_task_later(
    worker_failed: RwSignal<bool>,
    problem: &FocalProblem,
    shown: &Option<Solution>,
) -> bool {
    solved_in_worker(worker_failed, problem)
        || (problem.class_count() > BUILT_IN_SLICES_ABOVE
            && shown.as_ref().is_none_or(|s| !s.problem().same_as(problem)))
}

/// `earlier`'s solution, except that the ones [`comes_a_task_later`] names
/// come a task later (a 0 ms pause), so that the page's work on it is split into tasks
/// of its own, each short enough for the browser to keep answering input in
/// between (a 262 144-token vocabulary's first solution, drawn by four plots
/// in one task, took 50–80 ms; its later solutions, at each γ, are drawn at
/// once, as a pause would wait for the next frame).
fn a_task_later(
    earlier: impl Get<Value = Option<Solution>> + 'static,
    worker_failed: RwSignal<bool>,
) -> ReadSignal<Option<Solution>> {
    let (later, set_later) = signal(None::<Solution>);
    let next_task = Debouncer::new(0);
    Effect::new(move |_| {
        let shown = earlier.get();
        if shown.as_ref().is_some_and(|s| {
            later.with_untracked(|l| comes_a_task_later(worker_failed, s.problem(), l))
        }) {
            next_task.schedule(move || set_later.set(shown));
        } else {
            next_task.cancel();
            set_later.set(shown);
        }
    });
    later
}

/// Pause in editing after which the γ-sweep is recomputed, in milliseconds.
const SWEEP_DELAY_MS: u64 = 150;

/// Milliseconds of sweep computation per task, so that the page keeps
/// drawing and answering γ while a sweep of many classes is computed.
const SWEEP_SLICE_MS: f64 = 8.0;

/// Computes `partial` in tasks of a few milliseconds, each after the
/// browser has had a turn, and hands the finished sweep to `then`, unless a
/// newer sweep has replaced it (`current`); a sweep that fails gives `None`.
/// The slices are timer tasks, not animation frames: a slice run in a frame
/// would share its task with the browser's layout and painting.
fn compute_in_slices(
    mut partial: PartialSweep,
    current: impl Fn() -> bool + Copy + 'static,
    then: impl FnOnce(Option<Sweep>) + 'static,
) {
    set_timeout(
        move || {
            if !current() {
                return;
            }
            let slice_start = now_ms();
            let finished = advance_for(&mut partial, SWEEP_SLICE_MS);
            record_timing("sweep-slice", now_ms() - slice_start);
            match finished {
                Ok(false) => compute_in_slices(partial, current, then),
                Ok(true) => then(Some(partial.into_sweep())),
                Err(_) => then(None),
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Computes the sweep `partial` in slices, then the look beyond γ_max
/// when the findings need it ([`AlongGamma::beyond_grid`]), and shows both at once.
fn compute_sweep(
    partial: PartialSweep,
    (set_sweep, set_beyond): (WriteSignal<Option<Sweep>>, WriteSignal<Option<Sweep>>),
    current: impl Fn() -> bool + Copy + 'static,
    started: f64,
) {
    let problem = partial.problem().clone();
    let show = move |sweep: Option<Sweep>, beyond: Option<Sweep>| {
        record_timing("sweep-complete", now_ms() - started);
        set_beyond.set(beyond);
        set_sweep.set(sweep);
    };
    compute_in_slices(partial, current, move |sweep| {
        let beyond = sweep
            .as_ref()
            .and_then(|sweep| AlongGamma::beyond_grid(sweep))
            .and_then(|grid| PartialSweep::new(&problem, grid).ok());
        match beyond {
            Some(beyond) => compute_in_slices(beyond, current, move |beyond| show(sweep, beyond)),
            None => show(sweep, None),
        }
    });
}

/// A validated problem with its class labels.
type ValidInput = (FocalProblem, ClassLabels);

/// The problem of `classes` with `alpha`, validated, with the classes' labels.
fn validate(
    classes: &Arc<Vec<ClassRow>>,
    alpha: Option<&Arc<Vec<f64>>>,
) -> Result<ValidInput, String> {
    problem_for(classes, alpha.map(|a| a.as_slice()))
        .map(|p| (p, ClassLabels::of(Arc::clone(classes))))
}

/// Builds the problem of `classes` with `alpha` in slices, starting a task
/// after the change that asked for it (setting α on a million classes took
/// 40 ms with the build's first copies), and hands the problem, with the
/// classes' labels, to `validated` a task later (no longer `building`),
/// unless newer classes have taken their place (`current`).
async fn build_in_slices(
    classes: Arc<Vec<ClassRow>>,
    alpha: Option<Arc<Vec<f64>>>,
    current: impl Fn() -> bool,
    (validated, building): (RwSignal<Result<ValidInput, String>>, RwSignal<bool>),
) {
    give_the_browser_a_turn().await;
    if !current() {
        return;
    }
    let mut build = problem_build(&classes, alpha.as_deref().map(Vec::as_slice));
    let Some(built) = run_to_end_in_slices(&mut build, &current).await else {
        return;
    };
    let valid = built
        .and_then(|()| build.into_problem().map_err(|e| e.to_string()))
        .map(|p| (p, ClassLabels::of(classes)));
    give_the_browser_a_turn().await;
    if current() {
        building.set(false);
        validated.set(valid);
    }
}

/// The generator of `source` when its classes are made in slices: more
/// than [`BUILT_IN_SLICES_ABOVE`] of them (a million made at once held the
/// page for 0.2 s).
fn made_in_slices_from(source: &ClassSource) -> Option<Generator> {
    match source {
        ClassSource::Generated(generator) if source.len() > BUILT_IN_SLICES_ABOVE => {
            Some(*generator)
        }
        _ => None,
    }
}

/// The classes of `generator` made in slices, with the browser given a turn
/// between them (an invalid generator gives none, as
/// [`ClassSource::classes`]); `None` once `current` says that newer classes
/// have taken their place.
async fn make_in_slices(
    generator: Generator,
    current: &dyn Fn() -> bool,
) -> Option<Arc<Vec<ClassRow>>> {
    let Ok(mut made) = GeneratedClasses::new(generator) else {
        return Some(Arc::default());
    };
    let finished = run_to_end_in_slices(&mut made, current).await?;
    Some(Arc::new(if finished.is_ok() {
        made.into_classes()
    } else {
        Vec::new()
    }))
}

/// Whether the α weights changed, compared by address: comparing a million
/// weights cost 12 ms at every change of the configuration.
fn alpha_changed(old: Option<&Option<Arc<Vec<f64>>>>, new: Option<&Option<Arc<Vec<f64>>>>) -> bool {
    match (old, new) {
        (Some(Some(a)), Some(Some(b))) => !Arc::ptr_eq(a, b),
        (Some(None), Some(None)) => false,
        _ => true,
    }
}

/// Whether the last valid input changed: a new problem (every validation
/// makes one, new labels among the changes that lead to it).
fn valid_input_changed(old: Option<&Option<ValidInput>>, new: Option<&Option<ValidInput>>) -> bool {
    match (old, new) {
        (Some(Some((a, _))), Some(Some((b, _)))) => !a.same_as(b),
        _ => true,
    }
}

/// Memos whose values have no cheap equality always count as changed.
pub(super) fn always_changed<T>(_: Option<&T>, _: Option<&T>) -> bool {
    true
}

impl AppState {
    /// Creates the state of a configuration (from a link), with the link's
    /// notices. Many classes are made and built into a problem in slices
    /// after the page is first drawn.
    pub fn new(initial: Config, notices: Vec<String>) -> Self {
        let config = RwSignal::new(initial);
        // Each view changes only when its field does (memos compare values).
        let source = Memo::new_with_compare(
            move |_| config.with(|c| c.classes.clone()),
            |old, new| !matches!((old, new), (Some(a), Some(b)) if a.same_as(b)),
        );
        // The classes: a few made at once, a generator's many in slices (none
        // until then, or the last ones, with the plots marked as updating).
        let made_later = source.with_untracked(made_in_slices_from).is_some();
        let (classes, set_classes) = signal(if made_later {
            Arc::default()
        } else {
            source.with_untracked(ClassSource::classes)
        });
        let making = RwSignal::new(made_later);
        let latest_classes = Newest::default();
        Effect::new(move |previous: Option<()>| {
            let source = source.get();
            let current = latest_classes.start();
            if let Some(generator) = made_in_slices_from(&source) {
                making.set(true);
                leptos::task::spawn_local(async move {
                    if let Some(made) = make_in_slices(generator, &current).await {
                        making.set(false);
                        set_classes.set(made);
                    }
                });
                return;
            }
            if previous.is_none() {
                return; // Made above.
            }
            making.set(false);
            let made = source.classes();
            if classes.with_untracked(|c| !Arc::ptr_eq(c, &made) && **c != *made) {
                set_classes.set(made);
            }
        });
        let generator = Memo::new(move |_| {
            source.with(|s| match s {
                ClassSource::Generated(generator) => Some(*generator),
                ClassSource::List(_) => None,
            })
        });
        let gamma = Memo::new(move |_| config.with(|c| c.gamma));
        let gamma_max = Memo::new(move |_| config.with(|c| c.gamma_max));
        let alpha =
            Memo::new_with_compare(move |_| config.with(|c| c.alpha.clone()), alpha_changed);
        let track = Memo::new(move |_| config.with(|c| c.track));
        // The classes as the core validated them: a few at once, many in
        // slices (the last valid problem stays on screen meanwhile).
        let first = (classes.get_untracked(), alpha.get_untracked());
        // Many are built after the page is first drawn (no problem until then).
        let at_once = first.0.len() <= BUILT_IN_SLICES_ABOVE;
        let validated = RwSignal::new(if at_once {
            validate(&first.0, first.1.as_ref())
        } else {
            Err(String::new())
        });
        let latest_build = Newest::default();
        // Whether a problem of many classes is being built in slices (the
        // plots then show the last one, or none yet, marked as updating).
        let building = RwSignal::new(!at_once);
        let mut validated_first = at_once.then_some(first);
        Effect::new(move |_| {
            let (classes, alpha) = (classes.get(), alpha.get());
            let current = latest_build.start();
            let first = validated_first.take();
            if first.is_some_and(|(c, a)| {
                Arc::ptr_eq(&c, &classes) && !alpha_changed(Some(&a), Some(&alpha))
            }) {
                // Validated above, before the page was first drawn.
            } else if classes.len() > BUILT_IN_SLICES_ABOVE {
                building.set(true);
                leptos::task::spawn_local(build_in_slices(
                    classes,
                    alpha,
                    current,
                    (validated, building),
                ));
            } else {
                building.set(false);
                validated.set(validate(&classes, alpha.as_ref()));
            }
        });
        // (Not known while newer classes are built.)
        let input_error = Memo::new(move |_| {
            let known = !(making.get() || building.get());
            validated.with(|v| v.as_ref().err().filter(|_| known).cloned())
        });
        let valid = Memo::new_with_compare(
            move |previous: Option<&Option<ValidInput>>| match validated.get() {
                Ok(value) => Some(value),
                Err(_) => previous.cloned().flatten(),
            },
            valid_input_changed,
        );
        let problem = Memo::new_with_compare(
            move |_| valid.with(|v| v.as_ref().map(|(p, _)| p.clone())),
            |old, new| match (old, new) {
                (Some(Some(a)), Some(Some(b))) => !a.same_as(b),
                _ => true,
            },
        );
        let labels = Memo::new_with_compare(
            move |_| valid.with(|v| v.as_ref().map(|(_, l)| l.clone()).unwrap_or_default()),
            |old, new| !matches!((old, new), (Some(a), Some(b)) if a.same_as(b)),
        );
        // The sweep (256 solves) waits until edits pause, so that typing stays
        // responsive with many classes, and is then computed in short tasks.
        let (sweep, set_sweep) = signal(None::<Sweep>);
        let (beyond, set_beyond) = signal(None::<Sweep>);
        let edits = Debouncer::new(SWEEP_DELAY_MS);
        let latest_sweep = Newest::default();
        Effect::new(move |previous: Option<()>| {
            let gamma_max = gamma_max.get();
            let Some(started) = problem.with(|p| p.as_ref().map(|p| start_sweep(p, gamma_max)))
            else {
                return;
            };
            let current = latest_sweep.start();
            let Ok(partial) = started else {
                // Refused (see `sweep_refusal`): no sweep, and none in flight.
                set_beyond.set(None);
                set_sweep.set(None);
                return;
            };
            let start = move || compute_sweep(partial, (set_sweep, set_beyond), current, now_ms());
            if previous.is_some() {
                edits.schedule(start);
            } else {
                start();
            }
        });
        // Problems too large to solve within a frame are solved by a worker:
        // γ goes to it, and its solutions come back here. Should the worker
        // fail, the page solves on the main thread again, as it always can.
        let (from_worker, set_from_worker) = signal(None::<Solution>);
        let worker_round_trip = RwSignal::new((f64::NAN, f64::NAN));
        let worker_failed = RwSignal::new(false);
        let worker_unsolved = RwSignal::new(false);
        let solve_worker = SolveWorker::new(
            (set_from_worker, worker_unsolved),
            worker_round_trip,
            worker_failed,
        );
        let in_worker = move |p: &FocalProblem| solved_in_worker(worker_failed, p);
        Effect::new(move |_| {
            problem.with(|p| {
                if let Some(p) = p.as_ref().filter(|p| in_worker(p)) {
                    solve_worker.solve(p, gamma.get());
                }
            })
        });
        let solution = Memo::new_with_compare(
            move |previous: Option<&Option<Solution>>| {
                problem.with(|p| {
                    let p = p.as_ref()?;
                    if in_worker(p) {
                        return from_worker
                            .with(|s| s.as_ref().filter(|s| s.problem().same_as(p)).cloned());
                    }
                    let previous = previous.and_then(Option::as_ref);
                    let gamma = gamma.get();
                    sweep.with_untracked(|s| solve_at(p, s.as_ref(), previous, gamma).ok())
                })
            },
            always_changed,
        );
        let drawn = a_task_later(solution, worker_failed);
        let drawn_last = a_task_later(drawn, worker_failed);
        // The tracked class: the one chosen while it is present, else the rarest.
        let tracked_class = move || {
            let chosen = track.get();
            problem.with(|p| {
                let p = p.as_ref()?;
                Some(
                    chosen
                        .filter(|&c| p.p(c) > 0.0)
                        .unwrap_or_else(|| p.rarest_class()),
                )
            })
        };
        // Problems the page does not sweep itself (those solved in the
        // worker) have their curves along γ traced by a worker of their own.
        let traced_here = move || problem.with(|p| p.as_ref().is_some_and(in_worker));
        let (traced, set_traced) = signal(None::<TracedCurves>);
        let trace_progress = RwSignal::new(None::<f64>);
        let trace_failed = RwSignal::new(false);
        let trace_worker = TraceWorker::new(set_traced, trace_progress, trace_failed);
        let tracked = Memo::new(move |_| {
            let class = tracked_class()?;
            if traced_here() {
                return traced.with(|t| {
                    let tracked = &t.as_ref()?.curves.tracked;
                    (tracked.class == class).then(|| tracked.clone())
                });
            }
            sweep.with(|sweep| track_class(sweep.as_ref()?, class).ok())
        });
        let findings_at = Memo::new_with_compare(
            move |_| solution.with(|s| s.as_ref().map(AtGamma::new)),
            always_changed,
        );
        let findings_along = Memo::new_with_compare(
            move |_| {
                if traced_here() {
                    return traced.with(|t| Some(t.as_ref()?.curves.findings.clone()));
                }
                beyond.with(|beyond| {
                    sweep.with(|s| {
                        let beyond = beyond.as_ref().map(|b| b as &dyn SweepReadouts);
                        AlongGamma::with_beyond(s.as_ref()?, beyond).ok()
                    })
                })
            },
            always_changed,
        );
        let sweep_current = Memo::new(move |_| {
            let gamma_max = gamma_max.get();
            if traced_here() {
                return traced.with(|t| {
                    problem.with(|p| match (t, p) {
                        (Some(t), Some(p)) => t.problem.same_as(p) && t.gamma_max == gamma_max,
                        _ => false,
                    })
                });
            }
            sweep.with(|s| {
                problem.with(|p| match (s, p) {
                    (Some(s), Some(p)) => {
                        s.gamma_max() == gamma_max
                            && s.solutions()
                                .first()
                                .is_some_and(|f| f.problem().same_as(p))
                    }
                    _ => false,
                })
            })
        });
        // Computed once for all the plots that are marked by it.
        let solution_pending = Memo::new(move |_| {
            let gamma = gamma.get();
            // Shown, or drawn in this very task: a solution computed here is
            // drawn in the task that computes it unless it is the first of a
            // large problem, and marking the plots for that moment only made
            // the browser recompute the page's style in the middle of each γ
            // change (`aria-busy` set and cleared on every plot; 0.2–2.3 ms
            // traced, and more style work in the frame after it).
            let shown = problem.with(|problem| {
                let Some(p) = problem else {
                    return true;
                };
                let at_gamma = |s: &Option<Solution>| {
                    s.as_ref()
                        .is_some_and(|s| s.problem().same_as(p) && s.gamma() == gamma)
                };
                drawn_last.with(|drawn| {
                    at_gamma(drawn)
                        || (!comes_a_task_later(worker_failed, p, drawn) && solution.with(at_gamma))
                })
            });
            // Whether the core could not solve the current problem at γ: found
            // at once on the main thread, told by the worker for its problems.
            let unsolved = || {
                problem.with(|p| {
                    p.as_ref().is_some_and(|p| {
                        if in_worker(p) {
                            worker_unsolved.get()
                        } else {
                            solution.with(Option::is_none)
                        }
                    })
                })
            };
            making.get() || building.get() || !(shown || unsolved())
        });
        // A trace takes a core for seconds (17 s for a million distinct
        // classes): it starts once the page shows the problem's solution, so
        // that it does not slow the page's own work on it, and after edits
        // pause; one of other classes, γ range or tracked class stops at once,
        // and so does one whose classes or α are being replaced (the page's
        // build of the new problem then has the core).
        let traces = Debouncer::new(SWEEP_DELAY_MS);
        Effect::new(move |_| {
            let (gamma_max, class) = (gamma_max.get(), tracked_class());
            let replaced = making.get() || building.get();
            let wanted = problem
                .with(|p| p.clone().zip(class))
                .filter(|_| traced_here() && !replaced);
            let trace_worker = trace_worker.clone();
            let Some((p, class)) = wanted else {
                traces.cancel();
                trace_worker.stop();
                return;
            };
            if !trace_worker.traces(&p, gamma_max, class) {
                trace_worker.stop();
            }
            // Traced already, the tracked class too.
            if solution_pending.get() || curves_current(sweep_current, tracked, true) {
                traces.cancel();
            } else {
                traces.schedule(move || trace_worker.trace(&p, gamma_max, class));
            }
        });
        // The page is mounted a part a task ([`AppState::opened`]); past the
        // editors, once a link's many classes are made and built (into a
        // problem or an error), so that each later part takes in its content
        // in its own task, not all of them at once when the problem comes.
        let opening = RwSignal::new(0);
        let next_stage = Debouncer::new(0);
        Effect::new(move |_| {
            let stage = opening.get();
            // (Opened: no longer watching the classes being made or built.)
            if stage >= LAST_OPENING_STAGE {
                return;
            }
            let classes_pending = stage >= EDITORS_STAGE && (making.get() || building.get());
            if classes_pending {
                // A stage scheduled in the turn before the classes began to
                // be made waits for them too.
                next_stage.cancel();
            } else {
                next_stage.schedule(move || opening.set(stage + 1));
            }
        });
        AppState {
            config,
            classes,
            gamma,
            gamma_max,
            log_scale: Memo::new(move |_| config.with(|c| c.log_scale)),
            units: Memo::new(move |_| config.with(|c| c.units)),
            alpha,
            generator,
            track,
            embed: Memo::new(move |_| config.with(|c| c.embed)),
            hidden: Memo::new(move |_| config.with(|c| c.hidden.clone())),
            notices: RwSignal::new(notices),
            input_error,
            problem,
            labels,
            sweep,
            sweep_note: Memo::new(move |_| {
                let not_swept = problem.with(|p| p.as_ref().and_then(sweep_refusal))?;
                if curves_refused(problem, worker_failed, trace_failed) {
                    return Some(
                        not_swept + " It could not run here; everything at the current γ is shown.",
                    );
                }
                let percent = (trace_progress.get()? * 100.0).round() as u32;
                Some(format!(
                    "A worker traces the curves along γ of these many distinct counts: {percent} % done."
                ))
            }),
            sweep_current,
            traced,
            solution,
            drawn,
            drawn_last,
            tracked,
            findings_at,
            findings_along,
            worker_failed,
            trace_failed,
            solution_pending,
            worker_round_trip,
            opening,
        }
    }
}

/// The stage of the page's opening at which the editors are mounted: the
/// later ones wait for a link's many classes to be made and built.
pub const EDITORS_STAGE: u8 = 2;

/// The last stage of the page's opening ([`AppState::opened`]).
pub const LAST_OPENING_STAGE: u8 = 9;

impl AppState {
    /// Whether the page's opening has reached `stage` (0 to
    /// [`LAST_OPENING_STAGE`]): its parts are mounted a stage at a time, each
    /// a task after the one before, the γ bar first and the first plot next
    /// (mounting the whole page at once was one task of 50–92 ms; the γ bar
    /// with the first plot, one of 20–34 ms). Past [`EDITORS_STAGE`] the
    /// stages wait for a link's many classes to be built: each panel then
    /// mounts with its content (the 262 144-token link's panels, mounted
    /// before its problem came, took it in together, in a task of 55–147 ms).
    pub fn opened(&self, stage: u8) -> bool {
        self.opening.get() >= stage
    }

    /// Whether the plots are marked as updating: many classes are being made
    /// or built into a problem, or they do not yet show the solution of the current
    /// problem at the current γ (it is on its way from the worker, or to be
    /// drawn a task later; one drawn in the task that computes it is not
    /// waited for), unless the core could not solve it (then none comes).
    pub fn solution_pending(&self) -> bool {
        self.solution_pending.get()
    }

    /// Whether there are no curves along γ ([`curves_refused`]).
    pub fn curves_refused(&self) -> bool {
        curves_refused(self.problem, self.worker_failed, self.trace_failed)
    }

    /// H(Q*) and the minimal focal-entropy along γ, with the problem they
    /// are of: read off the page's sweep, or, for a problem the page does not
    /// sweep, traced by the worker.
    pub fn entropy_along(&self) -> Option<(FocalProblem, EntropyAlongGamma)> {
        let traced_here = self.problem.with(|p| {
            p.as_ref()
                .is_some_and(|p| solved_in_worker(self.worker_failed, p))
        });
        if traced_here {
            return self.traced.with(|t| {
                let t = t.as_ref()?;
                Some((t.problem.clone(), t.curves.entropy.clone()))
            });
        }
        self.sweep.with(|s| {
            let s = s.as_ref()?;
            let problem = s.solutions().first()?.problem().clone();
            Some((problem, EntropyAlongGamma::new(s).ok()?))
        })
    }

    /// The largest relative difference between P and the P recovered from
    /// `solution`'s Q* (the round trip P → Q* → P): the worker's for a
    /// problem it solves (`None` until it has sent it), else computed here.
    pub fn round_trip_error(&self, solution: &Solution) -> Option<f64> {
        if !solved_in_worker(self.worker_failed, solution.problem()) {
            return round_trip_error(solution);
        }
        // The worker's solutions are of the problem it was given last.
        let (gamma, worst) = self.worker_round_trip.get();
        (gamma == solution.gamma()).then_some(worst)
    }

    /// Changes the configuration; whatever the change leaves inconsistent
    /// (α or a tracked class that no longer fit the classes, γ above γ max)
    /// is put right by the model, silently: the person made the change.
    pub fn update(&self, change: impl FnOnce(&mut Config)) {
        self.config.update(|config| {
            change(config);
            config.keep_invariants();
        });
    }

    /// Sets γ, raising γ max to it when needed.
    pub fn set_gamma(&self, gamma: f64) {
        self.update(|c| c.set_gamma(gamma));
    }

    /// Replaces the classes by a hand-edited list (the generator no longer applies).
    pub fn edit_classes(&self, rows: Vec<ClassRow>) {
        self.update(|c| {
            c.set_classes(ClassSource::list(rows));
        });
    }

    /// Edits the classes in place by hand (the generator no longer applies).
    pub fn update_classes(&self, edit: impl FnOnce(&mut Vec<ClassRow>)) {
        let mut rows = self.classes.get_untracked().to_vec();
        edit(&mut rows);
        self.edit_classes(rows);
    }

    /// Generates the classes from a profile.
    pub fn set_generator(&self, generator: Generator) {
        self.update(|c| {
            c.set_classes(ClassSource::Generated(generator));
        });
    }

    /// Whether a panel is shown: not hidden by `hide=`, and in embed mode only
    /// the plots (and the γ control, which is not a panel).
    pub fn shows(&self, panel: Panel) -> bool {
        let embedded_away = self.embed.get()
            && matches!(
                panel,
                Panel::Counts | Panel::Table | Panel::Summary | Panel::Text | Panel::Invert
            );
        !embedded_away && !self.hidden.with(|h| h.contains(&panel))
    }
}

/// The state provided by the app (a component outside the app is a bug, not
/// a reason to show a second, silent default state).
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

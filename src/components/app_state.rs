//! The page's reactive state: the configuration as signals and the derived
//! results as memos, shared with every component through context.

use leptos::prelude::*;

use crate::core::{FocalProblem, Solution, Sweep};
use crate::state::config::{default_classes, ClassRow, Units, DEFAULT_GAMMA, DEFAULT_GAMMA_MAX};
use crate::state::derived::{problem_for, solve_at, sweep_for};

/// Signals of everything a person edits, and memos of what follows from them.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The classes (label, count).
    pub classes: RwSignal<Vec<ClassRow>>,
    /// The focal parameter γ.
    pub gamma: RwSignal<f64>,
    /// Upper end of the γ slider and of the sweep.
    pub gamma_max: RwSignal<f64>,
    /// Log-scale y axis on the distribution plot.
    pub log_scale: RwSignal<bool>,
    /// Entropy unit.
    pub units: RwSignal<Units>,
    /// Why the current classes cannot be solved, if they cannot.
    pub input_error: Memo<Option<String>>,
    /// The last valid problem (kept on screen while the input is invalid).
    pub problem: Memo<Option<FocalProblem>>,
    /// The labels of the last valid problem's classes.
    pub labels: Memo<Vec<String>>,
    /// The γ-sweep of the last valid problem.
    pub sweep: Memo<Option<Sweep>>,
    /// The solution at the current γ.
    pub solution: Memo<Option<Solution>>,
}

/// Pause in editing after which the γ-sweep is recomputed, in milliseconds.
const SWEEP_DELAY_MS: u64 = 150;

/// A validated problem with its class labels.
type ValidInput = (FocalProblem, Vec<String>);

/// Whether the last valid input changed: a new problem or new labels.
fn valid_input_changed(old: Option<&Option<ValidInput>>, new: Option<&Option<ValidInput>>) -> bool {
    match (old, new) {
        (Some(Some((a, labels_a))), Some(Some((b, labels_b)))) => {
            !a.same_as(b) || labels_a != labels_b
        }
        _ => true,
    }
}

/// Memos whose values have no cheap equality always count as changed.
fn always_changed<T>(_: Option<&T>, _: Option<&T>) -> bool {
    true
}

impl AppState {
    /// Creates the state with the defaults (99 cows, 1 tiger, γ = 2).
    pub fn new() -> Self {
        let classes = RwSignal::new(default_classes());
        let gamma = RwSignal::new(DEFAULT_GAMMA);
        let gamma_max = RwSignal::new(DEFAULT_GAMMA_MAX);
        let validated = Memo::new_with_compare(
            move |_| {
                classes.with(|c| {
                    problem_for(c, None)
                        .map(|p| (p, c.iter().map(|r| r.label.clone()).collect::<Vec<_>>()))
                })
            },
            always_changed,
        );
        let input_error = Memo::new(move |_| validated.with(|v| v.as_ref().err().cloned()));
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
        let labels = Memo::new(move |_| {
            valid.with(|v| v.as_ref().map(|(_, l)| l.clone()).unwrap_or_default())
        });
        // The sweep (256 solves) waits until edits pause, so that typing stays
        // responsive with many classes.
        let sweep_due = RwSignal::new(0u64);
        let edits = StoredValue::new(0u64);
        Effect::new(move |previous: Option<()>| {
            problem.track();
            gamma_max.track();
            if previous.is_none() {
                // The memo computes the first sweep itself when first read.
                return;
            }
            let edit = edits.get_value() + 1;
            edits.set_value(edit);
            set_timeout(
                move || {
                    if edits.get_value() == edit {
                        sweep_due.set(edit);
                    }
                },
                std::time::Duration::from_millis(SWEEP_DELAY_MS),
            );
        });
        let sweep = Memo::new_with_compare(
            move |_| {
                sweep_due.track();
                let gamma_max = gamma_max.get_untracked();
                problem.with_untracked(|p| p.as_ref().and_then(|p| sweep_for(p, gamma_max).ok()))
            },
            always_changed,
        );
        let solution = Memo::new_with_compare(
            move |_| {
                let gamma = gamma.get();
                problem.with(|p| {
                    let p = p.as_ref()?;
                    sweep.with_untracked(|s| solve_at(p, s.as_ref(), gamma).ok())
                })
            },
            always_changed,
        );
        AppState {
            classes,
            gamma,
            gamma_max,
            log_scale: RwSignal::new(false),
            units: RwSignal::new(Units::Nats),
            input_error,
            problem,
            labels,
            sweep,
            solution,
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// The state provided by the app.
pub fn use_app_state() -> AppState {
    use_context::<AppState>().unwrap_or_default()
}

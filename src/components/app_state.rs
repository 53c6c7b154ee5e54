//! The page's reactive state: the configuration as signals and the derived
//! results as memos, shared with every component through context.

use leptos::prelude::*;

use super::Debouncer;
use crate::core::{track_class, FocalProblem, Solution, Sweep, TrackedClass};
use crate::state::config::{ClassRow, Units};
use crate::state::derived::{problem_for, solve_at, sweep_for};
use crate::state::findings::{AlongGamma, AtGamma};
use crate::state::generator::Generator;
use crate::state::url::{ClassSource, Panel, ShareState};

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
    /// α weights (used when there is one per class).
    pub alpha: RwSignal<Option<Vec<f64>>>,
    /// The generator the classes come from, until they are edited by hand.
    pub generator: RwSignal<Option<Generator>>,
    /// The tracked class, `None` for the rarest.
    pub track: RwSignal<Option<usize>>,
    /// Embed mode: plots and the γ control only.
    pub embed: RwSignal<bool>,
    /// Panels hidden by the link.
    pub hidden: RwSignal<Vec<Panel>>,
    /// Notices about link or message values that were replaced by defaults.
    pub notices: RwSignal<Vec<String>>,
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
    /// The tracked class (chosen, or the rarest) along the sweep.
    pub tracked: Memo<Option<TrackedClass>>,
    /// The findings at the current γ (who gains, entropy, rare-class mass).
    pub findings_at: Memo<Option<AtGamma>>,
    /// The findings along the sweep (entropy and over-suppression γ-ranges).
    pub findings_along: Memo<Option<AlongGamma>>,
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
    /// Creates the state a link describes, with the link's notices.
    pub fn from_share(share: ShareState, notices: Vec<String>) -> Self {
        let generator = match &share.classes {
            ClassSource::Generated(generator) => Some(*generator),
            ClassSource::List(_) => None,
        };
        let classes = RwSignal::new(share.classes.classes());
        let gamma = RwSignal::new(share.gamma);
        let gamma_max = RwSignal::new(share.gamma_max);
        let alpha = RwSignal::new(share.alpha.clone());
        let validated = Memo::new_with_compare(
            move |_| {
                let alpha = alpha.get();
                classes.with(|c| {
                    problem_for(c, alpha.as_deref())
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
        let edits = Debouncer::new(SWEEP_DELAY_MS);
        Effect::new(move |previous: Option<()>| {
            problem.track();
            gamma_max.track();
            if previous.is_some() {
                // (The memo computes the first sweep itself when first read.)
                edits.schedule(move || sweep_due.update(|due| *due += 1));
            }
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
        let track = RwSignal::new(share.track);
        let tracked = Memo::new(move |_| {
            let chosen = track.get();
            let class = problem.with(|p| {
                let p = p.as_ref()?;
                Some(
                    chosen
                        .filter(|&c| p.p(c) > 0.0)
                        .unwrap_or_else(|| p.rarest_class()),
                )
            })?;
            sweep.with(|sweep| track_class(sweep.as_ref()?, class).ok())
        });
        let findings_at = Memo::new_with_compare(
            move |_| solution.with(|s| s.as_ref().map(AtGamma::new)),
            always_changed,
        );
        let findings_along = Memo::new_with_compare(
            move |_| sweep.with(|s| s.as_ref().and_then(|s| AlongGamma::new(s).ok())),
            always_changed,
        );
        AppState {
            classes,
            gamma,
            gamma_max,
            log_scale: RwSignal::new(share.log_scale),
            units: RwSignal::new(share.units),
            alpha,
            generator: RwSignal::new(generator),
            track,
            embed: RwSignal::new(share.embed),
            hidden: RwSignal::new(share.hidden),
            notices: RwSignal::new(notices),
            input_error,
            problem,
            labels,
            sweep,
            solution,
            tracked,
            findings_at,
            findings_along,
        }
    }
}

impl AppState {
    /// The configuration as a link state (reading every signal, so tracked).
    pub fn share_state(&self) -> ShareState {
        let classes = match self.generator.get() {
            Some(generator) => ClassSource::Generated(generator),
            None => ClassSource::List(self.classes.get()),
        };
        let class_count = self.classes.with(Vec::len);
        ShareState {
            classes,
            gamma: self.gamma.get(),
            alpha: self.alpha.get(),
            gamma_max: self.gamma_max.get(),
            log_scale: self.log_scale.get(),
            units: self.units.get(),
            track: self.track.get().filter(|&t| t < class_count),
            embed: self.embed.get(),
            hidden: self.hidden.get(),
        }
    }

    /// The configuration as a link state, without tracking.
    pub fn share_state_untracked(&self) -> ShareState {
        untrack(|| self.share_state())
    }

    /// Applies a link state to the signals (used for host-page messages).
    pub fn apply(&self, share: ShareState) {
        match share.classes {
            ClassSource::Generated(generator) => self.set_generator(generator),
            ClassSource::List(rows) => {
                if self.classes.with_untracked(|c| *c != rows) {
                    self.edit_classes(rows);
                }
            }
        }
        self.gamma_max.set(share.gamma_max);
        self.gamma.set(share.gamma);
        self.alpha.set(share.alpha);
        self.log_scale.set(share.log_scale);
        self.units.set(share.units);
        self.track.set(share.track);
    }

    /// Replaces the classes by a hand-edited list (the generator no longer applies).
    pub fn edit_classes(&self, rows: Vec<ClassRow>) {
        self.generator.set(None);
        self.classes.set(rows);
        self.drop_misfit_alpha();
    }

    /// Edits the classes in place by hand (the generator no longer applies).
    pub fn update_classes(&self, edit: impl FnOnce(&mut Vec<ClassRow>)) {
        self.generator.set(None);
        self.classes.update(edit);
        self.drop_misfit_alpha();
    }

    /// Generates the classes from a profile.
    pub fn set_generator(&self, generator: Generator) {
        if let Ok(rows) = generator.classes() {
            self.classes.set(rows);
            self.generator.set(Some(generator));
            self.drop_misfit_alpha();
        }
    }

    /// Drops the α weights once they no longer give one weight per class
    /// (every change of the classes goes through the methods above).
    fn drop_misfit_alpha(&self) {
        let count = self.classes.with_untracked(Vec::len);
        if self
            .alpha
            .with_untracked(|a| a.as_ref().is_some_and(|a| a.len() != count))
        {
            self.alpha.set(None);
        }
    }

    /// Whether a panel is shown: not hidden by `hide=`, and in embed mode only
    /// the plots (and the γ control, which is not a panel).
    pub fn shows(&self, panel: Panel) -> bool {
        let embedded_away = self.embed.get()
            && matches!(
                panel,
                Panel::Counts | Panel::Table | Panel::Summary | Panel::Text
            );
        !embedded_away && !self.hidden.with(|h| h.contains(&panel))
    }
}

/// The state provided by the app (a component outside the app is a bug, not
/// a reason to show a second, silent default state).
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

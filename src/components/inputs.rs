//! The inputs: class rows, the paste box, γ (slider and number box) and view options.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::app_state::use_app_state;
use super::slices::read_class_list;
use super::Newest;
use crate::core::MAX_GAMMA;
use crate::state::classes::{
    alpha_as_text, alpha_from_text, classes_as_text, classes_from_entries, classes_from_text,
    inverse_frequency_alpha, shown_as_text, text_after_paste, ClassListReader, LARGE_PASTE_BYTES,
    MAX_CLASSES_AS_TEXT,
};
use crate::state::config::{default_label, parse_gamma, ClassRow, Units};
use crate::state::format::{progress_status, shortest};
use crate::state::generator::{Generator, PROFILES};
use crate::state::number::parse_decimal;

/// Most rows shown as editable fields; larger lists are edited in the paste box.
pub const MAX_EDITABLE_ROWS: usize = 60;

/// Editable class rows with add and remove buttons.
#[component]
pub fn ClassEditor() -> impl IntoView {
    let state = use_app_state();
    let count = move || state.classes.with(|c| c.len());
    let set_label = move |index: usize, label: String| {
        state.update_classes(|rows| {
            if let Some(row) = rows.get_mut(index) {
                row.label = Some(label);
            }
        })
    };
    let set_count = move |index: usize, text: String| {
        let value = parse_decimal(text.trim()).unwrap_or(f64::NAN);
        state.update_classes(|rows| {
            if let Some(row) = rows.get_mut(index) {
                row.count = value;
            }
        })
    };
    let remove = move |index: usize| {
        state.update_classes(|rows| {
            if rows.len() > 1 && index < rows.len() {
                // The classes after it keep the labels their places gave them.
                for (place, row) in rows.iter_mut().enumerate().skip(index) {
                    row.label.get_or_insert_with(|| default_label(place));
                }
                rows.remove(index);
            }
        })
    };
    let add = move |_| state.update_classes(|rows| rows.push(ClassRow::unlabelled(1.0)));
    view! {
        <Show
            when=move || { count() <= MAX_EDITABLE_ROWS }
            fallback=move || view! {
                <p class="hint">{move || if shown_as_text(count()) {
                    format!("{} classes: edit them in the paste box below.", count())
                } else {
                    format!("{} classes: paste a list or load a counts file below to replace them.", count())
                }}</p>
            }
        >
            <table class="class-rows">
                <thead><tr><th scope="col">"Label"</th><th scope="col">"Count"</th><th></th></tr></thead>
                <tbody>
                    <For
                        each=move || 0..count()
                        key=|index| *index
                        children=move |index| {
                            let label = move || state.classes.with(|r| r.get(index).map(|c| c.label_at(index)).unwrap_or_default());
                            let value = move || state.classes.with(|r| r.get(index).map(|c| if c.count.is_nan() { String::new() } else { c.count.to_string() }).unwrap_or_default());
                            view! {
                                <tr>
                                    <td><input type="text" class="label-input" aria-label=format!("label of class {}", index + 1)
                                        prop:value=label on:input=move |e| set_label(index, event_target_value(&e)) /></td>
                                    <td><input type="text" inputmode="decimal" class="count-input" aria-label=format!("count of class {}", index + 1)
                                        prop:value=value on:change=move |e| set_count(index, event_target_value(&e)) /></td>
                                    <td><button class="icon" title="Remove this class" aria-label=format!("remove class {}", index + 1)
                                        disabled=move || count() <= 1 on:click=move |_| remove(index)>"×"</button></td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
            <button class="secondary" on:click=add>"+ Add class"</button>
        </Show>
    }
}

/// The contents of a text box that edits a value kept in the state: it shows
/// the value's text whenever the value changes elsewhere (rows, presets,
/// links), and keeps the person's own typing, formatting included, for as
/// long as the value is what that typing made it.
#[derive(Clone, Copy)]
struct EditedText {
    /// The value as text, the way the box shows it when it was set elsewhere.
    shown: Signal<String>,
    /// What the box holds.
    text: RwSignal<String>,
    /// Why what was typed is not accepted, if it is not.
    error: RwSignal<Option<String>>,
    /// `shown` right after the person's last accepted typing.
    typed: StoredValue<Option<String>>,
}

impl EditedText {
    /// A box showing `shown` and following its changes made elsewhere.
    fn new(shown: Signal<String>) -> Self {
        let edited = EditedText {
            shown,
            text: RwSignal::new(shown.get_untracked()),
            error: RwSignal::new(None),
            typed: StoredValue::new(None),
        };
        Effect::new(move |_| {
            let current = shown.get();
            if edited
                .typed
                .with_value(|t| t.as_deref() != Some(current.as_str()))
            {
                edited.typed.set_value(None);
                edited.text.set(current);
                edited.error.set(None);
            }
        });
        edited
    }

    /// Takes what the person typed: shows the parse error, or hands the
    /// parsed value to `commit` (which stores it in the state).
    fn input<T>(self, value: String, parsed: Result<T, String>, commit: impl FnOnce(T)) {
        self.text.set(value);
        match parsed {
            Ok(parsed) => {
                self.error.set(None);
                commit(parsed);
                self.typed.set_value(Some(self.shown.get_untracked()));
            }
            Err(message) => self.error.set(Some(message)),
        }
    }

    /// Whether what was typed is refused.
    fn invalid(self) -> bool {
        self.error.with(Option::is_some)
    }
}

/// A text box that accepts `99, 1`, one count per line, or `label,count` lines.
#[component]
pub fn PasteBox() -> impl IntoView {
    let state = use_app_state();
    let class_count = move || state.classes.with(|c| c.len());
    let box_shows_text = move || shown_as_text(class_count());
    let edited = EditedText::new(Signal::derive(move || {
        if box_shows_text() {
            state.classes.with(|c| classes_as_text(c))
        } else {
            String::new()
        }
    }));
    // Reads the classes of what the box holds, `value`; above
    // MAX_CLASSES_AS_TEXT classes the box is emptied, at once, before the
    // browser lays the text out (which drawing the plots would make it do:
    // 262 144 lines took it 3.6 s, a million 20 s).
    let commit = move |value: String,
                       parsed: Result<Vec<ClassRow>, String>,
                       text_box: Option<web_sys::HtmlTextAreaElement>| {
        let kept = match &parsed {
            Ok(classes) if !shown_as_text(classes.len()) => {
                if let Some(text_box) = text_box {
                    text_box.set_value("");
                }
                String::new()
            }
            _ => value,
        };
        edited.input(kept, parsed, |classes| state.edit_classes(classes));
    };
    // The share of a large paste read so far, while it is read; typing or
    // another paste takes its place.
    let reading = RwSignal::new(None::<f64>);
    let pastes = Newest::default();
    let text_box_of = |event: &web_sys::Event| {
        event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    };
    let on_input = move |event: web_sys::Event| {
        // Typing takes the place of a paste still being read.
        let _ = pastes.start();
        reading.set(None);
        let value = event_target_value(&event);
        let parsed = classes_from_text(&value);
        commit(value, parsed, text_box_of(&event));
    };
    // A large paste never reaches the browser's text box, which would insert
    // and lay it out in one long task (a real paste of 200 000 lines took
    // 3.4 s, of a million more than a minute): the page reads what the box
    // would then hold, a slice of lines at a time with the share read
    // shown, and the box shows it only if it shows the classes.
    let on_paste = move |event: web_sys::ClipboardEvent| {
        let Some(pasted) = event
            .clipboard_data()
            .and_then(|data| data.get_data("text").ok())
            .filter(|pasted| pasted.len() > LARGE_PASTE_BYTES)
        else {
            return;
        };
        let Some(text_box) = text_box_of(&event) else {
            return;
        };
        event.prevent_default();
        // The selection read as properties (through the same calls as
        // `event_target_value`: fewer bindings in the download).
        let position = |name: &str| {
            js_sys::Reflect::get(&text_box, &name.into())
                .ok()
                .and_then(|at| at.as_f64())
                .unwrap_or(0.0) as usize
        };
        let text = text_after_paste(
            &event_target_value(&event),
            position("selectionStart"),
            position("selectionEnd"),
            &pasted,
        );
        text_box.set_value("");
        let current = pastes.start();
        reading.set(Some(0.0));
        leptos::task::spawn_local(async move {
            let parsed = match ClassListReader::new(&text) {
                Ok(reader) => {
                    let progress = |share| reading.set(Some(share));
                    match read_class_list(reader, classes_from_entries, &progress, &current).await {
                        Some(read) => read,
                        None => return,
                    }
                }
                Err(why) => Err(why.to_string()),
            };
            reading.set(None);
            // A text with a mistake stays in the box only if the box could
            // show its classes: a million lines would be laid out at once.
            let kept = match &parsed {
                Err(_) if !shown_as_text(text.lines().count()) => String::new(),
                _ => text,
            };
            commit(kept, parsed, None);
        });
    };
    view! {
        <label for="counts-input" class="field-label">"Paste counts"</label>
        <textarea
            id="counts-input"
            data-testid="counts-input"
            rows="5"
            spellcheck="false"
            placeholder="99, 1   or one count per line   or label,count lines"
            aria-describedby="counts-help"
            aria-invalid=move || edited.invalid().to_string()
            prop:value=move || edited.text.get()
            on:input=on_input
            on:paste=on_paste
        ></textarea>
        <p id="counts-help" class="hint">"Accepts " <code>"99, 1"</code> ", one count per line, or " <code>"label,count"</code> " lines."</p>
        <p class="hint" role="status" data-testid="paste-status" hidden=move || reading.with(Option::is_none)>
            {move || reading.get().map(|share| progress_status("Reading", "the pasted counts", share))}
        </p>
        <p class="hint" data-testid="counts-not-shown" hidden=box_shows_text>{move || format!(
            "The {} classes are too many to show here as text (more than {MAX_CLASSES_AS_TEXT}); what you paste replaces them.",
            class_count()
        )}</p>
        <p class="error" role="alert" data-testid="paste-error" hidden=move || !edited.invalid()>
            {move || edited.error.get().unwrap_or_default()}</p>
    }
}

/// Per-class α weights (α-balanced focal loss): one number per class, with
/// inverse-frequency presets, so a person can see whether α undoes
/// over-suppression. Empty means no weights.
#[component]
pub fn AlphaEditor() -> impl IntoView {
    let state = use_app_state();
    // Like the paste box, the box shows no more than MAX_CLASSES_AS_TEXT
    // weights: a million as text took 4.4 s to set, and then 0.4 s at every
    // γ step, when the browser saves the box's value with the address.
    let weights = move || state.alpha.with(|a| a.as_ref().map_or(0, |a| a.len()));
    let edited = EditedText::new(Signal::derive(move || {
        state.alpha.with(|a| match a {
            Some(a) if shown_as_text(a.len()) => alpha_as_text(a),
            _ => String::new(),
        })
    }));
    let on_input = move |event| {
        let value = event_target_value(&event);
        let parsed = if value.trim().is_empty() {
            Ok(None)
        } else {
            alpha_from_text(&value, state.classes.with_untracked(|c| c.len())).map(Some)
        };
        edited.input(value, parsed, |alpha: Option<Vec<f64>>| {
            state.update(|c| c.alpha = alpha.map(Into::into))
        });
    };
    let balance = move |power: f64| {
        let alpha = state
            .classes
            .with_untracked(|c| inverse_frequency_alpha(c, power));
        state.update(|c| c.alpha = Some(alpha.into()));
    };
    view! {
        <label for="alpha-input" class="field-label">"α weights (one per class)"</label>
        <input
            id="alpha-input"
            data-testid="alpha-input"
            type="text"
            spellcheck="false"
            placeholder=move || match weights() {
                weights if shown_as_text(weights) => "none: every class weighs 1".to_string(),
                weights => format!("{weights} weights, too many to show"),
            }
            aria-describedby="alpha-help"
            aria-invalid=move || edited.invalid().to_string()
            prop:value=move || edited.text.get()
            on:input=on_input
        />
        <div class="share-row">
            <button class="secondary" data-testid="alpha-inverse" on:click=move |_| balance(1.0)>"Inverse frequency"</button>
            <button class="secondary" data-testid="alpha-sqrt" on:click=move |_| balance(0.5)>"√ inverse frequency"</button>
            <button class="secondary" data-testid="alpha-clear" on:click=move |_| state.update(|c| c.alpha = None)
                disabled=move || state.alpha.with(Option::is_none)>"No weights"</button>
        </div>
        <p id="alpha-help" class="hint">"With α, the target is α·p normalised: inverse frequency makes it uniform, so Q* is uniform at every γ."</p>
        <p class="error" role="alert" data-testid="alpha-error" hidden=move || !edited.invalid()>
            {move || edited.error.get().unwrap_or_default()}</p>
    }
}

/// The γ slider (0 to γ_max) and number box (0 to 100).
#[component]
pub fn GammaControl() -> impl IntoView {
    let state = use_app_state();
    let typed = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let set_gamma = move |value: f64| state.set_gamma(value);
    let on_slider = move |event| {
        if let Ok(value) = parse_gamma(&event_target_value(&event)) {
            typed.set(None);
            error.set(None);
            set_gamma(value);
        }
    };
    let on_number = move |event| {
        let value = event_target_value(&event);
        match parse_gamma(&value) {
            Ok(gamma) => {
                error.set(None);
                typed.set(None);
                set_gamma(gamma);
            }
            Err(message) => {
                typed.set(Some(value));
                error.set(Some(message));
            }
        }
    };
    let shown = move || {
        typed
            .get()
            .unwrap_or_else(|| format!("{}", (state.gamma.get() * 1000.0).round() / 1000.0))
    };
    view! {
        <div class="gamma-control">
            <label for="gamma-slider" class="field-label">"Focal parameter γ"</label>
            <input
                id="gamma-slider"
                data-testid="gamma-slider"
                type="range"
                min="0"
                max=move || state.gamma_max.get().to_string()
                step="0.01"
                prop:value=move || state.gamma.get().to_string()
                on:input=on_slider
            />
            <input
                data-testid="gamma-input"
                type="number"
                min="0"
                max=MAX_GAMMA.to_string()
                step="0.1"
                aria-label="γ value"
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=shown
                on:input=on_number
            />
            <span class="error" role="alert" data-testid="gamma-error" hidden=move || error.with(Option::is_none)>
                {move || error.get().unwrap_or_default()}</span>
        </div>
    }
}

/// Log scale, units and γ_max.
#[component]
pub fn ViewOptions() -> impl IntoView {
    let state = use_app_state();
    let on_gamma_max = move |event| {
        if let Ok(value) = parse_gamma(&event_target_value(&event)) {
            if value >= 1.0 {
                state.update(|c| c.set_gamma_max(value));
            }
        }
    };
    view! {
        <div class="view-options">
            <label><input type="checkbox" data-testid="log-scale"
                prop:checked=move || state.log_scale.get()
                on:change=move |e| state.update(|c| c.log_scale = event_target_checked(&e)) />" log-scale y axis"</label>
            <label>"Units "
                <select data-testid="units" on:change=move |e| {
                    let units = if event_target_value(&e) == "bits" { Units::Bits } else { Units::Nats };
                    state.update(|c| c.units = units);
                }
                    prop:value=move || state.units.get().name()>
                    <option value="nats">"nats"</option>
                    <option value="bits">"bits"</option>
                </select>
            </label>
            <label>"γ max "
                <input type="number" min="1" max=MAX_GAMMA.to_string() step="1" class="short" data-testid="gamma-max"
                    prop:value=move || state.gamma_max.get().to_string() on:change=on_gamma_max />
            </label>
        </div>
    }
}

/// The generator of long-tail profiles, from their declarations
/// (`state::generator::PROFILES`). Choosing one generates the classes (with
/// the current number of classes, 10 to 100, and the declared defaults);
/// editing classes by hand turns them into a list.
#[component]
pub fn GeneratorPanel() -> impl IntoView {
    let state = use_app_state();
    let kind = move || state.generator.get().map_or("list", |g| g.name());
    let error = RwSignal::new(None::<String>);
    let apply = move |generator: Result<Generator, String>| match generator {
        Ok(generator) => {
            error.set(None);
            state.set_generator(generator);
        }
        Err(message) => error.set(Some(message)),
    };
    let choose = move |name: String| {
        if !PROFILES.iter().any(|p| p.name == name) {
            // "Explicit list": the same classes, now editable by hand.
            state.edit_classes(state.classes.get_untracked().to_vec());
            return;
        }
        let k = state
            .classes
            .with_untracked(|c| c.len())
            .clamp(10, 100)
            .to_string();
        apply(Generator::from_text(&name, &|parameter| {
            (parameter == "k").then(|| k.clone())
        }));
    };
    let parameter = move |name: &'static str| {
        let value = move || {
            state
                .generator
                .get()
                .and_then(|g| g.get(name))
                .map_or(String::new(), shortest)
        };
        let on_change = move |event| {
            if let Some(current) = state.generator.get_untracked() {
                apply(current.with(name, &event_target_value(&event)));
            }
        };
        view! {
            <label class="param">{name}" "
                <input type="text" inputmode="decimal" class="short" data-testid=format!("generator-{name}")
                    prop:value=value on:change=on_change />
            </label>
        }
    };
    let names = move || -> Vec<&'static str> {
        state.generator.get().map_or(Vec::new(), |g| {
            g.profile().parameters.iter().map(|p| p.name).collect()
        })
    };
    view! {
        <div class="generator">
            <label class="field-label" for="generator-kind">"Profile"</label>
            <select id="generator-kind" data-testid="generator" prop:value=kind on:change=move |e| choose(event_target_value(&e))>
                <option value="list">"explicit list"</option>
                {PROFILES.iter().map(|p| view! { <option value=p.name>{p.title}</option> }).collect_view()}
            </select>
            <div class="params">{move || names().into_iter().map(parameter).collect_view()}</div>
            <p class="error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().unwrap_or_default()}</p>
        </div>
    }
}

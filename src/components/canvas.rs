//! A canvas that follows its container's width, draws at the device's pixel
//! ratio, picks the light or dark theme, and redraws whenever the signals its
//! drawing closure reads change.

use leptos::html;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_backend::DrawingErrorKind;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

use super::app_state::use_app_state;
use super::exports::{ExportRequests, ImageFormat};
use crate::plots::recording::{Recording, RecordingArea};
use crate::plots::Theme;
use crate::state::format::shortest;

/// The device-pixel ratio of the window (1 when unknown).
pub fn device_pixel_ratio() -> f64 {
    web_sys::window().map_or(1.0, |w| w.device_pixel_ratio())
}

/// Whether the person prefers a dark colour scheme.
pub fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// The theme for the current colour scheme and pixel ratio.
pub fn current_theme() -> Theme {
    let ratio = device_pixel_ratio();
    if prefers_dark() {
        Theme::dark(ratio)
    } else {
        Theme::light(ratio)
    }
}

/// Milliseconds since navigation, from `performance.now()`.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Appends a number (milliseconds) to `window.__focalTimings[name]` when the
/// page has been asked for timings: the browser suite creates that object
/// before the page loads; without it nothing is recorded (and nothing grows).
pub fn record_timing(name: &str, milliseconds: f64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(timings) = js_sys::Reflect::get(&window, &"__focalTimings".into())
        .ok()
        .filter(|v| v.is_object())
    else {
        return;
    };
    let list = js_sys::Reflect::get(&timings, &name.into())
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
        .unwrap_or_else(|| {
            let array = js_sys::Array::new();
            let _ = js_sys::Reflect::set(&timings, &name.into(), &array);
            array
        });
    list.push(&milliseconds.into());
}

/// What drawing a layer reports: the γ of the state it shows (`None` when
/// nothing in it depends on γ), which the canvas carries as `data-gamma` so
/// that what is on screen can be observed; or `Err` with a plain-language
/// reason when plotters could not draw (shown under the plot, never dropped).
pub type LayerResult = Result<Option<f64>, String>;

/// Marks `canvas` with the γ its drawing shows (`data-gamma`).
fn mark_gamma(canvas: &web_sys::HtmlCanvasElement, drawn: &LayerResult) {
    if let Ok(Some(gamma)) = drawn {
        let _ = canvas.set_attribute("data-gamma", &shortest(*gamma));
    }
}

/// A plotters drawing error as the message shown under the plot, told by its
/// kind (formatting each backend's own error type would cost download size).
pub fn draw_error<E: std::error::Error + Send + Sync>(error: DrawingAreaErrorKind<E>) -> String {
    let why = match error {
        DrawingAreaErrorKind::BackendError(_) => "the browser refused a drawing call",
        DrawingAreaErrorKind::SharingError => "its drawing area was in use",
        DrawingAreaErrorKind::LayoutError => "its layout did not fit the space",
    };
    format!("This plot could not be drawn: {why}.")
}

/// A recorded plot replayed onto a backend, or why a drawing call failed.
fn replay_onto<DB: DrawingBackend>(recording: &Recording, target: &mut DB) -> Result<(), String> {
    let why = |error: DrawingErrorKind<DB::ErrorType>| match error {
        DrawingErrorKind::DrawingError(_) => "the browser refused a drawing call",
        DrawingErrorKind::FontError(_) => "a font could not be used",
    };
    recording
        .replay(target)
        .and_then(|()| target.present())
        .map_err(|error| format!("This plot could not be drawn: {}.", why(error)))
}

/// A drawing function of a canvas layer (or of a whole plot, for SVG export).
/// It draws into a recording that is then replayed onto the canvas or into
/// the SVG file, so that each plot's drawing code is compiled once.
pub type LayerFn = std::rc::Rc<dyn Fn(&RecordingArea, &Theme) -> LayerResult>;

/// The SVG file of a plot `css_width` × `css_height` CSS pixels large, in the
/// current colour scheme, drawn by `draw` without tracking signals.
fn svg_document(draw: &LayerFn, css_width: f64, css_height: f64) -> Result<String, String> {
    let theme = Theme {
        scale: 1.0,
        ..current_theme()
    };
    let size = (css_width.round() as u32, css_height.round() as u32);
    let recording = Recording::new(size);
    untrack(|| draw(&recording.area(), &theme))?;
    let mut svg = String::new();
    replay_onto(&recording, &mut SVGBackend::with_string(&mut svg, size))?;
    Ok(svg)
}

/// Sizes `canvas` to `css_width` × `css_height` CSS pixels at the theme's pixel ratio.
fn size_canvas(
    canvas: &web_sys::HtmlCanvasElement,
    css_width: f64,
    css_height: f64,
    theme: &Theme,
) {
    let (width, height) = (
        (css_width * theme.scale).round() as u32,
        (css_height * theme.scale).round() as u32,
    );
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
}

/// Runs a layer's drawing function on a canvas.
fn draw_layer(
    canvas: &web_sys::HtmlCanvasElement,
    draw: &dyn Fn(&RecordingArea, &Theme) -> LayerResult,
    theme: &Theme,
) -> LayerResult {
    let mut backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or("This plot could not be drawn: the browser gave no 2D canvas.")?;
    let recording = Recording::new(backend.get_size());
    let shown = draw(&recording.area(), theme)?;
    replay_onto(&recording, &mut backend)?;
    Ok(shown)
}

/// A plot canvas in two layers. `draw` paints the base layer into an off-screen
/// canvas whenever the signals it reads change; `overlay` (optional) paints on
/// top of a copy of it whenever its own signals change, so that moving a
/// marker does not redraw the whole plot. The canvas follows its container's
/// width (`aspect` = height / width) at the device's pixel ratio. While the
/// solution at the current γ is on its way from the worker, the plot is
/// dimmed and `aria-busy`.
#[component]
pub fn PlotCanvas(
    /// Stable test id of the canvas.
    test_id: &'static str,
    /// Accessible description of the plot.
    label: Signal<String>,
    /// Height as a fraction of the width.
    aspect: f64,
    /// Draws the base layer.
    draw: LayerFn,
    /// Draws the overlay layer.
    #[prop(optional)]
    overlay: Option<LayerFn>,
    /// Called with the device-pixel x of a press or drag on the canvas.
    #[prop(optional)]
    on_pointer: Option<Callback<f64>>,
    /// Draws the whole plot for an SVG export (requested through [`ExportRequests`]).
    #[prop(optional)]
    svg: Option<LayerFn>,
) -> impl IntoView {
    let state = use_app_state();
    // Why the plot could not be drawn or exported, shown under it.
    let error = RwSignal::new(None::<String>);
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let container_ref = NodeRef::<html::Div>::new();
    let width = RwSignal::new(0.0f64);
    let base_version = RwSignal::new(0u64);
    let layered = overlay.is_some();
    let css_height = move |css_width: f64| (css_width * aspect).clamp(220.0, 520.0);
    let base_canvas = layered
        .then(web_sys::window)
        .flatten()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok());
    let base_for_overlay = base_canvas.clone();
    // The width is read where the browser lays the page out anyway, in an
    // animation frame (read in a timer task, it forced a layout of the whole
    // page into that task: 9-17 ms at the opening), and set in a task after
    // it, so that the drawing it causes does not lengthen the frame.
    let measure = move || {
        if let Some(container) = container_ref.get_untracked() {
            let measured = f64::from(container.client_width());
            if measured > 0.0 && (measured - width.get_untracked()).abs() >= 1.0 {
                set_timeout(move || width.set(measured), std::time::Duration::ZERO);
            }
        }
    };
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    Effect::new(move |_| {
        if container_ref.get().is_some() {
            request_animation_frame(measure);
        }
    });
    // The base layer: straight onto the visible canvas when there is no
    // overlay, else into the off-screen canvas.
    Effect::new(move |_| {
        let css_width = width.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        if css_width <= 0.0 {
            return;
        }
        let theme = current_theme();
        let css_height = css_height(css_width);
        size_canvas(&canvas, css_width, css_height, &theme);
        let _ = canvas.set_attribute(
            "style",
            &format!("width:{css_width}px;height:{css_height}px"),
        );
        let target = match base_canvas.as_ref() {
            Some(base) => {
                size_canvas(base, css_width, css_height, &theme);
                base
            }
            None => &canvas,
        };
        let outcome = draw_layer(target, draw.as_ref(), &theme);
        if !layered {
            mark_gamma(&canvas, &outcome);
        }
        error.set(outcome.err());
        if layered {
            base_version.update(|v| *v += 1);
        } else {
            record_timing(&format!("{test_id}:done"), now_ms());
        }
    });
    // The visible canvas of a layered plot: the base layer plus the overlay.
    Effect::new(move |_| {
        if base_version.get() == 0 {
            return;
        }
        let (Some(canvas), Some(base), Some(overlay)) = (
            canvas_ref.get_untracked(),
            base_for_overlay.as_ref(),
            overlay.as_ref(),
        ) else {
            return;
        };
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
        if let Some(context) = context {
            context.clear_rect(
                0.0,
                0.0,
                f64::from(canvas.width()),
                f64::from(canvas.height()),
            );
            let _ = context.draw_image_with_html_canvas_element(base, 0.0, 0.0);
        }
        let outcome = draw_layer(&canvas, overlay.as_ref(), &current_theme());
        mark_gamma(&canvas, &outcome);
        if let Err(reason) = outcome {
            error.set(Some(reason));
        }
        record_timing(&format!("{test_id}:done"), now_ms());
    });
    {
        let ExportRequests(requests) = expect_context::<ExportRequests>();
        Effect::new(move |_| {
            let name = format!("focal-entropy-{test_id}");
            match requests.get() {
                Some(ImageFormat::Png) => {
                    let url = canvas_ref
                        .get_untracked()
                        .and_then(|c| c.to_data_url_with_type("image/png").ok());
                    if let Some(url) = url {
                        super::exports::save_url(&format!("{name}.png"), &url);
                    }
                }
                Some(ImageFormat::Svg) => {
                    if let Some(svg) = svg.as_ref() {
                        let css_width = width.get_untracked().max(320.0);
                        match svg_document(svg, css_width, css_height(css_width)) {
                            Ok(document) => super::exports::download(
                                &format!("{name}.svg"),
                                "image/svg+xml",
                                document,
                            ),
                            Err(reason) => error.set(Some(reason)),
                        }
                    }
                }
                None => {}
            }
        });
    }
    let pointer = move |event: web_sys::PointerEvent, pressed: bool| {
        let Some(handler) = on_pointer else { return };
        if pressed || event.buttons() & 1 == 1 {
            if pressed {
                if let Some(canvas) = canvas_ref.get_untracked() {
                    let _ = canvas.set_pointer_capture(event.pointer_id());
                }
            }
            handler.run(f64::from(event.offset_x()) * device_pixel_ratio());
        }
    };
    view! {
        <div class="plot-frame follows-gamma" node_ref=container_ref
            aria-busy=move || state.solution_pending().to_string()>
            <canvas
                node_ref=canvas_ref
                data-testid=test_id
                role="img"
                aria-label=move || label.get()
                class:interactive=on_pointer.is_some()
                on:pointerdown=move |e| pointer(e, true)
                on:pointermove=move |e| pointer(e, false)
            ></canvas>
            <p class="error" role="alert" data-testid=format!("{test_id}-error")
                hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
        </div>
    }
}

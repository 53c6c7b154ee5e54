//! A canvas that follows its container's width, draws at the device's pixel
//! ratio, picks the light or dark theme, and redraws whenever the signals its
//! drawing closure reads change.

use leptos::html;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

use crate::plots::Theme;

/// The drawing area type of the page's canvases.
pub type CanvasArea = DrawingArea<CanvasBackend, Shift>;

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

/// Records a timing on `window.__focalTimings[name]` for the browser suite.
pub fn record_timing(name: &str, milliseconds: f64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let key = wasm_bindgen::JsValue::from_str("__focalTimings");
    let timings = js_sys::Reflect::get(&window, &key)
        .ok()
        .filter(|v| v.is_object())
        .unwrap_or_else(|| {
            let object = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&window, &key, &object);
            object.into()
        });
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

/// A plot canvas. `draw` runs inside an effect: every signal it reads triggers a
/// redraw. `aspect` is height / width; `min_height` is in CSS pixels.
#[component]
pub fn PlotCanvas<F>(
    /// Stable test id of the canvas.
    test_id: &'static str,
    /// Accessible description of the plot.
    label: Signal<String>,
    /// Height as a fraction of the width.
    aspect: f64,
    /// Draws the plot on the area.
    draw: F,
    /// Optional pointer handler: (event, device-pixel x) on press and drag.
    #[prop(optional)]
    on_pointer: Option<Callback<f64>>,
) -> impl IntoView
where
    F: Fn(&CanvasArea, &Theme) + 'static,
{
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let container_ref = NodeRef::<html::Div>::new();
    let width = RwSignal::new(0.0f64);
    let measure = move || {
        if let Some(container) = container_ref.get_untracked() {
            let measured = f64::from(container.client_width());
            if measured > 0.0 && (measured - width.get_untracked()).abs() >= 1.0 {
                width.set(measured);
            }
        }
    };
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    Effect::new(move |_| {
        if container_ref.get().is_some() {
            measure();
        }
    });
    Effect::new(move |_| {
        let css_width = width.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        if css_width <= 0.0 {
            return;
        }
        let started = now_ms();
        let theme = current_theme();
        let css_height = (css_width * aspect).clamp(220.0, 520.0);
        canvas.set_width((css_width * theme.scale).round() as u32);
        canvas.set_height((css_height * theme.scale).round() as u32);
        let _ = canvas.set_attribute(
            "style",
            &format!("width:{css_width}px;height:{css_height}px"),
        );
        let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
            return;
        };
        let area = backend.into_drawing_area();
        draw(&area, &theme);
        let _ = area.present();
        record_timing(test_id, now_ms() - started);
    });
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
        <div class="plot-frame" node_ref=container_ref>
            <canvas
                node_ref=canvas_ref
                data-testid=test_id
                role="img"
                aria-label=move || label.get()
                class:interactive=on_pointer.is_some()
                on:pointerdown=move |e| pointer(e, true)
                on:pointermove=move |e| pointer(e, false)
            ></canvas>
        </div>
    }
}

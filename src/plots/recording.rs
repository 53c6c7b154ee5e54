//! A plot recorded once and replayed onto any plotters backend. The page draws
//! each figure into a [`Recording`] and replays it onto the canvas, or into an
//! SVG file for export, so that the drawing functions (generic over the
//! backend, and tested natively on the SVG backend) are compiled once for the
//! web build instead of once per backend: about 10 KB of the gzipped download.
//!
//! Text is laid out while recording by the same font code the target backends
//! use (neither the canvas nor the SVG backend measures text itself), so a
//! replayed plot is the plot drawn directly, primitive for primitive.

use std::cell::RefCell;
use std::rc::Rc;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// A line or fill style as the backend received it: colour and stroke width
/// (pixels).
#[derive(Clone, Copy)]
struct Stroke {
    color: BackendColor,
    width: u32,
}

impl Stroke {
    fn of<S: BackendStyle>(style: &S) -> Self {
        Stroke {
            color: style.color(),
            width: style.stroke_width(),
        }
    }
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }

    fn stroke_width(&self) -> u32 {
        self.width
    }
}

/// A text style as the backend received it.
struct Font {
    family: String,
    size: f64,
    style: FontStyle,
    transform: FontTransform,
    anchor: Pos,
    color: BackendColor,
}

/// One drawing call, in backend pixels.
enum Operation {
    Pixel(BackendCoord, BackendColor),
    Line(BackendCoord, BackendCoord, Stroke),
    Rect(BackendCoord, BackendCoord, Stroke, bool),
    Path(Vec<BackendCoord>, Stroke),
    Circle(BackendCoord, u32, Stroke, bool),
    Polygon(Vec<BackendCoord>, Stroke),
    Text(String, Font, BackendCoord),
    Bitmap(BackendCoord, (u32, u32), Vec<u8>),
}

/// The error type of the recorder (recording cannot fail).
#[derive(Debug)]
pub struct RecordingError;

impl std::fmt::Display for RecordingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("recording failed")
    }
}

impl std::error::Error for RecordingError {}

/// The plotters backend that records: every call is appended to the
/// recording it was made from.
pub struct Recorder {
    size: (u32, u32),
    operations: Rc<RefCell<Vec<Operation>>>,
}

/// The drawing area figures draw into when they are recorded.
pub type RecordingArea = DrawingArea<Recorder, Shift>;

impl Recorder {
    fn push(&self, operation: Operation) -> Result<(), DrawingErrorKind<RecordingError>> {
        self.operations.borrow_mut().push(operation);
        Ok(())
    }
}

impl DrawingBackend for Recorder {
    type ErrorType = RecordingError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<RecordingError>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<RecordingError>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<RecordingError>> {
        self.push(Operation::Pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<RecordingError>> {
        self.push(Operation::Line(from, to, Stroke::of(style)))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<RecordingError>> {
        self.push(Operation::Rect(
            upper_left,
            bottom_right,
            Stroke::of(style),
            fill,
        ))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<RecordingError>> {
        self.push(Operation::Path(
            path.into_iter().collect(),
            Stroke::of(style),
        ))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<RecordingError>> {
        self.push(Operation::Circle(center, radius, Stroke::of(style), fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<RecordingError>> {
        self.push(Operation::Polygon(
            vertices.into_iter().collect(),
            Stroke::of(style),
        ))
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<RecordingError>> {
        let font = Font {
            family: style.family().as_str().to_string(),
            size: style.size(),
            style: style.style(),
            transform: style.transform(),
            anchor: style.anchor(),
            color: style.color(),
        };
        self.push(Operation::Text(text.to_string(), font, pos))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        pixels: &[u8],
    ) -> Result<(), DrawingErrorKind<RecordingError>> {
        self.push(Operation::Bitmap(pos, size, pixels.to_vec()))
    }
}

/// A plot's drawing calls, `width × height` backend pixels large.
pub struct Recording {
    size: (u32, u32),
    operations: Rc<RefCell<Vec<Operation>>>,
}

impl Recording {
    /// An empty recording of a `width × height` pixel plot.
    pub fn new(size: (u32, u32)) -> Self {
        Recording {
            size,
            operations: Rc::default(),
        }
    }

    /// A drawing area whose calls are added to this recording.
    pub fn area(&self) -> RecordingArea {
        Recorder {
            size: self.size,
            operations: Rc::clone(&self.operations),
        }
        .into_drawing_area()
    }

    /// How many drawing calls were recorded.
    pub fn len(&self) -> usize {
        self.operations.borrow().len()
    }

    /// Whether nothing was drawn.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Makes every recorded call, in order, on `target`.
    pub fn replay<DB: DrawingBackend>(
        &self,
        target: &mut DB,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        for operation in self.operations.borrow().iter() {
            match operation {
                Operation::Pixel(at, color) => target.draw_pixel(*at, *color)?,
                Operation::Line(from, to, stroke) => target.draw_line(*from, *to, stroke)?,
                Operation::Rect(upper_left, bottom_right, stroke, fill) => {
                    target.draw_rect(*upper_left, *bottom_right, stroke, *fill)?
                }
                Operation::Path(points, stroke) => {
                    target.draw_path(points.iter().copied(), stroke)?
                }
                Operation::Circle(center, radius, stroke, fill) => {
                    target.draw_circle(*center, *radius, stroke, *fill)?
                }
                Operation::Polygon(points, stroke) => {
                    target.fill_polygon(points.iter().copied(), stroke)?
                }
                Operation::Text(text, font, at) => {
                    // The names `FontFamily::as_str` gives, matched exactly
                    // (`FontFamily::from` would lower-case them first, which
                    // brings Unicode's case tables into the download).
                    let family = match font.family.as_str() {
                        "serif" => FontFamily::Serif,
                        "sans-serif" => FontFamily::SansSerif,
                        "monospace" => FontFamily::Monospace,
                        name => FontFamily::Name(name),
                    };
                    let desc = FontDesc::new(family, font.size, font.style)
                        .transform(font.transform.clone());
                    let style = TextStyle {
                        font: desc,
                        color: font.color,
                        pos: font.anchor,
                    };
                    target.draw_text(text, &style, *at)?
                }
                Operation::Bitmap(at, size, pixels) => target.blit_bitmap(*at, *size, pixels)?,
            }
        }
        Ok(())
    }
}

//! The drawing functions rendered to SVG natively: bars, markers, labels and
//! the γ marker land where they should.
#![cfg(not(target_arch = "wasm32"))]

use focal_entropy_explorer::core::{gamma_grid, solve, FocalProblem};
use focal_entropy_explorer::plots::distribution::draw_solution;
use focal_entropy_explorer::plots::entropy::{draw_entropy, draw_entropy_cursor, EntropyCurves};
use focal_entropy_explorer::plots::gamma_frame::GammaAxis;
use focal_entropy_explorer::plots::Theme;
use focal_entropy_explorer::state::along::EntropyAlongGamma;
use focal_entropy_explorer::state::config::Units;
use plotters::prelude::*;

fn rgb(color: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2)
}

fn distribution_svg(counts: &[f64], gamma: f64, log_scale: bool) -> String {
    let solution = solve(counts, gamma, None).unwrap();
    let labels: Vec<String> = (0..counts.len()).map(|i| format!("c{i}")).collect();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        draw_solution(
            &area,
            &solution,
            &|c| labels.get(c).cloned(),
            log_scale,
            &Theme::light(1.0),
        )
        .unwrap();
        area.present().unwrap();
    }
    svg
}

/// The contents of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|chunk| {
            let body = chunk.split_once('>')?.1;
            Some(body.split("</text>").next()?.trim().to_string())
        })
        .collect()
}

fn has_text(svg: &str, text: &str) -> bool {
    texts(svg).iter().any(|t| t == text)
}

fn count_filled_rects(svg: &str, color: RGBColor) -> usize {
    let fill = format!("fill=\"{}\"", rgb(color));
    svg.lines()
        .filter(|l| l.contains("<rect") && l.contains(&fill))
        .count()
}

#[test]
fn bars_for_every_class_coloured_by_regime() {
    let theme = Theme::light(1.0);
    let counts: Vec<f64> = (0..10).map(|i| 100f64.powf(-(i as f64) / 9.0)).collect();
    let svg = distribution_svg(&counts, 1.0, false);
    // One P bar per class plus the legend swatch.
    assert_eq!(count_filled_rects(&svg, theme.data), 10 + 1);
    // γ = 1: head suppressed, c1..c5 amplified, c6..c9 over-suppressed.
    assert_eq!(count_filled_rects(&svg, theme.suppressed), 1);
    assert_eq!(count_filled_rects(&svg, theme.amplified), 5);
    assert_eq!(count_filled_rects(&svg, theme.over_suppressed), 4);
    // Markers tell regimes apart by shape: ▲ and ▼ are polygons, ✕ two lines.
    let polygons = |color: RGBColor| {
        svg.lines()
            .filter(|l| l.contains("<polygon") && l.contains(&format!("fill=\"{}\"", rgb(color))))
            .count()
    };
    assert_eq!(
        polygons(theme.amplified),
        5 + 1,
        "one ▲ per amplified class and one in the legend"
    );
    assert_eq!(polygons(theme.suppressed), 1 + 1);
    // Class labels and axis titles are drawn.
    for text in [
        "c0",
        "c9",
        "probability",
        "class",
        "P (data)",
        "Q* over-suppressed",
    ] {
        assert!(has_text(&svg, text), "missing {text}");
    }
}

#[test]
fn log_scale_labels_powers_of_ten() {
    let svg = distribution_svg(&[1_000_000.0, 1.0], 2.0, true);
    assert!(has_text(&svg, "probability (log scale)"));
    assert!(has_text(&svg, "1e-6"), "a label at 10⁻⁶: {:?}", texts(&svg));
}

#[test]
fn many_classes_become_a_rank_plot() {
    let counts: Vec<f64> = (0..1000)
        .map(|i| (1000.0 * 0.995f64.powi(i)).round() + 1.0)
        .collect();
    let svg = distribution_svg(&counts, 2.0, true);
    assert!(has_text(&svg, "class rank (most frequent first)"));
    // P is one polyline with a point per class, except that a run of tied
    // classes is a level segment of two points; Q* is drawn as stretches
    // coloured by regime through the same points, which share their joints.
    let mut sorted = counts.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    sorted.dedup();
    let tied = |c: f64| counts.iter().filter(|&&x| x == c).count();
    let points: usize = sorted.iter().map(|&c| tied(c).min(2)).sum();
    assert!(points < 1000, "the counts have ties");
    let theme = Theme::light(1.0);
    let polyline_points = |color: RGBColor| -> Vec<usize> {
        let stroke = format!("stroke=\"{}\"", rgb(color));
        svg.lines()
            .filter(|l| l.contains("<polyline") && l.contains(&stroke))
            .filter_map(|l| l.split("points=\"").nth(1)?.split('"').next())
            .map(|points| points.split_whitespace().count())
            .collect()
    };
    assert!(polyline_points(theme.data).contains(&points));
    let runs: Vec<usize> = [theme.amplified, theme.suppressed, theme.over_suppressed]
        .into_iter()
        .flat_map(|c| polyline_points(c).into_iter().filter(|&n| n > 2))
        .collect();
    assert!(
        runs.len() >= 2,
        "at least a suppressed head and an amplified band: {runs:?}"
    );
    assert_eq!(runs.iter().sum::<usize>(), points + runs.len() - 1);
    assert_eq!(
        count_filled_rects(&svg, Theme::light(1.0).data),
        0,
        "no bars in a rank plot"
    );
}

/// Draws the entropy plot of 99 cows : 1 tiger over γ from 0 to 20, with the
/// cursor at `cursor` when given; returns its γ axis.
fn draw_cows_entropy<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    theme: &Theme,
    cursor: Option<f64>,
) -> GammaAxis {
    let problem = FocalProblem::new(&[99.0, 1.0], None).unwrap();
    let sweep = problem.sweep(&gamma_grid(20.0, 64).unwrap()).unwrap();
    let (gammas, shannon, focal) = EntropyAlongGamma::new(&sweep)
        .unwrap()
        .in_units(Units::Nats);
    let curves = EntropyCurves {
        gammas: &gammas,
        shannon_q: &shannon,
        fe_min: &focal,
        shannon_p: problem.shannon_p(),
        uniform: 2f64.ln(),
        unit: "nats",
        below: &[],
    };
    let (frame, axis) = draw_entropy(area, &curves, theme).unwrap();
    if let Some(gamma) = cursor {
        let at = problem.solve(gamma).unwrap();
        draw_entropy_cursor(
            area,
            &frame,
            (gamma, at.shannon_q(), at.fe_min()),
            2f64.ln(),
            theme,
        )
        .unwrap();
    }
    axis
}

/// The entropy plot of 99 cows : 1 tiger drawn to SVG (see [`draw_cows_entropy`]),
/// and its γ axis.
fn cows_entropy_svg(theme: &Theme, cursor: Option<f64>) -> (String, GammaAxis) {
    let mut svg = String::new();
    let axis = {
        let area = SVGBackend::with_string(&mut svg, (600, 300)).into_drawing_area();
        let axis = draw_cows_entropy(&area, theme, cursor);
        area.present().unwrap();
        axis
    };
    (svg, axis)
}

#[test]
fn entropy_plot_marks_the_current_gamma_where_the_axis_says() {
    let theme = Theme::light(1.0);
    let current = solve(&[99.0, 1.0], 5.0, None).unwrap();
    let (svg, axis) = cows_entropy_svg(&theme, Some(5.0));
    assert!(axis.left < axis.right && axis.right <= 600);
    assert_eq!(axis.gamma_at(f64::from(axis.left)), 0.0);
    assert_eq!(axis.gamma_at(f64::from(axis.right)), 20.0);
    // The marker line is a vertical polyline at γ = 5.
    let expected_x = axis.left + ((axis.right - axis.left) as f64 * 0.25).round() as i32;
    let marker = svg
        .lines()
        .find(|l| {
            l.contains("<polyline")
                && l.contains(&format!("stroke=\"{}\"", rgb(theme.over_suppressed)))
        })
        .expect("marker line");
    let first_x: i32 = marker
        .split("points=\"")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (first_x - expected_x).abs() <= 1,
        "marker at {first_x}, expected {expected_x}"
    );
    assert!((axis.gamma_at(f64::from(first_x)) - 5.0).abs() < 0.1);
    for text in ["H(Q*)", "FE(P, Q*)", "H(P)", "ln K (uniform)", "γ", "nats"] {
        assert!(has_text(&svg, text), "missing {text}");
    }
    // The cursor reads how close Q* is to uniform.
    let uniformity = format!("H(Q*)/ln K = {:.3}", current.shannon_q() / 2f64.ln());
    assert!(has_text(&svg, &uniformity), "missing {uniformity}");
}

#[test]
fn entropy_plot_shades_where_the_entropy_falls() {
    use focal_entropy_explorer::state::findings::AlongGamma;
    // A Zipf tail: H(Q*) < H(P) from γ = 0 up to a crossing.
    let counts: Vec<f64> = (1..=100).map(|i| 1000.0 / (i as f64).powf(1.1)).collect();
    let problem = FocalProblem::new(&counts, None).unwrap();
    let sweep = problem.sweep(&gamma_grid(20.0, 64).unwrap()).unwrap();
    let along = AlongGamma::new(&sweep).unwrap();
    assert_eq!(along.entropy_below.len(), 1);
    assert_eq!(along.entropy_below[0].0, 0.0);
    let (gammas, shannon, focal) = EntropyAlongGamma::new(&sweep)
        .unwrap()
        .in_units(Units::Nats);
    let curves = EntropyCurves {
        gammas: &gammas,
        shannon_q: &shannon,
        fe_min: &focal,
        shannon_p: problem.shannon_p(),
        uniform: 100f64.ln(),
        unit: "nats",
        below: &along.entropy_below,
    };
    let theme = Theme::light(1.0);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (600, 300)).into_drawing_area();
        draw_entropy(&area, &curves, &theme).unwrap();
        area.present().unwrap();
    }
    // One shaded range plus its legend swatch.
    let shade = theme.tint(theme.over_suppressed, 0.14);
    assert_eq!(count_filled_rects(&svg, shade), 2);
    assert!(has_text(&svg, "H(Q*) below H(P)"));
}

/// Draws the reshaping map of a CIFAR-10-like tail (ratio 100) at γ = 1.
fn draw_cifar10_reshaping<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    theme: &Theme,
) {
    use focal_entropy_explorer::core::reshaping_map;
    use focal_entropy_explorer::plots::reshaping::{draw_reshaping_map, MAX_MAP_MARKERS};
    let counts: Vec<f64> = (0..10).map(|i| 100f64.powf(-(i as f64) / 9.0)).collect();
    let solution = solve(&counts, 1.0, None).unwrap();
    let map = reshaping_map(&solution, 240, MAX_MAP_MARKERS);
    draw_reshaping_map(area, &map, theme).unwrap();
}

/// The reshaping map of [`draw_cifar10_reshaping`] drawn to SVG.
fn cifar10_reshaping_svg(size: (u32, u32), theme: &Theme) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_cifar10_reshaping(&area, theme);
        area.present().unwrap();
    }
    svg
}

#[test]
fn reshaping_map_shades_the_amplified_band_and_places_every_class() {
    let theme = Theme::light(1.0);
    let svg = cifar10_reshaping_svg((700, 350), &theme);
    // One band (the middle of the tail), drawn as a filled rectangle in the tint.
    assert_eq!(
        count_filled_rects(&svg, theme.tint(theme.amplified, 0.18)),
        1 + 1,
        "band and legend swatch"
    );
    // Markers: 5 ▲ amplified (+1 legend), 1 ▼ suppressed (+1 legend).
    let polygons = |color: RGBColor| {
        svg.lines()
            .filter(|l| l.contains("<polygon") && l.contains(&format!("fill=\"{}\"", rgb(color))))
            .count()
    };
    assert_eq!(polygons(theme.amplified), 5 + 1);
    assert_eq!(polygons(theme.suppressed), 1 + 1);
    assert!(has_text(&svg, "μ = 1.0597"), "{:?}", texts(&svg));
    for text in [
        "p (log scale)",
        "h(p) = p·G(p)",
        "h &gt; μ: amplified",
        "over-suppressed",
        "1e-6",
    ] {
        assert!(has_text(&svg, text), "missing {text}");
    }
}

#[test]
fn tracked_class_shades_suppressed_intervals_and_marks_where_it_is_lifted() {
    use focal_entropy_explorer::core::track_class;
    use focal_entropy_explorer::plots::tracked::draw_tracked;
    // Head, middle and a tiny tail: the tiny class is over-suppressed from
    // γ = 0 up to a crossing, then lifted.
    let mut counts = vec![0.3];
    counts.extend([0.0875; 8]);
    counts.push(1e-6);
    let problem = FocalProblem::new(&counts, None).unwrap();
    let sweep = problem.sweep(&gamma_grid(20.0, 128).unwrap()).unwrap();
    let tracked = track_class(&sweep, 9).unwrap();
    assert!(!tracked.suppressed.is_empty());
    let theme = Theme::light(1.0);
    let mut svg = String::new();
    let axis = {
        let area = SVGBackend::with_string(&mut svg, (600, 300)).into_drawing_area();
        let (_, axis) = draw_tracked(&area, &tracked, "tiny", &theme).unwrap();
        area.present().unwrap();
        axis
    };
    assert_eq!(axis.gamma_at(f64::from(axis.right)), 20.0);
    // One shaded band per suppressed interval (plus the legend swatch).
    let band = theme.tint(theme.suppressed, 0.16);
    assert_eq!(count_filled_rects(&svg, band), tracked.suppressed.len() + 1);
    let lifted = tracked.lifted_from().unwrap();
    assert!(lifted > 10.0 && lifted < 12.0, "{lifted}");
    let label = format!("gains above γ = {}", (lifted * 100.0).round() / 100.0);
    for text in [
        label.as_str(),
        "lifted from",
        "q*/p of tiny",
        "q*/p = 1",
        "suppressed",
        "γ",
        "q*/p",
    ] {
        assert!(has_text(&svg, text), "missing {text}");
    }
}

#[test]
fn imbalance_map_fills_computed_cells_and_draws_the_contour() {
    use focal_entropy_explorer::core::ImbalanceMap;
    use focal_entropy_explorer::plots::imbalance::{draw_imbalance_map, draw_map_cursor};
    let theme = Theme::light(1.0);
    let render = |map: &ImbalanceMap| {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (600, 360)).into_drawing_area();
            let (frame, _) = draw_imbalance_map(&area, map, &theme).unwrap();
            draw_map_cursor(&area, &frame, 2.0, 100.0, &theme).unwrap();
            area.present().unwrap();
        }
        svg
    };
    let cell_count = |svg: &str| svg.matches("<rect").count();
    let mut map = ImbalanceMap::new(10, 20.0, 8, 12).unwrap();
    // Rows arrive out of order, as from workers.
    for row in [5, 1, 6] {
        let values = map.compute_row(row).unwrap();
        map.set_row(row, &values).unwrap();
    }
    let partial = render(&map);
    let map = map.complete().unwrap();
    let full = render(&map);
    // 96 cells once complete, 3 rows of 12 while partial (the background and
    // legend rectangles are the same in both).
    assert_eq!(cell_count(&full) - cell_count(&partial), 96 - 36);
    let contour = map.break_even_contour().len();
    assert!(contour > 0);
    let strokes = format!("stroke=\"{}\"", rgb(theme.text));
    assert!(
        full.lines()
            .filter(|l| l.contains("<polyline") && l.contains(&strokes))
            .count()
            >= contour
    );
    for text in ["q*/p = 1", "head/tail ratio", "γ", "100", "1e6"] {
        assert!(has_text(&full, text), "missing {text}");
    }
}

/// The legend's box (its translucent background) in an SVG: x, y, width, height.
fn legend_box(svg: &str) -> (f64, f64, f64, f64) {
    let line = svg
        .lines()
        .find(|l| l.contains("<rect") && l.contains("opacity=\"0.88\""))
        .expect("a legend");
    let attribute = |name: &str| -> f64 {
        let start = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    (
        attribute("x"),
        attribute("y"),
        attribute("width"),
        attribute("height"),
    )
}

/// The points of every curve (a polyline of five points or more, not an axis
/// or a legend's sample line) drawn in `color`.
fn polyline_points(svg: &str, color: RGBColor) -> Vec<(f64, f64)> {
    let stroke = format!("stroke=\"{}\"", rgb(color));
    svg.lines()
        .filter(|l| l.contains("<polyline") && l.contains(&stroke))
        .map(|l| {
            let points = l
                .split("points=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            points
                .split_whitespace()
                .filter_map(|pair| {
                    let (x, y) = pair.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect::<Vec<(f64, f64)>>()
        })
        .filter(|curve| curve.len() >= 5)
        .flatten()
        .collect()
}

#[test]
fn legends_sit_where_they_cover_no_curve() {
    let theme = Theme::light(1.0);
    let inside = |(x, y, w, h): (f64, f64, f64, f64), (px, py): (f64, f64)| {
        px >= x && px <= x + w && py >= y && py <= y + h
    };
    // The reshaping map of CIFAR-10-LT at γ = 1: h(p) peaks at the upper right.
    let svg = cifar10_reshaping_svg((600, 300), &theme);
    let legend = legend_box(&svg);
    let curve = polyline_points(&svg, theme.text);
    assert!(curve.len() > 100);
    let covered: Vec<_> = curve.iter().filter(|&&p| inside(legend, p)).collect();
    assert!(
        covered.is_empty(),
        "legend {legend:?} covers h(p) at {covered:?}"
    );
    // The entropy plot of 99 : 1: FE falls from the upper left to the lower right.
    let (svg, _) = cows_entropy_svg(&theme, None);
    let legend = legend_box(&svg);
    for color in [theme.suppressed, theme.accent] {
        let points = polyline_points(&svg, color);
        assert!(points.len() > 30);
        assert!(
            points.iter().all(|&p| !inside(legend, p)),
            "legend {legend:?} covers a curve"
        );
    }
}

#[test]
fn inverse_map_draws_the_curve_the_diagonal_and_every_output() {
    use focal_entropy_explorer::plots::inverse::draw_inverse_map;
    use focal_entropy_explorer::state::outputs::{invert_text, two_class_map};
    let inverted = invert_text("0.8,0.15,0.05\n0.5,0.3,0.2", 2.0, None).unwrap();
    let points: Vec<(f64, f64)> = inverted.outputs().map(|(_, _, q, p)| (q, p)).collect();
    let curve = two_class_map(2.0, 100);
    let theme = Theme::light(1.0);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (600, 360)).into_drawing_area();
        draw_inverse_map(&area, 2.0, &curve, &points, &theme).unwrap();
        area.present().unwrap();
    }
    // Six outputs as points (circles in the accent colour), plus none in the legend.
    let fill = format!("fill=\"{}\"", rgb(theme.accent));
    let circles = svg
        .lines()
        .filter(|l| l.contains("<circle") && l.contains(&fill))
        .count();
    assert_eq!(circles, 6);
    for text in [
        "model output q",
        "posterior p",
        "p = q (cross-entropy)",
        "two classes, γ = 2",
        "your outputs",
    ] {
        assert!(has_text(&svg, text), "missing {text}");
    }
}

/// The SVG of a drawing made directly on the SVG backend, and the SVG of the
/// same drawing recorded and replayed onto it (as the page draws).
macro_rules! direct_and_replayed {
    ($size:expr, |$area:ident| $draw:expr) => {{
        use focal_entropy_explorer::plots::recording::Recording;
        let mut direct = String::new();
        {
            let $area = SVGBackend::with_string(&mut direct, $size).into_drawing_area();
            $draw;
            $area.present().unwrap();
        }
        let recording = Recording::new($size);
        {
            let $area = recording.area();
            $draw;
        }
        assert!(recording.len() > 20, "{} calls recorded", recording.len());
        let mut replayed = String::new();
        {
            let mut backend = SVGBackend::with_string(&mut replayed, $size);
            recording.replay(&mut backend).unwrap();
            backend.present().unwrap();
        }
        (direct, replayed)
    }};
}

#[test]
fn a_recorded_plot_replays_to_the_plot_drawn_directly() {
    use focal_entropy_explorer::plots::inverse::draw_inverse_map;
    use focal_entropy_explorer::state::outputs::two_class_map;
    let theme = Theme::dark(2.0);
    let counts: Vec<f64> = (0..12).map(|i| 1000f64.powf(-(i as f64) / 11.0)).collect();
    let solution = solve(&counts, 2.0, None).unwrap();
    let labels: Vec<String> = (0..12).map(|i| format!("<c{i}>")).collect();
    for log_scale in [false, true] {
        let (direct, replayed) = direct_and_replayed!((900, 420), |area| draw_solution(
            &area,
            &solution,
            &|c| labels.get(c).cloned(),
            log_scale,
            &theme
        )
        .unwrap());
        assert_eq!(direct, replayed);
        assert!(direct.contains("&lt;c11&gt;"));
    }
    // Dashed lines, a rotated axis title and the cursor.
    let (direct, replayed) = direct_and_replayed!((700, 300), |area| draw_cows_entropy(
        &area,
        &theme,
        Some(2.0)
    ));
    assert_eq!(direct, replayed);
    assert!(direct.contains("rotate("), "the y-axis title is rotated");
    // Filled areas and markers; circles.
    let (direct, replayed) =
        direct_and_replayed!((640, 300), |area| draw_cifar10_reshaping(&area, &theme));
    assert_eq!(direct, replayed);
    let curve = two_class_map(2.0, 50);
    let points = [(0.8, 0.9), (0.2, 0.1)];
    let (direct, replayed) = direct_and_replayed!((500, 300), |area| draw_inverse_map(
        &area, 2.0, &curve, &points, &theme
    )
    .unwrap());
    assert_eq!(direct, replayed);
    assert!(direct.contains("<circle"));
}

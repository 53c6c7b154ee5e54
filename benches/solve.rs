//! Criterion benchmarks of the solver at the sizes the core issue names, and
//! of the page's work per γ on a 262 144-token vocabulary.

use std::sync::Arc;

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use focal_entropy_explorer::core::Solution;
use focal_entropy_explorer::core::{gamma_grid, invert, track_class, FocalProblem, ImbalanceMap};
use focal_entropy_explorer::plots::distribution::{class_runs, draw_solution};
use focal_entropy_explorer::plots::recording::Recording;
use focal_entropy_explorer::plots::Theme;
use focal_entropy_explorer::state::classes::{classes_from_text, inverse_frequency_alpha};
use focal_entropy_explorer::state::config::{ClassLabels, ClassRow};
use focal_entropy_explorer::state::derived::{problem_build, problem_for};
use focal_entropy_explorer::state::findings::AtGamma;
use focal_entropy_explorer::state::generator::Generator;
use focal_entropy_explorer::state::outputs::round_trip_error;
use focal_entropy_explorer::state::piecewise::Piecewise;
use focal_entropy_explorer::state::readout::{table_order, SortColumn};
use focal_entropy_explorer::state::worker_messages::{
    problem_message, read_solve_reply, solve_message, SolveReply, WorkerState,
};

/// `k` distinct probabilities falling geometrically from 1 to 1/`ratio`.
fn geometric(k: usize, ratio: f64) -> Vec<f64> {
    (0..k)
        .map(|i| ratio.powf(-(i as f64) / (k - 1) as f64))
        .collect()
}

/// Integer counts of an exponential long tail (CIFAR-LT profile), with ties.
fn long_tail_counts(k: usize, largest: f64, ratio: f64) -> Vec<f64> {
    geometric(k, ratio)
        .iter()
        .map(|p| (largest * p).round())
        .collect()
}

fn benches(c: &mut Criterion) {
    let small = FocalProblem::new(&geometric(10, 100.0), None).unwrap();
    c.bench_function("solve K=10", |b| {
        b.iter(|| small.solve(black_box(2.0)).unwrap())
    });

    let thousand = FocalProblem::new(&geometric(1000, 1000.0), None).unwrap();
    c.bench_function("solve K=1000 distinct", |b| {
        b.iter(|| thousand.solve(black_box(2.0)).unwrap())
    });

    let hundred = FocalProblem::new(&geometric(100, 100.0), None).unwrap();
    let grid = gamma_grid(20.0, 256).unwrap();
    // A sweep keeps its 256 solutions, 1.6 MB here. Made and dropped alone,
    // glibc hands that memory back to the system at each drop (it is the
    // top of its heap), and the next sweep faults it in again page by page:
    // a third of this figure on this machine (`perf`: the kernel's page
    // faults and clearing).
    c.bench_function("sweep 256 gammas K=100 distinct", |b| {
        b.iter(|| hundred.sweep(black_box(&grid)).unwrap())
    });
    // The page's case: a new sweep is computed while the one shown is kept,
    // and replaces it; freed below the newer one, its memory is reused (as a
    // wasm heap, which never shrinks, reuses all of it).
    let mut shown = hundred.sweep(&grid).unwrap();
    c.bench_function(
        "sweep 256 gammas K=100 distinct, replacing the one shown",
        |b| b.iter(|| shown = hundred.sweep(black_box(&grid)).unwrap()),
    );

    c.bench_function("track rarest class over that sweep K=100", |b| {
        b.iter(|| track_class(black_box(&shown), 99).unwrap())
    });

    let mut maps = c.benchmark_group("imbalance map 32x48");
    maps.sample_size(10);
    for classes in [10, 100, 1000] {
        maps.bench_function(format!("K={classes}"), |b| {
            b.iter(|| {
                ImbalanceMap::new(black_box(classes), 20.0, 32, 48)
                    .unwrap()
                    .complete()
                    .unwrap()
            })
        });
    }
    maps.finish();

    let mut group = c.benchmark_group("million");
    group.sample_size(10);
    let tail = long_tail_counts(1_000_000, 1e6, 1e4);
    group.bench_function("new+solve K=1e6 long-tail counts", |b| {
        b.iter(|| {
            FocalProblem::new(black_box(&tail), None)
                .unwrap()
                .solve(2.0)
                .unwrap()
        })
    });
    let distinct = geometric(1_000_000, 1e6);
    group.bench_function("new+solve K=1e6 distinct", |b| {
        b.iter(|| {
            FocalProblem::new(black_box(&distinct), None)
                .unwrap()
                .solve(2.0)
                .unwrap()
        })
    });
    group.finish();
}

/// The inverse transform on one row of model outputs (Q* of a long tail).
fn inverse_benches(c: &mut Criterion) {
    for k in [10, 1000] {
        let q = FocalProblem::new(&geometric(k, 100.0), None)
            .unwrap()
            .solve(2.0)
            .unwrap()
            .q_all();
        c.bench_function(&format!("invert one row K={k}"), |b| {
            b.iter(|| invert(black_box(&q), 2.0, None).unwrap())
        });
    }
}

/// What the page computes at each γ for the 262 144-token Zipf vocabulary
/// preset (about 2000 distinct counts), drawing aside: the solve from the
/// sweep's nearest γ, the findings, the rank plot's runs, the table's order
/// by q* and the round trip.
fn vocabulary_benches(c: &mut Criterion) {
    let classes = Generator::Zipf {
        k: 262_144,
        nmax: 1e6,
        s: 1.0,
    }
    .classes()
    .unwrap();
    let problem = problem_for(&classes, None).unwrap();
    let labels = ClassLabels::of(Arc::new(classes));
    let near = problem.solve(2.0).unwrap();
    let solution = problem.solve_near(2.05, &near).unwrap();
    let mut group = c.benchmark_group("vocabulary K=262144");
    group.bench_function("solve near", |b| {
        b.iter(|| problem.solve_near(black_box(2.05), &near).unwrap())
    });
    group.bench_function("findings", |b| {
        b.iter(|| AtGamma::new(black_box(&solution)))
    });
    // Computed once per solution (later calls borrow it): each sample is
    // of a fresh solution, solved outside the timing.
    group.bench_function("rank plot runs", |b| {
        b.iter_batched(
            || problem.solve_near(2.05, &near).unwrap(),
            |fresh| {
                let runs = class_runs(&fresh).len();
                (fresh, runs)
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("table order by q*", |b| {
        b.iter(|| table_order(black_box(&solution), &labels, SortColumn::Q, true))
    });
    group.bench_function("round trip", |b| {
        b.iter(|| round_trip_error(black_box(&solution)))
    });
    // The same counts under labels of their own (random words of mixed
    // case, as a counts file of tokens carries): the label sort's order.
    let labelled = ClassLabels::of(Arc::new(random_labelled(&labels)));
    group.bench_function("table order by label, labelled", |b| {
        b.iter(|| table_order(black_box(&solution), &labelled, SortColumn::Label, false))
    });
    group.finish();
}

/// The classes of `labels` under random words of 3 to 12 letters, upper and
/// lower case (a fixed xorshift sequence, so every run sorts the same words).
fn random_labelled(labels: &ClassLabels) -> Vec<ClassRow> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..labels.len())
        .map(|_| {
            let length = 3 + (next() % 10) as usize;
            let word: String = (0..length)
                .map(|_| {
                    let letter = (next() % 52) as u8;
                    char::from(if letter < 26 {
                        b'a' + letter
                    } else {
                        b'A' + letter - 26
                    })
                })
                .collect();
            ClassRow::new(word, 1.0)
        })
        .collect()
}

/// What the page's main thread does at each γ for the million-distinct
/// link (`?dist=exp&k=1000000&nmax=1e12&ratio=1e6`) once a worker has
/// solved it: reading the worker's reply (in the page, in slices), then the
/// findings (from the tally gathered while reading), the ranks by q* and
/// the rank plot's drawing (1200 × 400 pixels, log scale, into the
/// recording the canvas replays).
fn million_page_benches(c: &mut Criterion) {
    let classes = Generator::Exponential {
        k: 1_000_000,
        nmax: 1e12,
        ratio: 1e6,
    }
    .classes()
    .unwrap();
    let problem = problem_for(&classes, None).unwrap();
    let mut worker = WorkerState::default();
    worker.answer(&problem_message(1, &problem).parts().concat());
    worker.answer(&solve_message(1, 2.0));
    let (Some(reply), _) = worker.solve_wanted() else {
        panic!("the worker solves γ = 2");
    };
    let read = |reply: Vec<f64>| {
        let Ok(SolveReply::Solved(mut reader)) = read_solve_reply(reply, &problem, 1) else {
            panic!("a solution");
        };
        reader.run_to_end().unwrap();
        reader.into_solution().unwrap()
    };
    let solution = read(reply.clone());
    let mut group = c.benchmark_group("million distinct in the page");
    group.sample_size(20);
    group.bench_function("read the worker's solution", |b| {
        b.iter_batched(|| reply.clone(), read, BatchSize::LargeInput)
    });
    group.bench_function("findings", |b| {
        b.iter(|| AtGamma::new(black_box(&solution)))
    });
    group.bench_function("q ranks", |b| b.iter(|| black_box(&solution).q_ranks()));
    let draw = |solution: &Solution| {
        let recording = Recording::new((1200, 400));
        draw_solution(
            &recording.area(),
            solution,
            &|_| None,
            true,
            &Theme::light(1.0),
        )
        .unwrap();
        recording
    };
    group.bench_function("rank plot drawing", |b| {
        b.iter(|| draw(black_box(&solution)))
    });
    // With √ inverse-frequency α (the page's button): the same order, other weights.
    let alpha = inverse_frequency_alpha(&classes, 0.5);
    let weighted = problem_for(&classes, Some(&alpha))
        .unwrap()
        .solve(2.0)
        .unwrap();
    class_runs(&weighted);
    group.bench_function("rank plot drawing, √α", |b| {
        b.iter(|| draw(black_box(&weighted)))
    });
    // Every stage of the page's build of that problem, the ranks included.
    group.bench_function("build with √α", |b| {
        b.iter(|| {
            let mut build = problem_build(black_box(&classes), Some(&alpha));
            build.run_to_end().unwrap();
            build
        })
    });
    group.finish();
}

/// Reading a million-line paste (one count per line, a long tail with ties)
/// into the page's classes, as the paste box and counts files do.
fn class_list_benches(c: &mut Criterion) {
    let text: String = long_tail_counts(1_000_000, 1e6, 1e4)
        .iter()
        .map(|count| format!("{count}\n"))
        .collect();
    let mut group = c.benchmark_group("class list");
    group.sample_size(10);
    group.bench_function("read 10^6 lines", |b| {
        b.iter(|| classes_from_text(black_box(&text)).unwrap())
    });
    group.finish();
}

criterion_group!(
    solver,
    benches,
    inverse_benches,
    vocabulary_benches,
    million_page_benches,
    class_list_benches
);
criterion_main!(solver);

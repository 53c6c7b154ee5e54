//! The focal-entropy engine: pure numerics with no web types, used by the app,
//! the `focal` command-line tool and the tests alike.

pub mod analysis;
pub mod error;
pub mod focal;
pub mod imbalance;
pub mod inverse;
mod nested;
pub mod numerics;
pub mod problem;
pub mod solution;
pub mod solver;

pub use analysis::{
    gamma_grid, negative_ranges, reshaping_map, track_class, MapMarker, PartialSweep, Readout,
    ReshapingMap, Sweep, SweepReadouts, TracedSweep, TracingSweep, TrackedClass, EMPTY_SWEEP,
};
pub use error::{FocalError, MAX_CLASSES, MAX_GAMMA};
pub use imbalance::{exponential_tail, ImbalanceMap, MAP_RATIO_HIGH, MAP_RATIO_LOW};
pub use inverse::{invert, invert_distinct, Inversion};
pub use problem::{key_of, sort_indices, sorted_indices, ClassRanks, FocalProblem, ProblemBuild};
pub use solution::{
    ClassRun, DistinctClass, RareSums, Regime, RegimeSums, Solution, SolutionTally, MOVED_REGIMES,
};
pub use solver::solve;

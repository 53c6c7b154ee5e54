//! Work the page does a piece at a time: the γ-sweep, reading a large counts
//! file, building a problem of many classes, writing a large CSV. The page
//! runs such work in slices of a few milliseconds and gives the browser a
//! turn between them, so that it keeps drawing and answering input, and can
//! say how far the work has got.

use crate::core::{PartialSweep, ProblemBuild};

/// Work done a piece at a time, each piece well under a millisecond; what
/// it gives is taken from it once it is done.
pub trait Piecewise {
    /// Does the next batch of pieces (a few milliseconds' worth at most);
    /// returns whether the work is done.
    fn advance(&mut self) -> Result<bool, String>;

    /// The share of the work done so far, from 0 to 1.
    fn fraction_done(&self) -> f64;

    /// The text written since the last call, in order, for work that writes
    /// a file (a CSV): taken between slices, so that no step handles a file
    /// of tens of megabytes at once. Work whose result comes at its end
    /// writes none.
    fn take_written(&mut self) -> Vec<String> {
        Vec::new()
    }

    /// Does the rest of the work at once (native callers and tests).
    fn run_to_end(&mut self) -> Result<(), String>
    where
        Self: Sized,
    {
        while !self.advance()? {}
        Ok(())
    }
}

/// The γ-sweep, one γ value per piece.
impl Piecewise for PartialSweep {
    fn advance(&mut self) -> Result<bool, String> {
        // The sweep's own step says whether γ values remain.
        PartialSweep::advance(self)
            .map(|remain| !remain)
            .map_err(|e| e.to_string())
    }

    fn fraction_done(&self) -> f64 {
        let (done, all) = self.progress();
        done as f64 / all.max(1) as f64
    }
}

/// A problem validated and grouped, one stage (a pass or two over the
/// classes) per piece: up to about 25 ms for a million classes, longer than
/// a slice but well inside a task.
impl Piecewise for ProblemBuild {
    fn advance(&mut self) -> Result<bool, String> {
        ProblemBuild::advance(self).map_err(|e| e.to_string())
    }

    fn fraction_done(&self) -> f64 {
        ProblemBuild::fraction_done(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{gamma_grid, FocalProblem};

    #[test]
    fn a_sweep_done_piece_by_piece_is_the_sweep() {
        let problem = FocalProblem::new(&[99.0, 1.0, 5.0], None).unwrap();
        let grid = gamma_grid(4.0, 5).unwrap();
        let mut partial = PartialSweep::new(&problem, grid.clone()).unwrap();
        let mut shares = vec![partial.fraction_done()];
        while !Piecewise::advance(&mut partial).unwrap() {
            shares.push(partial.fraction_done());
        }
        shares.push(partial.fraction_done());
        assert_eq!(shares, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        let whole = problem.sweep(&grid).unwrap();
        for (a, b) in partial
            .into_sweep()
            .solutions()
            .iter()
            .zip(whole.solutions())
        {
            assert_eq!(a.q_all(), b.q_all());
        }
        // Done means done: another piece changes nothing.
        let mut finished = PartialSweep::new(&problem, grid).unwrap();
        finished.run_to_end().unwrap();
        assert!(Piecewise::advance(&mut finished).unwrap());
        assert_eq!(finished.progress(), (5, 5));
    }
}

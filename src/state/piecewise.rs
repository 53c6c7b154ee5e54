//! Work the page does a piece at a time: reading a large counts file, writing
//! a large CSV. The page runs such work in slices of a few milliseconds and
//! gives the browser a turn between them, so that it keeps drawing and
//! answering input, and can say how far the work has got.

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

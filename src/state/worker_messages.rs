//! What the page says to its Web Workers and what they answer, each message a
//! flat array of numbers (a `Float64Array` on the page), so neither bundle
//! needs a parser. A message to a worker starts with its [`Task`]; the worker
//! keeps a [`WorkerState`], which answers every message with the same core
//! code the native tests run.
//!
//! Two kinds of work go to workers: rows of the imbalance map
//! ([`MapRowRequest`]), and the solution at each γ of a problem with more
//! distinct classes than the main thread can solve within a frame
//! ([`solves_in_worker`]): the page sends such a problem once
//! ([`problem_message`]) and then the γ values it wants ([`solve_message`]);
//! the worker answers each with the solver's converged records, which the
//! page reads back, a batch at a time, into the same [`Solution`]
//! ([`read_solve_reply`], [`SolutionReader`]). Once it
//! has nothing newer to solve, the worker also sends the round trip
//! P → Q* → P of its last solution ([`round_trip_error`]), which costs about
//! as much as the solve and so is kept off the page's main thread too.
//!
//! Such a problem is also too large for the page to sweep along γ, keeping
//! every solution: a worker given it traces the curves along γ instead
//! ([`trace_message`]), telling the page how far it has got, and sends them
//! back whole ([`read_trace_reply`]).

use crate::core::solution::GroupSolution;
use crate::core::{ClassRun, DistinctClass, FocalProblem, Regime, Solution, SolutionTally};

use super::along::CurvesAlongGamma;
use super::config::MAX_SWEEP_DISTINCT_CLASSES;
use super::derived::solve_at;
use super::map_rows::MapRowRequest;
use super::outputs::round_trip_error;
use super::piecewise::Piecewise;

/// A message that is not what it should be, and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageError(pub &'static str);

impl std::fmt::Display for MessageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a worker message {}", self.0)
    }
}

/// Reads a non-negative whole number that fits in `u32`.
pub(crate) fn whole_number(value: f64) -> Result<usize, MessageError> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= u32::MAX as f64 {
        Ok(value as usize)
    } else {
        Err(MessageError("holds a count that is not a whole number"))
    }
}

/// What a message to a worker asks for: its first number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Compute one row of the imbalance map.
    MapRow = 1,
    /// Keep this problem: the γ values that follow are of it.
    TakeProblem = 2,
    /// Solve the kept problem at one γ.
    Solve = 3,
    /// Trace the kept problem's curves along γ ([`CurvesAlongGamma::trace`]).
    Trace = 4,
}

impl Task {
    /// The number that says this task at the head of a message.
    const fn number(self) -> f64 {
        self as u8 as f64
    }
}

/// Whether the page solves `problem` in its worker rather than on the main
/// thread: above [`MAX_SWEEP_DISTINCT_CLASSES`] distinct classes, where a
/// solve takes longer than a frame (8 ms at 32 768 distinct classes in the
/// page, 0.2–0.5 s at a million) and the problem is not swept, so that no
/// sweep point can start it either.
pub fn solves_in_worker(problem: &FocalProblem) -> bool {
    problem.distinct_class_count() > MAX_SWEEP_DISTINCT_CLASSES
}

/// The message that gives a worker `problem` under the page's number
/// `serial`, in three parts sent one after another, so that the page copies
/// a million counts once, straight into the message: task, serial, K,
/// whether α follows (0 or 1); the K counts; the K α weights if any.
pub fn problem_message(serial: u32, problem: &FocalProblem) -> ProblemMessage<'_> {
    let counts = problem.counts();
    let alpha = problem.alpha().unwrap_or(&[]);
    ProblemMessage {
        head: [
            Task::TakeProblem.number(),
            f64::from(serial),
            counts.len() as f64,
            if alpha.is_empty() { 0.0 } else { 1.0 },
        ],
        counts,
        alpha,
    }
}

/// A [`problem_message`]: its head and the problem's own numbers, not yet
/// joined.
#[derive(Debug, Clone, Copy)]
pub struct ProblemMessage<'a> {
    head: [f64; 4],
    counts: &'a [f64],
    alpha: &'a [f64],
}

impl ProblemMessage<'_> {
    /// The message's parts, in order.
    pub fn parts(&self) -> [&[f64]; 3] {
        [&self.head, self.counts, self.alpha]
    }
}

/// The message that asks for the solution at `gamma` of the problem the
/// worker was given as `serial`: task, serial, γ.
pub fn solve_message(serial: u32, gamma: f64) -> [f64; 3] {
    [Task::Solve.number(), f64::from(serial), gamma]
}

/// The message that asks for the curves along γ, from 0 to `gamma_max` with
/// `class` tracked, of the problem the worker was given as `serial`: task,
/// serial, γ_max, class.
pub fn trace_message(serial: u32, gamma_max: f64, class: usize) -> [f64; 4] {
    [
        Task::Trace.number(),
        f64::from(serial),
        gamma_max,
        class as f64,
    ]
}

/// The message that asks for one row of the imbalance map: task, then the request.
pub fn map_row_message(request: &MapRowRequest) -> Vec<f64> {
    let mut message = vec![Task::MapRow.number()];
    message.extend(request.encode());
    message
}

/// What a reply about a solve says: its first number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReplyKind {
    /// The solution: serial, γ, λ, FE(W, Q*), H(Q*), FE(W, P), KL(P‖Q*), then the records.
    Solved = 1,
    /// The worker could not solve: serial and γ.
    Failed = 2,
    /// The round trip of the last solution: serial, γ, the largest relative error.
    RoundTrip = 3,
    /// How far a trace along γ has got: serial, the share of its γ values solved.
    Tracing = 4,
    /// The curves along γ: serial, then [`CurvesAlongGamma::encode`]'s numbers.
    Traced = 5,
    /// The worker could not trace the curves along γ: serial.
    Untraced = 6,
}

impl ReplyKind {
    /// The number that says this kind at the head of a reply.
    const fn number(self) -> f64 {
        self as u8 as f64
    }
}

/// Numbers in a solution's reply before the records: kind, serial, γ, λ,
/// FE(W, Q*), H(Q*), FE(W, P) and KL(P‖Q*) (each a pass over every class,
/// made in the worker).
const SOLUTION_HEADER: usize = 8;

/// Numbers per distinct class in a solution's reply: the solver's offset and
/// slope, then q, 1 − q, −ln q, r, ln(q/w) and the regime's place in
/// [`GROUP_REGIMES`] (so that the page computes nothing per class to read
/// the solution).
const RECORD_LENGTH: usize = 8;

/// The regimes a group can have, numbered by their place here.
const GROUP_REGIMES: [Regime; 4] = [
    Regime::Amplified,
    Regime::Suppressed,
    Regime::OverSuppressed,
    Regime::Unchanged,
];

/// The reply to a solve: kind, serial, γ, λ, FE(W, Q*), H(Q*), FE(W, P),
/// KL(P‖Q*), then [`RECORD_LENGTH`] numbers per distinct class (in the
/// problem's group order).
fn solution_message(serial: u32, solution: &Solution) -> Vec<f64> {
    let (gamma, lambda, groups) = solution.position();
    let mut message = Vec::with_capacity(SOLUTION_HEADER + RECORD_LENGTH * groups.len());
    message.extend([
        ReplyKind::Solved.number(),
        f64::from(serial),
        gamma,
        lambda,
        solution.fe_min(),
        solution.shannon_q(),
        solution.fe_at_p(),
        solution.kl_p_q(),
    ]);
    for (g, regime) in groups.iter().zip(solution.group_regimes()) {
        // Always found: a group has classes, so it is never absent.
        let regime = GROUP_REGIMES.iter().position(|r| r == regime).unwrap_or(0);
        message.extend([
            g.offset,
            g.slope,
            g.q,
            g.one_minus_q,
            g.neg_ln_q,
            g.r,
            g.ln_q_over_w,
            regime as f64,
        ]);
    }
    message
}

/// A worker's reply to a solve it could not do: kind, serial and γ.
fn failure_message(serial: u32, gamma: f64) -> Vec<f64> {
    vec![ReplyKind::Failed.number(), f64::from(serial), gamma]
}

/// What a reply to a solve says, read against the problem the page sent as
/// `serial`.
#[derive(Debug)]
pub enum SolveReply {
    /// The solution (γ is its own), still to be read record by record.
    Solved(Box<SolutionReader>),
    /// The worker could not solve at this γ (it logs why).
    Failed(f64),
    /// The round trip P → Q* → P at γ: the largest relative difference
    /// between P and the P recovered from Q*.
    RoundTrip {
        /// The γ of the solution it went through.
        gamma: f64,
        /// The largest relative difference.
        worst: f64,
    },
    /// A reply about an older problem, to be dropped.
    Stale,
}

/// The numbers of a worker's reply, copied out a batch at a time: in the
/// page they stay in the browser's `Float64Array` (64 MB at a million
/// distinct classes, which took 36 ms to copy into the page at once) and
/// are copied as they are read; natively and in tests, a `Vec`.
pub trait ReplyNumbers: std::fmt::Debug {
    /// How many numbers the reply holds.
    fn count(&self) -> usize;
    /// Fills `into` with the numbers from `start` on (there are enough).
    fn copy_out(&self, start: usize, into: &mut [f64]);
}

impl ReplyNumbers for Vec<f64> {
    fn count(&self) -> usize {
        self.len()
    }

    fn copy_out(&self, start: usize, into: &mut [f64]) {
        into.copy_from_slice(&self[start..start + into.len()]);
    }
}

/// Reads a worker's reply about a solve of `problem`, sent to it as `serial`.
pub fn read_solve_reply(
    message: impl ReplyNumbers + 'static,
    problem: &FocalProblem,
    serial: u32,
) -> Result<SolveReply, MessageError> {
    let mut head = [0.0; SOLUTION_HEADER];
    let head = &mut head[..message.count().min(SOLUTION_HEADER)];
    message.copy_out(0, head);
    let wrong_length = MessageError("has the wrong length for its problem");
    let (&[kind, sent_as, gamma], rest) = head.split_first_chunk::<3>().ok_or(wrong_length)?;
    if sent_as != f64::from(serial) {
        return Ok(SolveReply::Stale);
    }
    let &[lambda, fe_min, shannon_q, fe_at_p, kl_p_q] = match rest {
        [] if kind == ReplyKind::Failed.number() => return Ok(SolveReply::Failed(gamma)),
        &[worst] if kind == ReplyKind::RoundTrip.number() => {
            return Ok(SolveReply::RoundTrip { gamma, worst })
        }
        _ if kind == ReplyKind::Solved.number() => rest.first_chunk::<5>().ok_or(wrong_length)?,
        _ => return Err(MessageError("is not a reply about a solve")),
    };
    let count = problem.distinct_class_count();
    if message.count() != SOLUTION_HEADER + RECORD_LENGTH * count {
        return Err(wrong_length);
    }
    Ok(SolveReply::Solved(Box::new(SolutionReader {
        problem: problem.clone(),
        gamma,
        lambda,
        sums: [fe_min, shannon_q],
        readouts: [fe_at_p, kl_p_q],
        message: Box::new(message),
        batch: vec![0.0; count.min(RECORDS_PER_BATCH) * RECORD_LENGTH],
        groups: Vec::with_capacity(count),
        regimes: Vec::with_capacity(count),
        runs: Vec::with_capacity(count + 1),
        tally: SolutionTally::new(problem),
    })))
}

/// Records a [`SolutionReader`] reads per batch, and runs it places: about
/// a tenth of a millisecond's work.
const RECORDS_PER_BATCH: usize = 4096;

/// A worker's solution, read a batch of records at a time ([`Piecewise`]):
/// at a million distinct classes the reply holds 64 MB, which the page reads
/// in slices between which the browser keeps drawing and answering input.
#[derive(Debug)]
pub struct SolutionReader {
    /// The problem solved.
    problem: FocalProblem,
    /// Its γ.
    gamma: f64,
    /// λ = ln μ.
    lambda: f64,
    /// FE(W, Q*) and H(Q*), in nats.
    sums: [f64; 2],
    /// FE(W, P) and KL(P‖Q*), in nats.
    readouts: [f64; 2],
    /// The whole reply, whose records after those read are still to be read.
    message: Box<dyn ReplyNumbers>,
    /// Room for the records of a batch, copied out of `message`.
    batch: Vec<f64>,
    /// Each group's solution read so far.
    groups: Vec<GroupSolution>,
    /// Each group's regime read so far.
    regimes: Vec<Regime>,
    /// The runs of classes by decreasing `p` placed so far, once every
    /// record is read ([`Solution::runs_by_rank`]).
    runs: Vec<ClassRun>,
    /// The distinct classes read so far, tallied ([`Solution::tally`]).
    tally: SolutionTally,
}

impl Piecewise for SolutionReader {
    /// Reads the next batch of records; once all are read, puts the next
    /// batch of runs at their places by rank.
    fn advance(&mut self) -> Result<bool, String> {
        let count = self.problem.distinct_class_count();
        if self.groups.len() < count {
            self.read_records().map_err(|e| e.to_string())?;
            return Ok(false);
        }
        let first = self.runs.len();
        let positions = first..count.min(first + RECORDS_PER_BATCH);
        let runs = ClassRun::by_rank(&self.problem, &self.groups, &self.regimes, positions);
        self.runs.extend(runs);
        Ok(self.runs.len() == count)
    }

    fn fraction_done(&self) -> f64 {
        let count = self.problem.distinct_class_count().max(1);
        (self.groups.len() + self.runs.len()) as f64 / (2 * count) as f64
    }
}

impl SolutionReader {
    /// Reads the next batch of records into each group's solution, regime
    /// and tally.
    fn read_records(&mut self) -> Result<(), MessageError> {
        let first = self.groups.len();
        let start = SOLUTION_HEADER + first * RECORD_LENGTH;
        let end = self
            .message
            .count()
            .min(start + RECORDS_PER_BATCH * RECORD_LENGTH);
        let batch = &mut self.batch[..end - start];
        self.message.copy_out(start, batch);
        let data = &self.problem.groups()[first..];
        let ranks = self.problem.frequency_ranks();
        for (r, (offset, data)) in batch
            .chunks_exact(RECORD_LENGTH)
            .zip(data.iter().enumerate())
        {
            let group = first + offset;
            let solved = GroupSolution {
                offset: r[0],
                slope: r[1],
                q: r[2],
                one_minus_q: r[3],
                neg_ln_q: r[4],
                r: r[5],
                ln_q_over_w: r[6],
            };
            let regime = whole_number(r[7]).ok().and_then(|n| GROUP_REGIMES.get(n));
            let regime = *regime.ok_or(MessageError("names a regime that does not exist"))?;
            let distinct = DistinctClass::of(group, data, &solved, regime);
            self.tally.take(&distinct, ranks.of_group(group));
            self.groups.push(solved);
            self.regimes.push(regime);
        }
        Ok(())
    }

    /// The solution, once every record is read and every run placed
    /// ([`Piecewise::advance`] said so); until then, an error. (Runs are
    /// placed only once every record is read, and the reply's length was
    /// checked against the problem: the last run placed says both.)
    pub fn into_solution(self) -> Result<Solution, MessageError> {
        if self.runs.len() != self.problem.distinct_class_count() {
            return Err(MessageError("was taken before it was read to its end"));
        }
        let solution = Solution::from_parts(
            self.problem,
            self.gamma,
            self.lambda,
            self.groups,
            self.regimes,
            self.sums,
        );
        let [fe_at_p, kl_p_q] = self.readouts;
        let solution = solution.with_readouts_computed(fe_at_p, kl_p_q);
        let mut runs = self.runs;
        runs.extend(ClassRun::absent(solution.problem()));
        Ok(solution.with_runs_by_rank(runs).with_tally(self.tally))
    }
}

/// What a reply about a trace along γ says.
#[derive(Debug, PartialEq)]
pub enum TraceReply {
    /// The share of the trace's γ values solved so far.
    Tracing(f64),
    /// The curves (boxed: they hold several lists).
    Traced(Box<CurvesAlongGamma>),
    /// The worker could not trace them (it logs why).
    Untraced,
    /// A reply about an older problem, to be dropped.
    Stale,
}

/// Reads a worker's reply about a trace of the problem sent to it as `serial`.
pub fn read_trace_reply(message: &[f64], serial: u32) -> Result<TraceReply, MessageError> {
    let Some((&[kind, sent_as], rest)) = message.split_first_chunk::<2>() else {
        return Err(MessageError("is too short for a reply about a trace"));
    };
    if sent_as != f64::from(serial) {
        return Ok(TraceReply::Stale);
    }
    match rest {
        &[share] if kind == ReplyKind::Tracing.number() => Ok(TraceReply::Tracing(share)),
        [] if kind == ReplyKind::Untraced.number() => Ok(TraceReply::Untraced),
        _ if kind == ReplyKind::Traced.number() => {
            CurvesAlongGamma::decode(rest).map(|curves| TraceReply::Traced(Box::new(curves)))
        }
        _ => Err(MessageError("is not a reply about a trace")),
    }
}

/// What a worker does about a message.
#[derive(Debug, PartialEq)]
pub enum Answer {
    /// Send this reply.
    Reply(Vec<f64>),
    /// Nothing to send now.
    Nothing,
    /// Call [`WorkerState::solve_wanted`] once the messages already waiting
    /// have been read (in a later task), so that of a burst of γ values only
    /// the newest is solved.
    SolveSoon,
    /// Call [`WorkerState::trace_wanted`] in a later task.
    TraceSoon,
}

/// What a worker keeps between messages: the problem it was given, its last
/// solution, from which the next γ starts, the γ it is to solve next, and
/// whether the last solution's round trip is still to be sent.
#[derive(Debug, Default)]
pub struct WorkerState {
    /// The problem and the page's number for it.
    problem: Option<(u32, FocalProblem)>,
    /// The last solution of that problem.
    last: Option<Solution>,
    /// The newest request for a solution not yet computed: serial and γ.
    wanted: Option<(u32, f64)>,
    /// Whether the round trip of `last` is still to be sent.
    round_trip_due: bool,
    /// The trace along γ asked for and not yet done: serial, γ_max, tracked class.
    trace: Option<(u32, f64, usize)>,
}

impl WorkerState {
    /// Answers one message, and says what went wrong, for the worker's console.
    pub fn answer(&mut self, message: &[f64]) -> (Answer, Option<String>) {
        match message.split_first() {
            Some((&task, rest)) if task == Task::MapRow.number() => {
                match MapRowRequest::decode(rest) {
                    Ok(request) => {
                        let (row, error) = request.answer();
                        let error = error.map(|e| format!("map row {}: {e}", request.row));
                        (Answer::Reply(row.encode()), error)
                    }
                    // A one-number reply, which the page reads as a broken message.
                    Err(error) => (Answer::Reply(vec![f64::NAN]), Some(error.to_string())),
                }
            }
            Some((&task, rest)) if task == Task::TakeProblem.number() => {
                (Answer::Nothing, self.take_problem(rest).err())
            }
            Some((&task, &[serial, gamma])) if task == Task::Solve.number() => {
                let serial = match whole_number(serial) {
                    Ok(serial) => serial as u32,
                    Err(error) => return (Answer::Nothing, Some(error.to_string())),
                };
                // Only the first of a burst schedules a solve; later ones replace its γ.
                let first = self.wanted.replace((serial, gamma)).is_none();
                (
                    if first {
                        Answer::SolveSoon
                    } else {
                        Answer::Nothing
                    },
                    None,
                )
            }
            Some((&task, &[serial, gamma_max, class])) if task == Task::Trace.number() => {
                match (whole_number(serial), whole_number(class)) {
                    (Ok(serial), Ok(class)) => {
                        self.trace = Some((serial as u32, gamma_max, class));
                        (Answer::TraceSoon, None)
                    }
                    (Err(error), _) | (_, Err(error)) => (Answer::Nothing, Some(error.to_string())),
                }
            }
            _ => (
                Answer::Nothing,
                Some("a worker message of no known task".to_string()),
            ),
        }
    }

    /// Keeps the problem in a [`problem_message`] (without its task); a γ
    /// still wanted of the problem before is dropped with it.
    fn take_problem(&mut self, message: &[f64]) -> Result<(), String> {
        self.problem = None;
        self.last = None;
        self.wanted = None;
        self.trace = None;
        self.round_trip_due = false;
        let broken = |e: MessageError| e.to_string();
        let (&[serial, classes, weighted], values) = message
            .split_first_chunk::<3>()
            .ok_or(MessageError("is too short for a problem"))
            .map_err(broken)?;
        let classes = whole_number(classes).map_err(broken)?;
        let expected = if weighted == 1.0 {
            2 * classes
        } else {
            classes
        };
        if values.len() != expected {
            return Err(broken(MessageError("has the wrong length for its problem")));
        }
        let (counts, alpha) = values.split_at(classes);
        let alpha = (weighted == 1.0).then_some(alpha);
        let problem = FocalProblem::new(counts, alpha).map_err(|e| e.to_string())?;
        self.problem = Some((whole_number(serial).map_err(broken)? as u32, problem));
        Ok(())
    }

    /// Solves at the newest γ asked for since the last call, if any: the
    /// reply, and what went wrong, for the worker's console.
    pub fn solve_wanted(&mut self) -> (Option<Vec<f64>>, Option<String>) {
        let Some((serial, gamma)) = self.wanted.take() else {
            return (None, None);
        };
        let Some((kept, problem)) = self.problem.as_ref().filter(|(s, _)| *s == serial) else {
            let error = format!("asked to solve problem {serial}, which it was not given");
            return (Some(failure_message(serial, gamma)), Some(error));
        };
        match solve_at(problem, None, self.last.as_ref(), gamma) {
            Ok(solution) => {
                let reply = solution_message(*kept, &solution);
                self.last = Some(solution);
                self.round_trip_due = true;
                (Some(reply), None)
            }
            Err(error) => (
                Some(failure_message(serial, gamma)),
                Some(format!("solving at γ = {gamma}: {error}")),
            ),
        }
    }

    /// Traces the curves along γ asked for last, if any, sending a
    /// [`ReplyKind::Tracing`] message to `send` after each γ solved: the
    /// reply, and what went wrong, for the worker's console.
    pub fn trace_wanted(
        &mut self,
        send: &mut dyn FnMut(Vec<f64>),
    ) -> (Option<Vec<f64>>, Option<String>) {
        let Some((serial, gamma_max, class)) = self.trace.take() else {
            return (None, None);
        };
        let untraced = vec![ReplyKind::Untraced.number(), f64::from(serial)];
        let Some((_, problem)) = self.problem.as_ref().filter(|(s, _)| *s == serial) else {
            let error = format!("asked to trace problem {serial}, which it was not given");
            return (Some(untraced), Some(error));
        };
        let tracing = ReplyKind::Tracing.number();
        let progress = &mut |share| send(vec![tracing, f64::from(serial), share]);
        match CurvesAlongGamma::trace(problem, gamma_max, class, progress) {
            Ok(curves) => {
                let mut reply = vec![ReplyKind::Traced.number(), f64::from(serial)];
                reply.extend(curves.encode());
                (Some(reply), None)
            }
            Err(error) => (Some(untraced), Some(format!("tracing along γ: {error}"))),
        }
    }

    /// The round trip of the last solution, to be called in a later task
    /// than [`WorkerState::solve_wanted`]: `None` when it was sent already,
    /// when a newer γ is waiting to be solved (its solution comes first, and
    /// then its own round trip), or when the inversion fails.
    pub fn round_trip_wanted(&mut self) -> Option<Vec<f64>> {
        if !self.round_trip_due || self.wanted.is_some() {
            return None;
        }
        self.round_trip_due = false;
        let ((serial, _), last) = self.problem.as_ref().zip(self.last.as_ref())?;
        let worst = round_trip_error(last)?;
        Some(vec![
            ReplyKind::RoundTrip.number(),
            f64::from(*serial),
            last.gamma(),
            worst,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ImbalanceMap;
    use crate::state::findings::AtGamma;
    use crate::state::map_rows::MapRow;

    /// A worker's reply to `message`, which must have one and no error: a
    /// map row at once, a solution once the worker turns to it.
    fn reply(worker: &mut WorkerState, message: &[f64]) -> Vec<f64> {
        match worker.answer(message) {
            (Answer::Reply(reply), None) => reply,
            (Answer::SolveSoon, None) => {
                let (reply, error) = worker.solve_wanted();
                assert_eq!(error, None);
                reply.unwrap()
            }
            other => panic!("no reply: {other:?}"),
        }
    }

    /// The solution a reply about a solve carries, read to its end.
    fn solution_in(reply: Result<SolveReply, MessageError>) -> Solution {
        let Ok(SolveReply::Solved(mut reader)) = reply else {
            panic!("no solution in {reply:?}");
        };
        reader.run_to_end().unwrap();
        reader.into_solution().unwrap()
    }

    /// Every readout the page shows, bit for bit.
    fn readouts(s: &Solution) -> Vec<u64> {
        let mut values = vec![
            s.gamma(),
            s.mu(),
            s.fe_min(),
            s.shannon_q(),
            s.kl_p_q(),
            s.fe_at_p(),
        ];
        values.extend(s.q_all());
        values.extend((0..s.problem().class_count()).map(|c| s.ln_ratio(c).unwrap_or(-1.0)));
        for run in s.runs_by_rank() {
            values.extend([run.classes as f64, run.p, run.q, run.regime as u8 as f64]);
        }
        let mut bits: Vec<u64> = values.into_iter().map(f64::to_bits).collect();
        bits.extend(s.regimes().iter().map(|r| *r as u64));
        bits
    }

    #[test]
    fn a_problem_solved_through_messages_is_the_solution_computed_here() {
        let counts = [500.0, 120.0, 120.0, 30.0, 7.0, 0.0, 1.0];
        let alpha = [0.25, 0.5, 0.5, 0.75, 1.0, 1.0, 0.9];
        for alpha in [None, Some(&alpha[..])] {
            let problem = FocalProblem::new(&counts, alpha).unwrap();
            let mut worker = WorkerState::default();
            assert_eq!(
                worker.answer(&problem_message(4, &problem).parts().concat()),
                (Answer::Nothing, None)
            );
            let mut here: Option<Solution> = None;
            for gamma in [2.0, 2.5, 0.0, 7.25] {
                let message = reply(&mut worker, &solve_message(4, gamma));
                let there = solution_in(read_solve_reply(message, &problem, 4));
                // The worker starts each γ from its last solution, as the page would.
                let solved = solve_at(&problem, None, here.as_ref(), gamma).unwrap();
                assert_eq!(readouts(&there), readouts(&solved));
                // The tally gathered while reading gives the same findings.
                assert_eq!(there.tally(), solved.tally());
                assert_eq!(AtGamma::new(&there), AtGamma::new(&solved));
                assert!(there.problem().same_as(&problem));
                here = Some(solved);
            }
        }
    }

    #[test]
    fn curves_traced_through_messages_are_those_traced_here() {
        let counts: Vec<f64> = (1..=400).map(|i| f64::from(i * i)).collect();
        let problem = FocalProblem::new(&counts, None).unwrap();
        let mut worker = WorkerState::default();
        worker.answer(&problem_message(3, &problem).parts().concat());
        assert_eq!(
            worker.answer(&trace_message(3, 5.0, 17)),
            (Answer::TraceSoon, None)
        );
        let mut sent = Vec::new();
        let (reply, error) = worker.trace_wanted(&mut |message| sent.push(message));
        assert_eq!(error, None);
        let mut shares = Vec::new();
        let here =
            CurvesAlongGamma::trace(&problem, 5.0, 17, &mut |share| shares.push(share)).unwrap();
        assert_eq!(
            read_trace_reply(&reply.unwrap(), 3),
            Ok(TraceReply::Traced(Box::new(here)))
        );
        let told: Vec<TraceReply> = sent
            .iter()
            .map(|m| read_trace_reply(m, 3).unwrap())
            .collect();
        let expected: Vec<TraceReply> = shares.into_iter().map(TraceReply::Tracing).collect();
        assert_eq!(told, expected);
        // Asked once, traced once.
        assert_eq!(worker.trace_wanted(&mut |_| {}), (None, None));
        // A trace of a problem the worker was not given, or of a class out
        // of range: untraced, and why.
        for (serial, class, why) in [
            (4, 0, "asked to trace problem 4, which it was not given"),
            (
                3,
                400,
                "tracing along γ: class 401 does not exist or has count zero",
            ),
        ] {
            worker.answer(&trace_message(serial, 5.0, class));
            let (reply, error) = worker.trace_wanted(&mut |_| {});
            assert_eq!(error.as_deref(), Some(why));
            assert_eq!(
                read_trace_reply(&reply.unwrap(), serial),
                Ok(TraceReply::Untraced)
            );
        }
        // Replies about another problem are stale; others that are not about a trace, broken.
        assert_eq!(read_trace_reply(&[4.0, 2.0, 0.5], 3), Ok(TraceReply::Stale));
        assert_eq!(
            read_trace_reply(&[1.0, 3.0, 2.0], 3),
            Err(MessageError("is not a reply about a trace"))
        );
        assert_eq!(
            read_trace_reply(&[4.0], 3),
            Err(MessageError("is too short for a reply about a trace"))
        );
    }

    #[test]
    fn a_large_solution_is_read_a_batch_at_a_time_and_taken_only_whole() {
        let counts: Vec<f64> = (1..=10_000).map(f64::from).collect();
        let problem = FocalProblem::new(&counts, None).unwrap();
        let mut worker = WorkerState::default();
        worker.answer(&problem_message(2, &problem).parts().concat());
        let message = reply(&mut worker, &solve_message(2, 2.0));
        let read = |message| match read_solve_reply(message, &problem, 2) {
            Ok(SolveReply::Solved(reader)) => reader,
            other => panic!("no solution in {other:?}"),
        };
        assert_eq!(
            read(message.clone()).into_solution().err(),
            Some(MessageError("was taken before it was read to its end"))
        );
        let mut reader = read(message);
        assert_eq!(reader.advance(), Ok(false));
        assert_eq!(reader.fraction_done(), 0.2048);
        // The records are read in three batches, then the runs placed by
        // rank in three; the solution is whole only after both.
        for _ in 0..4 {
            assert_eq!(reader.advance(), Ok(false));
        }
        assert_eq!(reader.fraction_done(), 0.9096);
        assert_eq!(reader.advance(), Ok(true));
        assert_eq!(reader.fraction_done(), 1.0);
        let solution = reader.into_solution().unwrap();
        let solved = problem.solve(2.0).unwrap();
        assert_eq!(readouts(&solution), readouts(&solved));
        // Tallied over three batches: the same sums, to the bit.
        assert_eq!(solution.tally(), solved.tally());
        assert_eq!(AtGamma::new(&solution), AtGamma::new(&solved));
    }

    #[test]
    fn replies_about_another_problem_or_that_failed_are_told_apart() {
        let problem = FocalProblem::new(&[3.0, 1.0], None).unwrap();
        let mut worker = WorkerState::default();
        worker.answer(&problem_message(1, &problem).parts().concat());
        let old = reply(&mut worker, &solve_message(1, 2.0));
        assert!(matches!(
            read_solve_reply(old, &problem, 2),
            Ok(SolveReply::Stale)
        ));
        // A solve the worker cannot do: a failure at its γ, and why.
        let mut fails = |serial: u32, gamma: f64, why: &str| {
            assert_eq!(
                worker.answer(&solve_message(serial, gamma)).0,
                Answer::SolveSoon
            );
            let (failed, error) = worker.solve_wanted();
            assert_eq!(error.as_deref(), Some(why));
            assert!(matches!(
                read_solve_reply(failed.unwrap(), &problem, serial),
                Ok(SolveReply::Failed(at)) if at == gamma
            ));
        };
        // A γ of a problem the worker was not given.
        fails(2, 2.0, "asked to solve problem 2, which it was not given");
        // A γ the core refuses.
        fails(
            1,
            -1.0,
            "solving at γ = -1: γ = -1 is not allowed; γ must be a number from 0 to 100",
        );
    }

    #[test]
    fn of_a_burst_of_gammas_only_the_newest_is_solved() {
        let problem = FocalProblem::new(&[50.0, 30.0, 15.0, 5.0], None).unwrap();
        let mut worker = WorkerState::default();
        worker.answer(&problem_message(7, &problem).parts().concat());
        // Requests that arrive while the worker computes wait in its queue;
        // the first schedules one solve, which takes the newest γ.
        assert_eq!(worker.answer(&solve_message(7, 1.0)).0, Answer::SolveSoon);
        assert_eq!(worker.answer(&solve_message(7, 2.0)).0, Answer::Nothing);
        assert_eq!(worker.answer(&solve_message(7, 3.0)).0, Answer::Nothing);
        let (solved, error) = worker.solve_wanted();
        assert_eq!(error, None);
        let solution = solution_in(read_solve_reply(solved.unwrap(), &problem, 7));
        assert_eq!(solution.gamma(), 3.0);
        assert_eq!(readouts(&solution), readouts(&problem.solve(3.0).unwrap()));
        // Nothing is left to solve; the next request schedules a solve again.
        assert_eq!(worker.solve_wanted(), (None, None));
        assert_eq!(worker.answer(&solve_message(7, 4.0)).0, Answer::SolveSoon);
        // A new problem drops the γ still wanted of the old one.
        worker.answer(&problem_message(8, &problem).parts().concat());
        assert_eq!(worker.solve_wanted(), (None, None));
    }

    #[test]
    fn the_round_trip_of_the_last_solution_follows_it_once_nothing_newer_waits() {
        let problem = FocalProblem::new(&[900.0, 60.0, 30.0, 9.0, 1.0], None).unwrap();
        let mut worker = WorkerState::default();
        // Nothing solved yet: no round trip.
        assert_eq!(worker.round_trip_wanted(), None);
        worker.answer(&problem_message(3, &problem).parts().concat());
        reply(&mut worker, &solve_message(3, 2.5));
        let message = worker.round_trip_wanted().unwrap();
        let Ok(SolveReply::RoundTrip { gamma, worst }) =
            read_solve_reply(message.clone(), &problem, 3)
        else {
            panic!("no round trip in {message:?}");
        };
        let here = round_trip_error(&problem.solve(2.5).unwrap()).unwrap();
        assert_eq!((gamma, worst.to_bits()), (2.5, here.to_bits()));
        assert!(worst < 1e-12, "{worst}");
        // It is sent once.
        assert_eq!(worker.round_trip_wanted(), None);
        // While a newer γ waits, its solution comes first, then its round trip.
        reply(&mut worker, &solve_message(3, 4.0));
        assert_eq!(worker.answer(&solve_message(3, 5.0)).0, Answer::SolveSoon);
        assert_eq!(worker.round_trip_wanted(), None);
        worker.solve_wanted();
        let later = worker.round_trip_wanted().unwrap();
        assert!(matches!(
            read_solve_reply(later, &problem, 3),
            Ok(SolveReply::RoundTrip { gamma, .. }) if gamma == 5.0
        ));
        // A new problem drops the round trip still due of the old one.
        reply(&mut worker, &solve_message(3, 6.0));
        worker.answer(&problem_message(4, &problem).parts().concat());
        assert_eq!(worker.round_trip_wanted(), None);
    }

    #[test]
    fn broken_messages_are_refused_with_a_reason() {
        let problem = FocalProblem::new(&[3.0, 1.0], None).unwrap();
        let mut worker = WorkerState::default();
        let refused = |worker: &mut WorkerState, message: &[f64]| match worker.answer(message) {
            (Answer::SolveSoon, None) => worker.solve_wanted().1,
            (_, error) => error,
        };
        assert_eq!(
            refused(&mut worker, &[9.0]).as_deref(),
            Some("a worker message of no known task")
        );
        assert_eq!(
            refused(&mut worker, &[]).as_deref(),
            Some("a worker message of no known task")
        );
        assert_eq!(
            refused(&mut worker, &[2.0, 1.0, 2.0]).as_deref(),
            Some("a worker message is too short for a problem")
        );
        assert_eq!(
            refused(&mut worker, &[2.0, 1.0, 2.0, 1.0, 3.0, 1.0]).as_deref(),
            Some("a worker message has the wrong length for its problem")
        );
        assert_eq!(
            refused(&mut worker, &[2.0, 1.0, 2.0, 0.0, 3.0, -1.0]).as_deref(),
            Some("the count of class 2 is -1; counts must be finite numbers ≥ 0")
        );
        assert_eq!(
            refused(&mut worker, &[2.0, 0.5, 1.0, 0.0, 3.0]).as_deref(),
            Some("a worker message holds a count that is not a whole number")
        );
        // A solve of a problem the page cannot have numbered.
        assert_eq!(
            refused(&mut worker, &[Task::Solve.number(), 0.5, 2.0]).as_deref(),
            Some("a worker message holds a count that is not a whole number")
        );
        // A broken problem leaves none kept.
        assert!(refused(&mut worker, &solve_message(1, 2.0)).is_some());
        assert_eq!(
            read_solve_reply(vec![1.0], &problem, 1).err(),
            Some(MessageError("has the wrong length for its problem"))
        );
        assert_eq!(
            read_solve_reply(vec![1.0, 1.0, 0.5, 0.1, 0.2, 0.3], &problem, 1).err(),
            Some(MessageError("has the wrong length for its problem"))
        );
        // A record whose regime is not one of a group's.
        let mut worker = WorkerState::default();
        worker.answer(&problem_message(1, &problem).parts().concat());
        let solved = reply(&mut worker, &solve_message(1, 2.0));
        for regime in [4.0, -1.0, 0.5, f64::NAN] {
            let mut broken = solved.clone();
            broken[SOLUTION_HEADER + RECORD_LENGTH - 1] = regime;
            let Ok(SolveReply::Solved(mut reader)) = read_solve_reply(broken, &problem, 1) else {
                panic!("not read as a solution");
            };
            assert_eq!(
                reader.run_to_end(),
                Err("a worker message names a regime that does not exist".to_string()),
                "{regime}"
            );
        }
        for unknown in [
            &[9.0, 1.0, 2.0][..],
            &[3.0, 1.0, 2.0],
            &[3.0, 1.0, 2.0, 0.1, 0.2],
        ] {
            assert_eq!(
                read_solve_reply(unknown.to_vec(), &problem, 1).err(),
                Some(MessageError("is not a reply about a solve"))
            );
        }
        // A reply that names no problem the page sent is not about this one.
        assert!(matches!(
            read_solve_reply(vec![1.0, -1.0, 2.0], &problem, 1),
            Ok(SolveReply::Stale)
        ));
        assert_eq!(
            MessageError("is too short for a row").to_string(),
            "a worker message is too short for a row"
        );
    }

    #[test]
    fn a_map_row_asked_through_its_task_is_the_row_computed_here() {
        let map = ImbalanceMap::new(50, 20.0, 4, 6).unwrap();
        let request = MapRowRequest::for_row(3, &map, 2);
        let mut worker = WorkerState::default();
        let row = MapRow::decode(&reply(&mut worker, &map_row_message(&request))).unwrap();
        assert_eq!(row, request.answer().0);
        assert_eq!(row.values.len(), 6);
        // A broken request gets a one-number reply, which the page reports.
        let (broken, error) = worker.answer(&[Task::MapRow.number(), 1.0]);
        assert!(matches!(broken, Answer::Reply(reply) if reply[0].is_nan()));
        assert_eq!(
            error.as_deref(),
            Some("a worker message has the wrong length for a request")
        );
    }

    #[test]
    fn problems_with_more_distinct_classes_than_are_swept_are_solved_in_the_worker() {
        let distinct = |n: usize| {
            let counts: Vec<f64> = (0..n).map(|i| 1.0 + i as f64).collect();
            FocalProblem::new(&counts, None).unwrap()
        };
        assert!(!solves_in_worker(&distinct(MAX_SWEEP_DISTINCT_CLASSES)));
        assert!(solves_in_worker(&distinct(MAX_SWEEP_DISTINCT_CLASSES + 1)));
        let tied: Vec<f64> = (0..100_000).map(|i| (i % 7) as f64 + 1.0).collect();
        assert!(!solves_in_worker(&FocalProblem::new(&tied, None).unwrap()));
    }
}

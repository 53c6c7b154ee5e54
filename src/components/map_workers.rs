//! A pool of Web Workers that compute the imbalance map off the main thread,
//! one worker per core (`navigator.hardwareConcurrency`). The page hands out
//! one row at a time to each idle worker, so the cores share the work however
//! long each row takes, and the main thread only puts rows in. Starting a new
//! map cancels the old one: its queued rows are dropped at once, and the row
//! a worker may still be computing (one per worker) is discarded when it comes
//! back. Workers are started once and kept, so after the page has loaded they
//! make no further network request.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use super::worker::{start_worker, RunningWorker};
use crate::core::ImbalanceMap;
use crate::state::map_rows::{MapRow, MapRowRequest};
use crate::state::worker_messages::map_row_message;

/// Most workers, whatever the machine reports.
const MAX_WORKERS: usize = 8;

/// What the pool reports to the page.
pub enum MapWorkEvent {
    /// A row of the current map.
    Row(MapRow),
    /// The current map cannot be finished, and why.
    Failed(String),
}

/// One worker and what it is doing.
struct Slot {
    running: RunningWorker,
    /// Whether it is computing a row.
    busy: bool,
}

/// The workers and the work waiting for them.
struct Pool {
    slots: Vec<Slot>,
    /// Rows of the current job not yet handed out.
    queue: VecDeque<MapRowRequest>,
    /// The current job; rows of any other are dropped.
    job: u32,
    /// Where rows and failures go (the page's map).
    listener: Rc<dyn Fn(MapWorkEvent)>,
}

/// The page's map workers (cheap to clone; all clones share the pool).
#[derive(Clone)]
pub struct MapWorkers(Rc<RefCell<Pool>>);

impl MapWorkers {
    /// A pool that reports rows and failures to `listener`; workers start with the first map.
    pub fn new(listener: impl Fn(MapWorkEvent) + 'static) -> Self {
        MapWorkers(Rc::new(RefCell::new(Pool {
            slots: Vec::new(),
            queue: VecDeque::new(),
            job: 0,
            listener: Rc::new(listener),
        })))
    }

    /// Computes every row of `map` not yet in it as job `job`, cancelling
    /// whatever the pool was doing.
    pub fn start(&self, map: &ImbalanceMap, job: u32) {
        let rows = map.ratios().len();
        {
            let mut pool = self.0.borrow_mut();
            pool.job = job;
            pool.queue = (0..rows)
                .filter(|&row| !map.has_row(row))
                .map(|row| MapRowRequest::for_row(job, map, row))
                .collect();
        }
        match self.grow_to(worker_count().min(rows)) {
            Ok(()) => self.dispatch(),
            Err(reason) => self.report(MapWorkEvent::Failed(reason)),
        }
    }

    /// Starts workers until there are `wanted` (work can be sent at once:
    /// each keeps what arrives before its WebAssembly runs).
    fn grow_to(&self, wanted: usize) -> Result<(), String> {
        while self.0.borrow().slots.len() < wanted {
            let index = self.0.borrow().slots.len();
            let slot = spawn(Rc::downgrade(&self.0), index)?;
            self.0.borrow_mut().slots.push(slot);
        }
        Ok(())
    }

    /// Stops every worker (when the map leaves the page).
    pub fn stop(&self) {
        let mut pool = self.0.borrow_mut();
        pool.queue.clear();
        for slot in pool.slots.drain(..) {
            slot.running.worker.terminate();
        }
    }

    /// Hands queued rows to idle workers.
    fn dispatch(&self) {
        let mut failure = None;
        {
            let mut pool = self.0.borrow_mut();
            let pool = &mut *pool;
            for slot in pool.slots.iter_mut().filter(|s| !s.busy) {
                let Some(request) = pool.queue.pop_front() else {
                    break;
                };
                if slot.running.send(&[&map_row_message(&request)]) {
                    slot.busy = true;
                } else {
                    failure = Some("the page could not send work to a map worker".to_string());
                }
            }
        }
        if let Some(reason) = failure {
            self.report(MapWorkEvent::Failed(reason));
        }
    }

    /// Tells the page, with no borrow of the pool held (the page may start a new map).
    fn report(&self, event: MapWorkEvent) {
        let listener = Rc::clone(&self.0.borrow().listener);
        listener(event);
    }

    /// A message from the worker in `index`: a row.
    fn receive(&self, index: usize, message: Vec<f64>) {
        let event = {
            let mut pool = self.0.borrow_mut();
            let job = pool.job;
            let Some(slot) = pool.slots.get_mut(index) else {
                return;
            };
            slot.busy = false;
            match MapRow::decode(&message) {
                Ok(row) if row.job != job => None,
                Ok(row) if row.values.is_empty() => Some(MapWorkEvent::Failed(format!(
                    "a worker could not compute row {} (the browser console says why)",
                    row.row + 1
                ))),
                Ok(row) => Some(MapWorkEvent::Row(row)),
                Err(error) => Some(MapWorkEvent::Failed(error.to_string())),
            }
        };
        self.dispatch();
        if let Some(event) = event {
            self.report(event);
        }
    }
}

/// Workers to run: one per core the browser reports, at least one.
fn worker_count() -> usize {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    (cores as usize).clamp(1, MAX_WORKERS)
}

/// Starts a worker for slot `index` whose messages go to the pool.
fn spawn(pool: Weak<RefCell<Pool>>, index: usize) -> Result<Slot, String> {
    let messages = pool.clone();
    let running = start_worker(
        Box::new(move |message| {
            if let Some(pool) = messages.upgrade() {
                MapWorkers(pool).receive(index, message.to_vec());
            }
        }),
        Box::new(move |reason| {
            if let Some(pool) = pool.upgrade() {
                MapWorkers(pool).report(MapWorkEvent::Failed(reason));
            }
        }),
    )?;
    Ok(Slot {
        running,
        busy: false,
    })
}

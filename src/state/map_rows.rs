//! The imbalance map's messages between the page and its workers: a request
//! for one row of the map and the row that answers it, each a flat array of
//! numbers (see `worker_messages`).
//!
//! The page owns the map and hands out rows; each worker answers one row at a
//! time with [`MapRowRequest::answer`], the same core code the native tests run.

use crate::core::{FocalError, ImbalanceMap};

use super::worker_messages::{whole_number, MessageError};

/// What the page asks a worker for: one row of an imbalance map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapRowRequest {
    /// The computation the row belongs to; rows of an older one are dropped.
    pub job: u32,
    /// Number of classes K of the exponential long tail.
    pub classes: usize,
    /// γ_max, the map's right edge.
    pub gamma_max: f64,
    /// Rows of the map (head-to-tail ratios).
    pub ratio_points: usize,
    /// Columns of the map (γ values).
    pub gamma_points: usize,
    /// The row asked for, from 0 (the smallest ratio).
    pub row: usize,
}

/// A worker's reply: `ln(q*/p)` of the rarest class at every γ of one row.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRow {
    /// The computation it belongs to.
    pub job: u32,
    /// Which row.
    pub row: usize,
    /// One value per column; empty when the row could not be computed.
    pub values: Vec<f64>,
}

impl MapRowRequest {
    /// Numbers in a request message.
    const LENGTH: usize = 6;

    /// The request for `row` of a map laid out as `map`.
    pub fn for_row(job: u32, map: &ImbalanceMap, row: usize) -> Self {
        MapRowRequest {
            job,
            classes: map.classes(),
            gamma_max: map.gamma_max(),
            ratio_points: map.ratios().len(),
            gamma_points: map.gammas().len(),
            row,
        }
    }

    /// The message: job, classes, γ_max, rows, columns, row.
    pub fn encode(&self) -> [f64; Self::LENGTH] {
        [
            f64::from(self.job),
            self.classes as f64,
            self.gamma_max,
            self.ratio_points as f64,
            self.gamma_points as f64,
            self.row as f64,
        ]
    }

    /// Reads a message written by [`MapRowRequest::encode`].
    pub fn decode(message: &[f64]) -> Result<Self, MessageError> {
        let [job, classes, gamma_max, ratio_points, gamma_points, row] =
            <[f64; Self::LENGTH]>::try_from(message)
                .map_err(|_| MessageError("has the wrong length for a request"))?;
        Ok(MapRowRequest {
            job: whole_number(job)? as u32,
            classes: whole_number(classes)?,
            gamma_max,
            ratio_points: whole_number(ratio_points)?,
            gamma_points: whole_number(gamma_points)?,
            row: whole_number(row)?,
        })
    }

    /// Computes the row (what a worker does with a request).
    pub fn compute(&self) -> Result<Vec<f64>, FocalError> {
        ImbalanceMap::new(
            self.classes,
            self.gamma_max,
            self.ratio_points,
            self.gamma_points,
        )?
        .compute_row(self.row)
    }

    /// The reply to this request: the row, or no values when it cannot be computed.
    pub fn answer(&self) -> (MapRow, Option<FocalError>) {
        let (values, error) = match self.compute() {
            Ok(values) => (values, None),
            Err(error) => (Vec::new(), Some(error)),
        };
        let row = MapRow {
            job: self.job,
            row: self.row,
            values,
        };
        (row, error)
    }
}

impl MapRow {
    /// The message: job, row, then the values.
    pub fn encode(&self) -> Vec<f64> {
        let mut message = Vec::with_capacity(2 + self.values.len());
        message.extend([f64::from(self.job), self.row as f64]);
        message.extend_from_slice(&self.values);
        message
    }

    /// Reads a message written by [`MapRow::encode`].
    pub fn decode(message: &[f64]) -> Result<Self, MessageError> {
        match message {
            [job, row, values @ ..] => Ok(MapRow {
                job: whole_number(*job)? as u32,
                row: whole_number(*row)?,
                values: values.to_vec(),
            }),
            _ => Err(MessageError("is too short for a row")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_answered_through_messages_fills_the_map_as_computed_here() {
        let mut map = ImbalanceMap::new(50, 20.0, 4, 6).unwrap();
        let mut from_messages = map.clone();
        for row in [3, 0, 2, 1] {
            let request = MapRowRequest::for_row(7, &map, row);
            let received = MapRowRequest::decode(&request.encode()).unwrap();
            assert_eq!(received, request);
            let (reply, error) = received.answer();
            assert_eq!(error, None);
            let reply = MapRow::decode(&reply.encode()).unwrap();
            assert_eq!((reply.job, reply.row), (7, row));
            from_messages.set_row(reply.row, &reply.values).unwrap();
        }
        map = map.complete().unwrap();
        for row in 0..4 {
            for column in 0..6 {
                let (here, there) = (
                    map.ln_ratio(row, column),
                    from_messages.ln_ratio(row, column),
                );
                assert_eq!(here.map(f64::to_bits), there.map(f64::to_bits));
            }
        }
    }

    #[test]
    fn a_request_the_core_refuses_gets_an_empty_row_and_the_reason() {
        let request = MapRowRequest {
            job: 1,
            classes: 1,
            gamma_max: 20.0,
            ratio_points: 4,
            gamma_points: 6,
            row: 0,
        };
        let (reply, error) = request.answer();
        assert!(reply.values.is_empty());
        assert_eq!(
            error.map(|e| e.to_string()),
            Some("invalid grid: the imbalance map needs at least two classes".to_string())
        );
        let past_the_end = MapRowRequest {
            classes: 10,
            row: 4,
            ..request
        };
        assert!(past_the_end.answer().1.is_some());
    }

    #[test]
    fn broken_messages_are_refused_with_a_reason() {
        assert_eq!(
            MapRowRequest::decode(&[1.0, 2.0]),
            Err(MessageError("has the wrong length for a request"))
        );
        for bad in [f64::NAN, -1.0, 2.5, 1e300] {
            assert_eq!(
                MapRowRequest::decode(&[1.0, bad, 20.0, 4.0, 6.0, 0.0]),
                Err(MessageError("holds a count that is not a whole number"))
            );
        }
        assert_eq!(
            MapRow::decode(&[3.0]),
            Err(MessageError("is too short for a row"))
        );
        assert_eq!(
            MapRow::decode(&[3.0, 1.0]).unwrap().values,
            Vec::<f64>::new()
        );
        assert_eq!(
            MessageError("is too short for a row").to_string(),
            "a worker message is too short for a row"
        );
    }
}

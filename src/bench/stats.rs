//! Repeated windows, and the spread of what they measured.
//!
//! One number from one run hides how much the next run would differ: the
//! scheduler, the other programs on the machine and the CPU's clock all
//! move it. So every measurement runs over several windows of the same
//! length, after one warm-up window that is thrown away, and reports the
//! median of the windows with their smallest and largest value.
//!
//! The clock is `clock_gettime(2)` with `CLOCK_MONOTONIC`, as
//! [`Instant::now`] reads it (through the vDSO: no system call, a few
//! tens of nanoseconds).

use std::time::{Duration, Instant};

/// How long each measurement runs: `count` windows of `length`, after one
/// warm-up window of the same length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// The windows that count.
    pub count: usize,
    /// The length of each window.
    pub length: Duration,
}

/// Two windows of 10 ms: enough for the unit tests to see every path.
#[cfg(test)]
pub(crate) const TEST_PLAN: Plan = Plan {
    count: 2,
    length: Duration::from_millis(10),
};

/// The median of several windows, with the smallest and the largest.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// The middle value (the mean of the two middle ones for an even count).
    pub median: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// Every value, in the order measured.
    pub samples: Vec<f64>,
}

impl Spread {
    /// The spread of `samples`; `None` when there are none or one is not a
    /// number.
    pub fn of(samples: Vec<f64>) -> Option<Spread> {
        if samples.is_empty() || samples.iter().any(|value| value.is_nan()) {
            return None;
        }
        let mut sorted = samples.clone();
        sorted.sort_by(f64::total_cmp);
        Some(Spread {
            median: median_of_sorted(&sorted),
            min: sorted[0],
            max: sorted[sorted.len() - 1],
            samples,
        })
    }

    /// Every value multiplied by `factor` (a change of unit).
    pub fn scaled(&self, factor: f64) -> Spread {
        let scale = |value: f64| value * factor;
        let (low, high) = if factor < 0.0 {
            (self.max, self.min)
        } else {
            (self.min, self.max)
        };
        Spread {
            median: scale(self.median),
            min: scale(low),
            max: scale(high),
            samples: self.samples.iter().copied().map(scale).collect(),
        }
    }
}

/// The median of a sorted, non-empty slice.
pub fn median_of_sorted(sorted: &[f64]) -> f64 {
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    }
}

/// A window that just closed, as [`Windows::lap`] reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed {
    /// How long the window really lasted (at least the planned length).
    pub elapsed: Duration,
    /// The warm-up window: its figures are thrown away.
    pub warmup: bool,
}

/// The clock of a measurement loop: the loop does one operation, calls
/// [`Windows::lap`], and learns when a window closed.
///
/// The loop keeps its own counts and resets them at each closed window, so
/// the windows measure back to back with nothing lost between them.
#[derive(Debug)]
pub struct Windows {
    plan: Plan,
    started: Instant,
    closed: usize,
}

impl Windows {
    /// Starts the warm-up window now.
    pub fn start(plan: Plan) -> Windows {
        Windows {
            plan,
            started: Instant::now(),
            closed: 0,
        }
    }

    /// Reads the clock; when the current window has lasted its length,
    /// closes it, starts the next one and says so.
    pub fn lap(&mut self) -> Option<Closed> {
        let now = Instant::now();
        let elapsed = now - self.started;
        if elapsed < self.plan.length {
            return None;
        }
        self.started = now;
        self.closed += 1;
        Some(Closed {
            elapsed,
            warmup: self.closed == 1,
        })
    }

    /// Whether every window of the plan has closed.
    pub fn done(&self) -> bool {
        self.closed > self.plan.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spread_is_the_median_and_the_extremes() {
        let spread = Spread::of(vec![3.0, 1.0, 2.0, 10.0]).unwrap();
        assert_eq!((spread.median, spread.min, spread.max), (2.5, 1.0, 10.0));
        assert_eq!(spread.samples, [3.0, 1.0, 2.0, 10.0]);
        assert_eq!(Spread::of(vec![5.0, 1.0, 4.0]).unwrap().median, 4.0);
        assert_eq!(Spread::of(vec![]), None);
        assert_eq!(Spread::of(vec![1.0, f64::NAN]), None);
    }

    #[test]
    fn scaling_changes_the_unit() {
        let spread = Spread::of(vec![1.0, 2.0, 4.0]).unwrap().scaled(2.0);
        assert_eq!((spread.median, spread.min, spread.max), (4.0, 2.0, 8.0));
    }

    #[test]
    fn windows_close_one_after_the_other_after_a_warmup() {
        let plan = Plan {
            count: 2,
            length: Duration::from_millis(1),
        };
        let mut windows = Windows::start(plan);
        let mut closed = Vec::new();
        while !windows.done() {
            if let Some(window) = windows.lap() {
                assert!(window.elapsed >= plan.length);
                closed.push(window.warmup);
            }
        }
        assert_eq!(closed, [true, false, false]);
    }
}

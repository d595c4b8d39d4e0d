// ANCHOR: all
//! 练习 18-1：测一组往返时间，报告中位数和范围，而不是一个数。
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::thread;
use std::time::{Duration, Instant};

/// 一组测量的分布：中位数、最小值、最大值。
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

/// 返回 `samples` 的中位数和范围；个数为偶数时，中位数取中间两个的平均；
/// 没有样本时返回 None。
pub fn spread(samples: &[f64]) -> Option<Spread> {
    // ANCHOR: solution
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (first, last) = (sorted.first()?, sorted.last()?);
    let middle = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    };
    Some(Spread {
        median,
        min: *first,
        max: *last,
    })
    // ANCHOR_END: solution
}

/// 在一对 Unix 流套接字上做 `rounds` 次 1 字节的往返（一端写、另一端的线程
/// 读到就写回），返回每一次往返用的时间。
pub fn round_trips(rounds: usize) -> io::Result<Vec<Duration>> {
    // ANCHOR: solution
    let (mut near, mut far) = UnixStream::pair()?;
    sockbook::timeout::bound(&near)?;
    sockbook::timeout::bound(&far)?;
    let echo = thread::spawn(move || -> io::Result<usize> {
        let mut byte = [0u8; 1];
        let mut echoed = 0;
        while far.read(&mut byte)? == 1 {
            far.write_all(&byte)?;
            echoed += 1;
        }
        Ok(echoed)
    });
    let mut times = Vec::with_capacity(rounds);
    let mut byte = [7u8; 1];
    for _ in 0..rounds {
        let start = Instant::now();
        near.write_all(&byte)?;
        near.read_exact(&mut byte)?;
        times.push(start.elapsed());
    }
    drop(near);
    let echoed = echo.join().expect("the echo thread panicked")?;
    assert_eq!(echoed, rounds);
    Ok(times)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::{round_trips, spread, Spread};

    /// 奇数个、偶数个、乱序、一个都没有。
    #[test]
    fn median_and_range() {
        let odd = Spread {
            median: 2.0,
            min: 1.0,
            max: 9.0,
        };
        assert_eq!(spread(&[9.0, 1.0, 2.0]), Some(odd));
        let even = spread(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((even.median, even.min, even.max), (2.5, 1.0, 4.0));
        assert_eq!(spread(&[5.0]).unwrap().median, 5.0);
        assert_eq!(spread(&[]), None);
    }

    /// 200 次往返：200 个时间，都大于零；它们的中位数落在范围之内。
    /// 这里只断言数得对，不断言快慢：快慢因机器而异。
    #[test]
    fn round_trips_are_timed_one_by_one() {
        let times = round_trips(200).unwrap();
        assert_eq!(times.len(), 200);
        assert!(times.iter().all(|t| !t.is_zero()));
        let micros: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1e6).collect();
        let seen = spread(&micros).unwrap();
        assert!(
            seen.min <= seen.median && seen.median <= seen.max,
            "{seen:?}"
        );
        println!("round trip: {seen:?} us");
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all

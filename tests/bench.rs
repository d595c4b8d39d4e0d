//! The benchmark of chapter 18, run by the reader's command in its short
//! mode, so that it cannot rot: every transport and size is measured, the
//! figures are plausible, the charts are drawn, and iperf3 and sockperf are
//! either measured or reported missing (a failure under `CI=true`).

use std::process::Command;

use serde_json::Value;
use sockbook::bench::transports::Transport;
use sockbook::bench::{
    size_label, LATENCY_SIZES, LATENCY_TRANSPORTS, SIZES, THROUGHPUT_TRANSPORTS,
};

/// The median of a spread in the JSON, which must be a positive number.
fn positive_median(spread: &Value, what: &str) -> f64 {
    let median = spread["median"].as_f64().unwrap_or(f64::NAN);
    assert!(median > 0.0, "{what}: {spread}");
    assert!(spread["min"].as_f64() <= Some(median), "{what}: {spread}");
    assert!(spread["max"].as_f64() >= Some(median), "{what}: {spread}");
    median
}

/// The row of `rows` for `transport` and `size`, which must be there.
fn row(rows: &Value, transport: Transport, size: usize) -> (&Value, String) {
    let what = format!("{} {}", transport.name(), size_label(size));
    let found = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["transport"] == transport.name() && row["size"] == size)
        .unwrap_or_else(|| panic!("{what}: not measured"));
    (found, what)
}

#[test]
fn the_quick_benchmark_measures_everything_and_draws_its_charts() {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sockbook"))
        .args(["bench", "--quick", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    for heading in ["Throughput", "Round trip", "copy limit", "ours / anchor"] {
        assert!(stdout.contains(heading), "no {heading:?} in:\n{stdout}");
    }

    let json = std::fs::read_to_string(out.path().join("ch18-results.json")).unwrap();
    let report: Value = serde_json::from_str(&json).unwrap();
    let rows = &report["throughput"];
    for transport in THROUGHPUT_TRANSPORTS {
        for size in SIZES {
            let (row, what) = row(rows, transport, size);
            positive_median(
                &report["memcpy_mib_per_s"][SIZES.iter().position(|s| *s == size).unwrap()]
                    ["mib_per_s"],
                "memcpy",
            );
            match row["error"].as_str() {
                // Only a datagram can be too large, and the kernel says so.
                Some(error) => {
                    assert!(transport.is_datagram(), "{what}: {error}");
                    assert!(error.contains("os error 90"), "{what}: {error}");
                }
                None => {
                    positive_median(&row["mib_per_s"], &what);
                    let loss = &row["loss"];
                    assert_eq!(loss.is_null(), !transport.is_datagram(), "{what}");
                    for share in ["min", "max"]
                        .map(|end| loss[end].as_f64())
                        .into_iter()
                        .flatten()
                    {
                        assert!((0.0..=1.0).contains(&share), "{what}: loss {loss}");
                    }
                }
            }
        }
    }
    // Small datagrams always fit.
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["size"] == 64)
        .all(|row| row["error"].is_null()));

    for transport in LATENCY_TRANSPORTS {
        for size in LATENCY_SIZES {
            let (row, what) = row(&report["latency"], transport, size);
            let micros = positive_median(&row["round_trip_us"], &what);
            assert!(micros < 5e6, "{what}: {micros} us");
        }
    }

    let anchors = report["anchors"].as_array().unwrap();
    for anchor in ["iperf3", "sockperf"] {
        let comparisons: Vec<_> = anchors.iter().filter(|c| c["anchor"] == anchor).collect();
        assert!(!comparisons.is_empty(), "no comparison with {anchor}");
        for comparison in comparisons {
            match comparison["missing"].as_str() {
                Some(why) => sockbook::netns::skip(anchor, &why),
                None => {
                    positive_median(&comparison["theirs"], anchor);
                    assert!(comparison["ratio"].as_f64() > Some(0.0), "{comparison}");
                }
            }
        }
    }

    for chart in ["ch18-throughput.svg", "ch18-latency.svg"] {
        let svg = std::fs::read_to_string(out.path().join(chart)).unwrap();
        assert!(svg.starts_with("<svg"), "{chart}");
        assert!(svg.contains("Unix stream"), "{chart}");
    }
}

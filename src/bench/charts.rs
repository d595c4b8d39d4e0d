//! The charts of chapter 18, drawn as SVG with plotters: throughput against
//! message size, one line per transport with the copy limit, and the
//! round trips as bars.
//!
//! The text in them is English: one image serves both editions of the
//! book.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::size_label;
use super::stats::Spread;

/// One line of the throughput chart: a transport's median MiB/s at each
/// size it could send, with the range of its windows.
#[derive(Debug, Clone)]
pub struct Line {
    /// The transport's name, for the legend.
    pub name: String,
    /// (message size in bytes, MiB/s) for each size measured.
    pub points: Vec<(usize, Spread)>,
}

/// One series of bars of the latency chart: a transport's round trip for
/// each message size, `None` where it was not measured.
#[derive(Debug, Clone)]
pub struct Bars {
    /// The transport's (or the tool's) name, for the legend.
    pub name: String,
    /// Round trips in microseconds, one per size of the chart.
    pub values: Vec<Option<Spread>>,
}

const WIDTH: u32 = 860;
const HEIGHT: u32 = 520;
const FONT: &str = "sans-serif";

/// The same color for a transport on both charts.
fn color(name: &str) -> RGBColor {
    match name {
        "TCP" => RGBColor(31, 119, 180),
        "TCP_NODELAY" => RGBColor(23, 190, 207),
        "Unix stream" => RGBColor(214, 39, 40),
        "UDP" => RGBColor(44, 160, 44),
        "Unix datagram" => RGBColor(255, 127, 14),
        "iperf3" => RGBColor(0, 0, 0),
        "sockperf TCP" => RGBColor(127, 127, 127),
        "sockperf UDP" => RGBColor(188, 189, 34),
        _ => RGBColor(148, 103, 189),
    }
}

/// Turns a plotters error into the benchmark's message.
fn failed(err: impl std::fmt::Display) -> String {
    format!("cannot draw the chart: {err}")
}

/// Draws into an SVG string of [`WIDTH`] by [`HEIGHT`] pixels.
fn svg(
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>,
) -> Result<String, String> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        draw(&root)?;
        root.present().map_err(failed)?;
    }
    Ok(text)
}

/// Throughput against message size, both on log scales: one line per
/// transport with its range as a vertical bar at each size, a dashed line
/// for the copy limit at each size, a dotted one for half of `memcpy`
/// through main memory, and iperf3's figure as a cross.
pub fn throughput(
    lines: &[Line],
    copy_limit: &[(usize, f64)],
    memory_limit: f64,
    iperf3: Option<(usize, f64)>,
) -> Result<String, String> {
    let sizes = lines
        .iter()
        .flat_map(|line| line.points.iter().map(|p| p.0));
    let (smallest, largest) = sizes.fold((usize::MAX, 1), |(low, high), size| {
        (low.min(size), high.max(size))
    });
    let values = lines
        .iter()
        .flat_map(|line| line.points.iter().flat_map(|(_, s)| [s.min, s.max]))
        .chain(copy_limit.iter().map(|point| point.1))
        .chain([memory_limit]);
    let (low, high) = values.fold((f64::MAX, 1.0_f64), |(low, high), value| {
        (low.min(value), high.max(value))
    });
    let x = |size: usize| (size as f64).log2();
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption("Throughput on loopback against message size", (FONT, 22))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(
                x(smallest) - 0.3..x(largest) + 0.3,
                (low.max(0.1) / 1.5..high * 1.5).log_scale(),
            )
            .map_err(failed)?;
        chart
            .configure_mesh()
            .x_desc("message size (bytes per write or datagram)")
            .y_desc("MiB/s (log scale)")
            .x_label_formatter(&|exponent| match exponent.fract() == 0.0 {
                true => size_label(2_f64.powf(*exponent) as usize),
                false => String::new(),
            })
            .y_label_formatter(&|value| format!("{value:.0}"))
            .draw()
            .map_err(failed)?;
        for line in lines {
            let color = color(&line.name);
            let points = line.points.iter().map(|(size, s)| (x(*size), s.median));
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(failed)?
                .label(line.name.clone())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2))
                });
            let ranges = line.points.iter().map(|(size, s)| {
                PathElement::new(
                    [(x(*size), s.min), (x(*size), s.max)],
                    color.stroke_width(1),
                )
            });
            chart.draw_series(ranges).map_err(failed)?;
            let dots = line
                .points
                .iter()
                .map(|(size, s)| Circle::new((x(*size), s.median), 3, color.filled()));
            chart.draw_series(dots).map_err(failed)?;
        }
        let black = BLACK.stroke_width(2);
        let limit = copy_limit.iter().map(|(size, rate)| (x(*size), *rate));
        chart
            .draw_series(DashedLineSeries::new(limit, 8, 5, black))
            .map_err(failed)?
            .label("copy limit: memcpy of the same size / 2")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], black));
        let grey = RGBColor(110, 110, 110).stroke_width(2);
        let span = [
            (x(smallest) - 0.3, memory_limit),
            (x(largest) + 0.3, memory_limit),
        ];
        chart
            .draw_series(DashedLineSeries::new(span, 2, 4, grey))
            .map_err(failed)?
            .label("memcpy of 64 MiB buffers / 2")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], grey));
        if let Some((size, rate)) = iperf3 {
            let color = color("iperf3");
            let mark = Cross::new((x(size), rate), 7, color.stroke_width(2));
            chart
                .draw_series(std::iter::once(mark))
                .map_err(failed)?
                .label(format!("iperf3 TCP, {} writes", size_label(size)))
                .legend(move |(x, y)| Cross::new((x + 10, y), 5, color.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FONT, 14))
            .draw()
            .map_err(failed)
    })
}

/// Round trips as grouped bars: one group per message size, one bar per
/// series, a thin line over each bar for its range.
pub fn latency(sizes: &[usize], bars: &[Bars]) -> Result<String, String> {
    // The scale follows the medians: one window stretched by the scheduler
    // must not flatten every bar (its range line is cut at the top).
    let highest = bars
        .iter()
        .flat_map(|series| series.values.iter().flatten().map(|s| s.median))
        .fold(1.0_f64, f64::max)
        * 2.0;
    let width = 0.8 / bars.len().max(1) as f64;
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption("Round trip of one message on loopback", (FONT, 22))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5..sizes.len() as f64 - 0.5, 0.0..highest)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(sizes.len())
            .x_desc("message size")
            .y_desc("round trip (microseconds, median)")
            .y_label_formatter(&|value| format!("{value:.0}"))
            .x_label_formatter(&|position| {
                let group = position.round();
                match (position - group).abs() < 1e-9 && group >= 0.0 {
                    true => sizes
                        .get(group as usize)
                        .map(|s| size_label(*s))
                        .unwrap_or_default(),
                    false => String::new(),
                }
            })
            .draw()
            .map_err(failed)?;
        for (index, series) in bars.iter().enumerate() {
            let color = color(&series.name);
            let left = |group: usize| group as f64 - 0.4 + index as f64 * width;
            let measured = || {
                series
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(g, v)| Some((g, v.as_ref()?)))
            };
            let rects = measured().map(|(group, s)| {
                Rectangle::new(
                    [(left(group), 0.0), (left(group) + width * 0.9, s.median)],
                    color.filled(),
                )
            });
            chart
                .draw_series(rects)
                .map_err(failed)?
                .label(series.name.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 14, y + 5)], color.filled())
                });
            let ranges = measured().map(|(group, s)| {
                let middle = left(group) + width * 0.45;
                let top = s.max.min(highest);
                PathElement::new([(middle, s.min), (middle, top)], BLACK.stroke_width(1))
            });
            chart.draw_series(ranges).map_err(failed)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FONT, 14))
            .draw()
            .map_err(failed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(values: &[f64]) -> Spread {
        Spread::of(values.to_vec()).unwrap()
    }

    #[test]
    fn the_throughput_chart_is_an_svg_with_every_line_named() {
        let lines = [
            Line {
                name: "TCP".into(),
                points: vec![(64, spread(&[10.0, 12.0])), (1 << 20, spread(&[900.0]))],
            },
            Line {
                name: "UDP".into(),
                points: vec![(64, spread(&[20.0]))],
            },
        ];
        let limit = [(64, 3000.0), (1 << 20, 5000.0)];
        let svg = throughput(&lines, &limit, 4000.0, Some((128 << 10, 950.0))).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        for text in ["TCP", "UDP", "copy limit", "iperf3", "64 B", "1 MiB"] {
            assert!(svg.contains(text), "no {text} in the chart");
        }
    }

    #[test]
    fn the_latency_chart_has_a_group_per_size() {
        let bars = [Bars {
            name: "Unix stream".into(),
            values: vec![Some(spread(&[5.0, 6.0])), None],
        }];
        let svg = latency(&[1, 1024], &bars).unwrap();
        for text in ["Unix stream", "1 B", "1 KiB"] {
            assert!(svg.contains(text), "no {text} in the chart");
        }
    }
}

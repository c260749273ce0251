//! The other dashboard charts: bars (histograms, counts, breakdowns), the PCA map, calibration and channel
//! response curves. Generic over the plotters backend like the rest.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::export::charts::style::{e, frame, money_tick, pct_tick, rgb, Key, Mark, R};
use crate::{palette, styled_mesh};

/// Bars of a histogram or of category counts (labels under the bars).
pub fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    labels: &[String],
    values: &[f64],
    y_desc: &str,
) -> R<()> {
    let area = frame(root, title, &[])?;
    let n = values.len().max(1);
    let hi = values.iter().copied().fold(0.0, f64::max).max(1e-9) * 1.1;
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .margin_top(8)
        .margin_right(36)
        .x_label_area_size(60)
        .y_label_area_size(80)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..hi)
        .map_err(e)?;
    let counts = values.iter().all(|v| v.fract() == 0.0);
    let share = y_desc.contains("rate") || y_desc.contains("share");
    styled_mesh!(chart)
        .disable_x_mesh()
        .y_desc(y_desc)
        // counts take whole-number ticks only (no "0, 1, 1, 2" from rounding 0.5 steps)
        .y_labels(if counts {
            (hi.floor() as usize + 1).clamp(2, 10)
        } else {
            10
        })
        .y_label_formatter(&|v| {
            if share {
                pct_tick(*v)
            } else if counts {
                if v.fract().abs() < 1e-9 {
                    crate::fmt::thousands(*v)
                } else {
                    String::new()
                }
            } else {
                crate::fmt::num(*v)
            }
        })
        .x_labels(n.min(12))
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((crate::export::charts::style::FONT, 14))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(values.iter().enumerate().map(|(i, v)| {
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0.0),
                    (SegmentValue::Exact(i + 1), *v),
                ],
                rgb(palette::MAIN).filled(),
            );
            bar.set_margin(0, 0, 4, 4);
            bar
        }))
        .map_err(e)?;
    root.present().map_err(e)
}

/// The PCA map: customers coloured by cluster (at most `max_points`, evenly strided).
pub fn draw_scatter<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    coords: &ndarray::Array2<f64>,
    labels: &[usize],
    names: &[String],
    explained: [f64; 2],
) -> R<()> {
    let keys: Vec<Key> = names
        .iter()
        .enumerate()
        .map(|(c, name)| Key::new(name.clone(), rgb(palette::series(c)), Mark::Dot))
        .collect();
    let area = frame(
        root,
        &format!(
            "The {} segments on the two main axes ({:.0} % of the spread)",
            names.len(),
            (explained[0] + explained[1]) * 100.0
        ),
        &keys,
    )?;
    let n = coords.nrows();
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for r in coords.rows() {
        x0 = x0.min(r[0]);
        x1 = x1.max(r[0]);
        y0 = y0.min(r[1]);
        y1 = y1.max(r[1]);
    }
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .margin_top(8)
        .margin_right(36)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x1.max(x0 + 1e-9), y0..y1.max(y0 + 1e-9))
        .map_err(e)?;
    styled_mesh!(chart)
        .x_desc(format!(
            "axis 1 ({:.0} % of variance)",
            explained[0] * 100.0
        ))
        .y_desc(format!(
            "axis 2 ({:.0} % of variance)",
            explained[1] * 100.0
        ))
        .draw()
        .map_err(e)?;
    let stride = n.div_ceil(5000).max(1);
    for c in 0..names.len() {
        let color = rgb(palette::series(c)).mix(0.8);
        chart
            .draw_series(
                (0..n)
                    .step_by(stride)
                    .filter(|&i| labels[i] == c)
                    .map(|i| Circle::new((coords[[i, 0]], coords[[i, 1]]), 2, color.filled())),
            )
            .map_err(e)?;
    }
    root.present().map_err(e)
}

/// Calibration: observed rate against mean predicted probability per bin (scikit-learn's
/// `calibration_curve`, 10 uniform bins), after the model's correction, with the uncorrected curve in grey
/// when there was one.
pub fn draw_calibration<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &crate::analysis::models::evaluate::ModelReport,
) -> R<()> {
    let corrected = m.calibrator.name() != "none";
    let before: Vec<(f64, f64)> = if corrected {
        m.curve_uncalibrated
            .iter()
            .map(|p| (p.mean_predicted, p.observed))
            .collect()
    } else {
        Vec::new()
    };
    let after: Vec<(f64, f64)> = m
        .curve
        .iter()
        .map(|p| (p.mean_predicted, p.observed))
        .collect();
    let top = after
        .iter()
        .chain(&before)
        .map(|p| p.0.max(p.1))
        .fold(0.05, f64::max)
        .min(1.0);
    let title = if corrected {
        format!(
            "After {} calibration, scores match observed rates (Brier {:.4} → {:.4})",
            m.calibrator.name(),
            m.brier_uncalibrated,
            m.brier
        )
    } else {
        crate::fmt::sentence(&format!(
            "{}'s scores match observed rates without correction (Brier {:.4})",
            m.kind.label(),
            m.brier
        ))
    };
    let (main, before_c, diag) = (
        rgb(palette::MAIN),
        rgb(palette::SERIES[1]),
        rgb(palette::REFERENCE),
    );
    let mut keys = vec![Key::new(m.kind.label(), main, Mark::Line)];
    if corrected {
        keys.push(Key::new("before calibration", before_c, Mark::Line));
    }
    keys.push(Key::new("perfect calibration", diag, Mark::Line));
    let area = frame(root, &title, &keys)?;
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .margin_top(8)
        .margin_right(36)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..top, 0.0..top)
        .map_err(e)?;
    styled_mesh!(chart)
        .x_desc("mean predicted probability")
        .y_desc("observed rate")
        .x_label_formatter(&|v| pct_tick(*v))
        .y_label_formatter(&|v| pct_tick(*v))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.0), (top, top)],
            diag.stroke_width(2),
        ))
        .map_err(e)?;
    if !before.is_empty() {
        chart
            .draw_series(LineSeries::new(before, before_c.stroke_width(2)))
            .map_err(e)?;
    }
    chart
        .draw_series(LineSeries::new(after.clone(), main.stroke_width(3)))
        .map_err(e)?;
    chart
        .draw_series(after.iter().map(|p| Circle::new(*p, 5, main.filled())))
        .map_err(e)?;
    root.present().map_err(e)
}

/// Channel response curves: conversions = a · ln(1 + spend / b), with today's spend marked.
pub fn draw_channel_curves<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    names: &[String],
    curves: &[Option<crate::analysis::money::channels::Curve>],
    current: &[f64],
) -> R<()> {
    let keys: Vec<Key> = names
        .iter()
        .zip(curves)
        .enumerate()
        .filter(|(_, (_, c))| c.is_some())
        .map(|(i, (n, _))| Key::new(n.clone(), rgb(palette::series(i)), Mark::Line))
        .collect();
    let best = names
        .iter()
        .zip(curves)
        .zip(current)
        .filter_map(|((n, c), s)| c.as_ref().map(|c| (n, c.marginal(*s))))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let title = match best {
        Some((n, m)) => format!(
            "{n} returns the most per extra dollar ({:.2} conversions per $100)",
            m * 100.0
        ),
        None => "No channel has a fitted response curve".into(),
    };
    let area = frame(root, &title, &keys)?;
    let max_s = current.iter().copied().fold(0.0, f64::max) * 2.0;
    let max_y = curves
        .iter()
        .flatten()
        .map(|c| c.predict(max_s))
        .fold(1.0, f64::max)
        * 1.05;
    let span = max_s.max(1.0);
    // the last tick label is centred on the right edge: leave half its width
    let last = crate::export::charts::style::label_width(root, [money_tick(span, span, "$")], 16);
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .margin_top(8)
        .margin_right(36.max(last / 2 + 8))
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..span, 0.0..max_y)
        .map_err(e)?;
    styled_mesh!(chart)
        .x_desc("channel spend (dot: today's)")
        .y_desc("conversions")
        .x_label_formatter(&|v| money_tick(*v, span, "$"))
        .y_label_formatter(&|v| crate::fmt::thousands(*v))
        .draw()
        .map_err(e)?;
    for (i, curve) in curves.iter().enumerate() {
        let Some(c) = curve else { continue };
        let color = rgb(palette::series(i));
        let pts: Vec<(f64, f64)> = (0..=100)
            .map(|j| {
                let s = max_s * j as f64 / 100.0;
                (s, c.predict(s))
            })
            .collect();
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(3)))
            .map_err(e)?;
        let cur = current.get(i).copied().unwrap_or(0.0);
        chart
            .draw_series(std::iter::once(Circle::new(
                (cur, c.predict(cur)),
                6,
                color.filled(),
            )))
            .map_err(e)?;
    }
    root.present().map_err(e)
}

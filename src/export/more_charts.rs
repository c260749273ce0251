//! The other dashboard charts: bars (histograms, counts, breakdowns), the PCA map, calibration and channel
//! response curves. Generic over the plotters backend like the rest.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::charts::{e, FONT, R};

/// Bars of a histogram or of category counts (labels under the bars).
pub fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    labels: &[String],
    values: &[f64],
    y_desc: &str,
) -> R<()> {
    root.fill(&WHITE).map_err(e)?;
    let n = values.len().max(1);
    let hi = values.iter().copied().fold(0.0, f64::max).max(1e-9) * 1.1;
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 26))
        .margin(20)
        .x_label_area_size(60)
        .y_label_area_size(80)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..hi)
        .map_err(e)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .disable_x_mesh()
        .y_desc(y_desc)
        .x_labels(n.min(12))
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((FONT, 14))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(values.iter().enumerate().map(|(i, v)| {
            Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0.0),
                    (SegmentValue::Exact(i + 1), *v),
                ],
                BLUE.mix(0.7).filled(),
            )
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
    root.fill(&WHITE).map_err(e)?;
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
    let mut chart = ChartBuilder::on(root)
        .caption("Customers on the first two principal axes", (FONT, 26))
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x1.max(x0 + 1e-9), y0..y1.max(y0 + 1e-9))
        .map_err(e)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .x_desc(format!(
            "axis 1 ({:.0} % of variance)",
            explained[0] * 100.0
        ))
        .y_desc(format!(
            "axis 2 ({:.0} % of variance)",
            explained[1] * 100.0
        ))
        .label_style((FONT, 16))
        .draw()
        .map_err(e)?;
    let stride = n.div_ceil(5000).max(1);
    for (c, name) in names.iter().enumerate() {
        let color = Palette99::pick(c).to_rgba();
        chart
            .draw_series(
                (0..n)
                    .step_by(stride)
                    .filter(|&i| labels[i] == c)
                    .map(|i| Circle::new((coords[[i, 0]], coords[[i, 1]]), 2, color.filled())),
            )
            .map_err(e)?
            .label(name.clone())
            .legend(move |(x, y)| Circle::new((x + 10, y), 5, color.filled()));
    }
    chart
        .configure_series_labels()
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(e)?;
    root.present().map_err(e)
}

/// Calibration: observed rate against mean predicted probability per bin (scikit-learn's
/// `calibration_curve`, 10 uniform bins), after the model's correction, with the uncorrected curve in grey
/// when there was one.
pub fn draw_calibration<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &crate::analysis::evaluate::ModelReport,
) -> R<()> {
    root.fill(&WHITE).map_err(e)?;
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
    let caption = if corrected {
        format!(
            "{} calibrated ({}): Brier {:.4} → {:.4}",
            m.kind.label(),
            m.calibrator.name(),
            m.brier_uncalibrated,
            m.brier
        )
    } else {
        format!(
            "{}: Brier {:.4}, no correction needed",
            m.kind.label(),
            m.brier
        )
    };
    let mut chart = ChartBuilder::on(root)
        .caption(caption, (FONT, 24))
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..top, 0.0..top)
        .map_err(e)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .x_desc("mean predicted probability")
        .y_desc("observed rate")
        .label_style((FONT, 16))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.0), (top, top)],
            BLACK.mix(0.4),
        ))
        .map_err(e)?;
    if !before.is_empty() {
        chart
            .draw_series(LineSeries::new(before, BLACK.mix(0.35).stroke_width(2)))
            .map_err(e)?;
    }
    chart
        .draw_series(LineSeries::new(after.clone(), MAGENTA.stroke_width(3)))
        .map_err(e)?;
    chart
        .draw_series(after.iter().map(|p| Circle::new(*p, 5, MAGENTA.filled())))
        .map_err(e)?;
    root.present().map_err(e)
}

/// Channel response curves: conversions = a · ln(1 + spend / b), with today's spend marked.
pub fn draw_channel_curves<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    names: &[String],
    curves: &[Option<crate::analysis::channels::Curve>],
    current: &[f64],
) -> R<()> {
    root.fill(&WHITE).map_err(e)?;
    let max_s = current.iter().copied().fold(0.0, f64::max) * 2.0;
    let max_y = curves
        .iter()
        .flatten()
        .map(|c| c.predict(max_s))
        .fold(1.0, f64::max)
        * 1.05;
    let mut chart = ChartBuilder::on(root)
        .caption("Conversions by channel budget (fitted curves)", (FONT, 26))
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..max_s.max(1.0), 0.0..max_y)
        .map_err(e)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .x_desc("channel spend")
        .y_desc("conversions")
        .x_label_formatter(&|v| crate::fmt::money(*v, "$"))
        .label_style((FONT, 15))
        .draw()
        .map_err(e)?;
    for (i, (name, curve)) in names.iter().zip(curves).enumerate() {
        let Some(c) = curve else { continue };
        let color = Palette99::pick(i).to_rgba();
        let pts: Vec<(f64, f64)> = (0..=100)
            .map(|j| {
                let s = max_s * j as f64 / 100.0;
                (s, c.predict(s))
            })
            .collect();
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(3)))
            .map_err(e)?
            .label(name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
        let cur = current.get(i).copied().unwrap_or(0.0);
        chart
            .draw_series(std::iter::once(Circle::new(
                (cur, c.predict(cur)),
                6,
                color.filled(),
            )))
            .map_err(e)?;
    }
    chart
        .configure_series_labels()
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(e)?;
    root.present().map_err(e)
}

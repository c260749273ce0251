//! Lifetime-value exports: the P(alive) heat map by repeat purchases × weeks since the last purchase,
//! and the customer lists as CSV. The CLV distribution uses the shared bar chart.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::export::charts::style::{e, frame, Key, Mark, FONT, R};
use crate::pipeline::lifetime::value_view::{Cell, ValueRow, FREQUENCY_BANDS, RECENCY_BANDS};
use crate::styled_mesh;

/// The heat map's finding: the shares of customers in cells whose mean P(alive) is 90 % or more, and
/// under 50 %.
fn alive_title(matrix: &[Vec<Cell>]) -> String {
    let (mut all, mut active, mut gone) = (0usize, 0usize, 0usize);
    for (p, n) in matrix.iter().flatten().flatten() {
        all += n;
        if *p >= 0.9 {
            active += n;
        }
        if *p < 0.5 {
            gone += n;
        }
    }
    if all == 0 {
        return "Who is still active".into();
    }
    let share = |k: usize| crate::fmt::pct(k as f64 / all as f64);
    format!(
        "{} of customers sit where the mean P(alive) is 90 % or more, {} where it is under 50 %",
        share(active),
        share(gone)
    )
}

/// Mean P(alive) per cell, red (likely gone) to blue (likely active), with the value and customers printed.
pub fn draw_alive_matrix<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    matrix: &[Vec<Cell>],
) -> R<()> {
    let (rows, cols) = (FREQUENCY_BANDS.len(), RECENCY_BANDS.len());
    let area = frame(
        root,
        &alive_title(matrix),
        &[
            Key::new("likely active", RGBColor(0, 90, 181), Mark::Bar),
            Key::new("likely gone", RGBColor(220, 50, 32), Mark::Bar),
        ],
    )?;
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .margin_top(8)
        .margin_right(36)
        .x_label_area_size(60)
        .y_label_area_size(90)
        .build_cartesian_2d(
            (0..cols - 1).into_segmented(),
            (0..rows - 1).into_segmented(),
        )
        .map_err(e)?;
    styled_mesh!(chart)
        .disable_mesh()
        .x_desc("weeks since the last purchase")
        .y_desc("repeat purchases")
        .x_labels(cols)
        .y_labels(rows)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => RECENCY_BANDS
                .get(*i)
                .map(|b| b.0.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => FREQUENCY_BANDS
                .get(*i)
                .map(|b| b.0.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((FONT, 15))
        .draw()
        .map_err(e)?;
    let colour = |p: f64| {
        // blue (0, 90, 181) for alive, red (220, 50, 32) for gone: a colour-blind-safe pair
        let t = p.clamp(0.0, 1.0);
        let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
        RGBColor(mix(220.0, 0.0), mix(50.0, 90.0), mix(32.0, 181.0))
    };
    // every cell first, then the labels centred on them, so no cell covers its neighbour's text
    let cells = || {
        matrix.iter().enumerate().flat_map(|(i, row)| {
            row.iter()
                .enumerate()
                .filter_map(move |(j, c)| c.map(|(p, n)| (i, j, p, n)))
        })
    };
    chart
        .draw_series(cells().map(|(i, j, p, _)| {
            Rectangle::new(
                [
                    (SegmentValue::Exact(j), SegmentValue::Exact(i)),
                    (SegmentValue::Exact(j + 1), SegmentValue::Exact(i + 1)),
                ],
                colour(p).mix(0.85).filled(),
            )
        }))
        .map_err(e)?;
    let style = (FONT, 15)
        .into_font()
        .color(&WHITE)
        .pos(Pos::new(HPos::Center, VPos::Center));
    chart
        .draw_series(cells().map(|(i, j, p, n)| {
            Text::new(
                format!("{:.0} % · {n}", p * 100.0),
                (SegmentValue::CenterOf(j), SegmentValue::CenterOf(i)),
                style.clone(),
            )
        }))
        .map_err(e)?;
    root.present().map_err(e)
}

/// A customer list as CSV: id, orders, spend, days since the last purchase, P(alive), CLV.
pub fn rows_csv(rows: &[ValueRow], clv_column: &str) -> String {
    let mut out = format!("id,orders,monetary,recency_days,p_alive,{clv_column}\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{:.2},{},{:.4},{:.2}\n",
            crate::export::csv_cell(&r.id),
            r.orders,
            r.monetary,
            r.recency_days,
            r.p_alive,
            r.clv
        ));
    }
    out
}

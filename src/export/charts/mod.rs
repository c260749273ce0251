//! Charts for slides and the report, drawn with plotters. Each drawing function is generic over the backend,
//! so the PNG and the SVG come from the same code. PNG text uses DejaVu Sans bundled at compile time (no
//! system fonts needed).

pub mod findings;
pub mod more;
pub mod style;
pub mod value;

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::analysis::models::metrics::Decile;
use crate::analysis::money::roi::Outcome;
use crate::analysis::personas::persona::Persona;
use crate::analysis::segments::segment::Sweep;
use crate::export::charts::style::{frame, money_tick, pct_tick, rgb, Key, Mark, LABEL};
use crate::{palette, styled_mesh};

/// Chart size in pixels.
pub const SIZE: (u32, u32) = (1000, 600);
/// The deck's charts: shown about as wide as the report's, so their 16 px text reads larger.
pub const SLIDE_SIZE: (u32, u32) = (800, 520);

pub(crate) use crate::export::charts::style::{e, R};
pub use crate::export::charts::style::{label_width, register_fonts, FONT};

/// Elbow: inertia by k, the chosen k marked.
pub fn draw_elbow<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sweep: &Sweep,
    chosen: usize,
) -> R<()> {
    let pts: Vec<(f64, f64)> = sweep
        .points
        .iter()
        .map(|p| (p.k as f64, p.inertia))
        .collect();
    let (main, mark) = (rgb(palette::MAIN), rgb(palette::MARK));
    let area = frame(
        root,
        &findings::elbow(sweep, chosen),
        &[
            Key::new("inertia (sum of squared distances)", main, Mark::Line),
            Key::new(format!("chosen k = {chosen}"), mark, Mark::Line),
        ],
    )?;
    let (k0, k1) = (pts[0].0, pts[pts.len() - 1].0);
    let hi = pts.iter().map(|p| p.1).fold(0.0, f64::max);
    let ticks = pts.iter().map(|p| crate::fmt::thousands(p.1));
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .margin_top(8)
        .margin_right(36)
        .x_label_area_size(50)
        .y_label_area_size(label_width(root, ticks, LABEL).max(60) + 20)
        .build_cartesian_2d((k0 - 0.3)..(k1 + 0.3), 0.0..hi * 1.05)
        .map_err(e)?;
    styled_mesh!(chart)
        .x_desc("number of segments (k)")
        .x_labels(pts.len())
        .x_label_formatter(&|v| {
            if (v - v.round()).abs() < 1e-6 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        })
        .y_desc("inertia")
        .y_label_formatter(&|v| crate::fmt::thousands(*v))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(pts.clone(), main.stroke_width(3)))
        .map_err(e)?;
    chart
        .draw_series(pts.iter().map(|p| Circle::new(*p, 5, main.filled())))
        .map_err(e)?;
    let c = chosen as f64;
    chart
        .draw_series(LineSeries::new(
            vec![(c, 0.0), (c, hi * 1.05)],
            mark.stroke_width(2),
        ))
        .map_err(e)?;
    root.present().map_err(e)
}

/// Persona sizes (bars, each in its persona's colour) with each persona's rate in the label.
pub fn draw_personas<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    personas: &[Persona],
    noun: &str,
) -> R<()> {
    let area = frame(root, &findings::personas(personas, noun), &[])?;
    let n = personas.len();
    let hi = personas.iter().map(|p| p.share).fold(0.0, f64::max) * 1.15;
    // measured, so no name is clipped: the label area grows to 60 % of the width, and a longer name
    // is shortened with "…" to fit it
    let width = root.dim_in_pixel().0;
    let cap = width * 3 / 5;
    let label = |p: &Persona| {
        let full = match p.target_rate {
            Some(r) => format!("{} ({:.0} % {noun})", p.name, r * 100.0),
            None => p.name.clone(),
        };
        crate::export::charts::style::fit_text(root, &full, 15, cap - 16)
    };
    // measured here: while the mesh is drawn the backend is borrowed and cannot measure
    let labels: Vec<String> = personas.iter().map(label).collect();
    let names = label_width(root, labels.iter().cloned(), 15).min(cap);
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .margin_top(8)
        .margin_right(36)
        .x_label_area_size(50)
        .y_label_area_size(names)
        .build_cartesian_2d(0.0..hi.max(0.01), (0..n.saturating_sub(1)).into_segmented())
        .map_err(e)?;
    styled_mesh!(chart)
        .disable_y_mesh()
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc("share of customers")
        .x_label_formatter(&|v| pct_tick(*v))
        .label_style((FONT, 15))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(personas.iter().enumerate().map(|(i, p)| {
            let mut bar = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(i)),
                    (p.share, SegmentValue::Exact(i + 1)),
                ],
                rgb(palette::series(p.id)).filled(),
            );
            bar.set_margin(10, 10, 0, 0);
            bar
        }))
        .map_err(e)?;
    root.present().map_err(e)
}

/// ROC curve with the chance diagonal.
pub fn draw_roc<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: &[(f64, f64)],
    auc: f64,
) -> R<()> {
    let (main, chance) = (rgb(palette::MAIN), rgb(palette::REFERENCE));
    let area = frame(
        root,
        &findings::roc(auc),
        &[
            Key::new("the model", main, Mark::Line),
            Key::new("chance", chance, Mark::Line),
        ],
    )?;
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .margin_top(8)
        .margin_right(36)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(e)?;
    styled_mesh!(chart)
        .x_desc("false positive rate (share of the others flagged)")
        .y_desc("true positive rate (share found)")
        .x_label_formatter(&|v| pct_tick(*v))
        .y_label_formatter(&|v| pct_tick(*v))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.0), (1.0, 1.0)],
            chance.stroke_width(2),
        ))
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(points.to_vec(), main.stroke_width(3)))
        .map_err(e)?;
    root.present().map_err(e)
}

/// Cumulative gains by decile.
pub fn draw_gains<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    deciles: &[Decile],
    noun: &str,
) -> R<()> {
    let (main, chance) = (rgb(palette::MAIN), rgb(palette::REFERENCE));
    let area = frame(
        root,
        &findings::gains(deciles, noun),
        &[
            Key::new("best scores first", main, Mark::Line),
            Key::new("random order", chance, Mark::Line),
        ],
    )?;
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .margin_top(8)
        .margin_right(36)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(e)?;
    styled_mesh!(chart)
        .x_desc("share of customers contacted, best scores first")
        .y_desc(format!("share of the {noun} found"))
        .x_label_formatter(&|v| pct_tick(*v))
        .y_label_formatter(&|v| pct_tick(*v))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.0), (1.0, 1.0)],
            chance.stroke_width(2),
        ))
        .map_err(e)?;
    let mut pts = vec![(0.0, 0.0)];
    pts.extend(deciles.iter().map(|d| (d.depth, d.captured)));
    chart
        .draw_series(LineSeries::new(pts.clone(), main.stroke_width(3)))
        .map_err(e)?;
    chart
        .draw_series(pts.iter().map(|p| Circle::new(*p, 4, main.filled())))
        .map_err(e)?;
    root.present().map_err(e)
}

/// Profit by targeting depth, with the best depth marked.
pub fn draw_profit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    curve: &[(f64, f64)],
    best: &Outcome,
    symbol: &str,
) -> R<()> {
    let (main, mark, zero) = (
        rgb(palette::MAIN),
        rgb(palette::MARK),
        rgb(palette::REFERENCE),
    );
    let area = frame(
        root,
        &findings::profit(best, symbol),
        &[
            Key::new("expected profit", main, Mark::Line),
            Key::new(
                format!("best depth: {:.0} %", best.depth * 100.0),
                mark,
                Mark::Line,
            ),
        ],
    )?;
    let lo = curve.iter().map(|p| p.1).fold(0.0, f64::min);
    let hi = curve.iter().map(|p| p.1).fold(0.0, f64::max).max(lo + 1.0);
    let pad = (hi - lo) * 0.05;
    let span = hi - lo;
    let ticks = [lo, hi, (lo + hi) / 2.0].map(|v| money_tick(v, span, symbol));
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .margin_top(8)
        .margin_right(36)
        .x_label_area_size(50)
        .y_label_area_size(label_width(root, ticks, LABEL).max(60) + 20)
        .build_cartesian_2d(0.0..1.0, (lo - pad)..(hi + pad))
        .map_err(e)?;
    styled_mesh!(chart)
        .x_desc("share of customers contacted, best scores first")
        .y_desc("expected profit")
        .x_label_formatter(&|v| pct_tick(*v))
        .y_label_formatter(&|v| money_tick(*v, span, symbol))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.0), (1.0, 0.0)],
            zero.stroke_width(2),
        ))
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(curve.to_vec(), main.stroke_width(3)))
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            vec![(best.depth, lo - pad), (best.depth, hi + pad)],
            mark.stroke_width(2),
        ))
        .map_err(e)?;
    root.present().map_err(e)
}

/// Draw one chart to `dir/name.png` and `dir/name.svg` (temporary names, then renamed).
pub fn save_chart(
    dir: &Path,
    name: &str,
    draw_png: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> R<()>,
    draw_svg: impl Fn(&DrawingArea<SVGBackend, Shift>) -> R<()>,
) -> R<Vec<PathBuf>> {
    save_chart_sized(dir, name, SIZE, draw_png, draw_svg)
}

/// [`save_chart`] at another size (the deck's charts are smaller, so their text is larger on a slide).
pub fn save_chart_sized(
    dir: &Path,
    name: &str,
    size: (u32, u32),
    draw_png: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> R<()>,
    draw_svg: impl Fn(&DrawingArea<SVGBackend, Shift>) -> R<()>,
) -> R<Vec<PathBuf>> {
    register_fonts();
    std::fs::create_dir_all(dir).map_err(|x| format!("{}: {x}", dir.display()))?;
    let png = dir.join(format!("{name}.png"));
    let svg = dir.join(format!("{name}.svg"));
    let tmp_png = dir.join(format!(".{name}.tmp.png"));
    let tmp_svg = dir.join(format!(".{name}.tmp.svg"));
    {
        let root = BitMapBackend::new(&tmp_png, size).into_drawing_area();
        draw_png(&root)?;
    }
    {
        let root = SVGBackend::new(&tmp_svg, size).into_drawing_area();
        draw_svg(&root)?;
    }
    std::fs::rename(&tmp_png, &png).map_err(|x| format!("{}: {x}", png.display()))?;
    std::fs::rename(&tmp_svg, &svg).map_err(|x| format!("{}: {x}", svg.display()))?;
    Ok(vec![png, svg])
}

/// Save the same drawing (a closure generic over the backend, written twice) as PNG and SVG.
#[macro_export]
macro_rules! save_both {
    ($dir:expr, $name:expr, |$root:ident| $body:expr) => {
        $crate::export::charts::save_chart($dir, $name, |$root| $body, |$root| $body)
    };
    ($dir:expr, $name:expr, $size:expr; |$root:ident| $body:expr) => {
        $crate::export::charts::save_chart_sized($dir, $name, $size, |$root| $body, |$root| $body)
    };
}

pub use crate::export::charts::more::{
    draw_bars, draw_calibration, draw_channel_curves, draw_scatter,
};

//! Charts for slides and the report, drawn with plotters. Each drawing function is generic over the backend,
//! so the PNG and the SVG come from the same code. PNG text uses DejaVu Sans bundled at compile time (no
//! system fonts needed).

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::analysis::metrics::Decile;
use crate::analysis::persona::Persona;
use crate::analysis::segment::Sweep;

/// Chart size in pixels.
pub const SIZE: (u32, u32) = (1000, 600);
pub(crate) const FONT: &str = "sans-serif";

static FONTS: Once = Once::new();

/// Register the bundled font for the bitmap backend (once).
pub fn register_fonts() {
    FONTS.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

pub(crate) type R<T> = Result<T, String>;

pub(crate) fn e<E: std::fmt::Debug>(err: E) -> String {
    format!("{err:?}")
}

/// The width an axis needs for these labels in the bundled font at `size` px, measured, plus padding.
pub fn label_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: impl IntoIterator<Item = String>,
    size: u32,
) -> u32 {
    register_fonts();
    let style: TextStyle = (FONT, size).into_font().into();
    labels
        .into_iter()
        .filter_map(|t| root.estimate_text_size(&t, &style).ok())
        .map(|(w, _)| w)
        .max()
        .unwrap_or(0)
        + 16
}

/// Elbow: inertia by k, the chosen k marked.
pub fn draw_elbow<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sweep: &Sweep,
    chosen: usize,
) -> R<()> {
    root.fill(&WHITE).map_err(e)?;
    let pts: Vec<(f64, f64)> = sweep
        .points
        .iter()
        .map(|p| (p.k as f64, p.inertia))
        .collect();
    let (k0, k1) = (pts[0].0, pts[pts.len() - 1].0);
    let hi = pts.iter().map(|p| p.1).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(root)
        .caption("Elbow: inertia (sum of squared distances) by k", (FONT, 26))
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(80)
        .build_cartesian_2d(k0..k1, 0.0..hi * 1.05)
        .map_err(e)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .x_desc("k")
        .x_labels(pts.len())
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("inertia")
        .y_label_formatter(&|v| crate::fmt::thousands(*v))
        .label_style((FONT, 16))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(pts.clone(), BLUE.stroke_width(3)))
        .map_err(e)?
        .label("inertia");
    chart
        .draw_series(pts.iter().map(|p| Circle::new(*p, 5, BLUE.filled())))
        .map_err(e)?;
    let c = chosen as f64;
    chart
        .draw_series(LineSeries::new(
            vec![(c, 0.0), (c, hi * 1.05)],
            RED.stroke_width(2),
        ))
        .map_err(e)?
        .label(format!("chosen k = {chosen}"))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart
        .configure_series_labels()
        .label_font((FONT, 16))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(e)?;
    root.present().map_err(e)
}

/// Persona sizes (bars) with each persona's response rate in the label.
pub fn draw_personas<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    personas: &[Persona],
) -> R<()> {
    root.fill(&WHITE).map_err(e)?;
    let n = personas.len();
    let hi = personas.iter().map(|p| p.share).fold(0.0, f64::max) * 1.15;
    let label = |p: &Persona| match p.target_rate {
        Some(r) => format!("{} ({:.0} % respond)", p.name, r * 100.0),
        None => p.name.clone(),
    };
    // measured, so no persona name is cut at any length (up to 60 % of the width)
    let width = root.dim_in_pixel().0;
    let names = label_width(root, personas.iter().map(label), 15).min(width * 3 / 5);
    let mut chart = ChartBuilder::on(root)
        .caption("Personas: share of customers", (FONT, 26))
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(names)
        .build_cartesian_2d(0.0..hi.max(0.01), (0..n.saturating_sub(1)).into_segmented())
        .map_err(e)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .disable_y_mesh()
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => personas.get(*i).map(label).unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&|v| format!("{:.0} %", v * 100.0))
        .label_style((FONT, 15))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(personas.iter().enumerate().map(|(i, p)| {
            let color = Palette99::pick(i).filled();
            Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(i)),
                    (p.share, SegmentValue::Exact(i + 1)),
                ],
                color,
            )
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
    root.fill(&WHITE).map_err(e)?;
    let mut chart = ChartBuilder::on(root)
        .caption(format!("ROC curve (AUC {auc:.3})"), (FONT, 26))
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(e)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .x_desc("false positive rate")
        .y_desc("true positive rate")
        .label_style((FONT, 16))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.0), (1.0, 1.0)],
            BLACK.mix(0.4),
        ))
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(points.to_vec(), BLUE.stroke_width(3)))
        .map_err(e)?;
    root.present().map_err(e)
}

/// Cumulative gains by decile.
pub fn draw_gains<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, deciles: &[Decile]) -> R<()> {
    root.fill(&WHITE).map_err(e)?;
    let lift = deciles.first().map(|d| d.lift).unwrap_or(f64::NAN);
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("Cumulative gains (top-decile lift {lift:.1}×)"),
            (FONT, 26),
        )
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(e)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .x_desc("share contacted, best scores first")
        .y_desc("share of positives found")
        .label_style((FONT, 16))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.0), (1.0, 1.0)],
            BLACK.mix(0.4),
        ))
        .map_err(e)?;
    let mut pts = vec![(0.0, 0.0)];
    pts.extend(deciles.iter().map(|d| (d.depth, d.captured)));
    chart
        .draw_series(LineSeries::new(pts.clone(), GREEN.stroke_width(3)))
        .map_err(e)?;
    chart
        .draw_series(pts.iter().map(|p| Circle::new(*p, 4, GREEN.filled())))
        .map_err(e)?;
    root.present().map_err(e)
}

/// Profit by targeting depth, with the chosen and the best depth marked.
pub fn draw_profit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    curve: &[(f64, f64)],
    best_depth: f64,
) -> R<()> {
    root.fill(&WHITE).map_err(e)?;
    let lo = curve.iter().map(|p| p.1).fold(0.0, f64::min);
    let hi = curve.iter().map(|p| p.1).fold(0.0, f64::max).max(lo + 1.0);
    let pad = (hi - lo) * 0.05;
    let mut chart = ChartBuilder::on(root)
        .caption(
            "Profit by targeting depth (best customers first)",
            (FONT, 26),
        )
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..1.0, (lo - pad)..(hi + pad))
        .map_err(e)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .x_desc("share of customers contacted")
        .y_desc("expected profit")
        .x_label_formatter(&|v| format!("{:.0} %", v * 100.0))
        .y_label_formatter(&|v| crate::fmt::money(*v, "$"))
        .label_style((FONT, 16))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.0), (1.0, 0.0)],
            BLACK.mix(0.4),
        ))
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(curve.to_vec(), BLUE.stroke_width(3)))
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            vec![(best_depth, lo - pad), (best_depth, hi + pad)],
            RED.stroke_width(2),
        ))
        .map_err(e)?
        .label(format!("best depth {:.0} %", best_depth * 100.0))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart
        .configure_series_labels()
        .label_font((FONT, 16))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
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
    register_fonts();
    std::fs::create_dir_all(dir).map_err(|x| format!("{}: {x}", dir.display()))?;
    let png = dir.join(format!("{name}.png"));
    let svg = dir.join(format!("{name}.svg"));
    let tmp_png = dir.join(format!(".{name}.tmp.png"));
    let tmp_svg = dir.join(format!(".{name}.tmp.svg"));
    {
        let root = BitMapBackend::new(&tmp_png, SIZE).into_drawing_area();
        draw_png(&root)?;
    }
    {
        let root = SVGBackend::new(&tmp_svg, SIZE).into_drawing_area();
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
}

pub use super::more_charts::{draw_bars, draw_calibration, draw_channel_curves, draw_scatter};

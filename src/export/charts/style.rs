//! The one chart style every export shares: a white frame with the finding as the title (top left, sized
//! to fit), the legend on its own row under the title (outside the data), a light major grid only, the
//! colour-blind-safe palette of [`crate::palette`], and axis ticks formatted as the dashboard formats money,
//! shares and counts.

use plotters::coord::Shift;
use plotters::prelude::*;

use std::sync::Once;

use crate::palette::Swatch;

pub const FONT: &str = "sans-serif";

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

/// Tick labels and axis titles.
pub const LABEL: u32 = 16;
/// The largest title; a longer finding is set smaller, down to [`MIN_TITLE`].
pub const TITLE: u32 = 26;
pub const MIN_TITLE: u32 = 15;
const PAD: i32 = 20;

pub fn rgb(s: Swatch) -> RGBColor {
    RGBColor(s.rgb.0, s.rgb.1, s.rgb.2)
}

/// The light major grid.
pub fn grid() -> RGBAColor {
    BLACK.mix(0.12)
}

pub fn ink() -> RGBColor {
    RGBColor(0x22, 0x22, 0x22)
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    Line,
    Dot,
    Bar,
}

/// A legend entry.
#[derive(Debug, Clone)]
pub struct Key {
    pub label: String,
    pub color: RGBColor,
    pub mark: Mark,
}

impl Key {
    pub fn new(label: impl Into<String>, color: RGBColor, mark: Mark) -> Self {
        Self {
            label: label.into(),
            color,
            mark,
        }
    }
}

/// Apply the mesh style (light major grid, label fonts) to a chart's `configure_mesh()`.
#[macro_export]
macro_rules! styled_mesh {
    ($chart:expr) => {
        $chart
            .configure_mesh()
            .light_line_style(plotters::style::colors::TRANSPARENT)
            .bold_line_style($crate::export::charts::style::grid())
            .axis_style($crate::export::charts::style::ink().mix(0.6))
            .label_style((
                $crate::export::charts::style::FONT,
                $crate::export::charts::style::LABEL,
            ))
            .axis_desc_style((
                $crate::export::charts::style::FONT,
                $crate::export::charts::style::LABEL,
            ))
    };
}

/// `text` as it fits in `max` px at `size`: whole when it does, else cut at a character with "…".
pub fn fit_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    size: u32,
    max: u32,
) -> String {
    let wide = |t: &str| label_width(root, [t.to_string()], size) - 16;
    if wide(text) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // the longest prefix that fits with the ellipsis (binary search on the character count)
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let t: String = chars[..mid].iter().collect::<String>() + "…";
        if wide(&t) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    chars[..lo]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_string()
        + "…"
}

/// The title size that fits `width` px: the largest from [`TITLE`] down to [`MIN_TITLE`].
fn title_size<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str, width: u32) -> u32 {
    (MIN_TITLE..=TITLE)
        .rev()
        .find(|&s| label_width(root, [title.to_string()], s) - 16 <= width)
        .unwrap_or(MIN_TITLE)
}

/// Fill the frame, draw the title and the legend rows, and return the area left for the chart.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    keys: &[Key],
) -> R<DrawingArea<DB, Shift>> {
    root.fill(&WHITE).map_err(e)?;
    let (w, _) = root.dim_in_pixel();
    let room = w.saturating_sub(2 * PAD as u32);
    let size = title_size(root, title, room);
    root.draw(&Text::new(
        fit_text(root, title, size, room),
        (PAD, 16),
        (FONT, size).into_font().color(&ink()),
    ))
    .map_err(e)?;
    let mut y = 16 + size as i32 + 14;
    let mut x = PAD;
    for k in keys {
        let label = fit_text(root, &k.label, LABEL, room.saturating_sub(28));
        let text = label_width(root, [label.clone()], LABEL) as i32 - 16;
        let need = 28 + text;
        if x > PAD && x + need > PAD + room as i32 {
            x = PAD;
            y += LABEL as i32 + 10;
        }
        let mid = y + LABEL as i32 / 2;
        match k.mark {
            Mark::Line => root.draw(&PathElement::new(
                vec![(x, mid), (x + 20, mid)],
                k.color.stroke_width(3),
            )),
            Mark::Dot => root.draw(&Circle::new((x + 10, mid), 6, k.color.filled())),
            Mark::Bar => root.draw(&Rectangle::new(
                [(x + 2, mid - 7), (x + 18, mid + 7)],
                k.color.filled(),
            )),
        }
        .map_err(e)?;
        root.draw(&Text::new(
            label,
            (x + 28, y),
            (FONT, LABEL).into_font().color(&ink()),
        ))
        .map_err(e)?;
        x += need + 24;
    }
    if !keys.is_empty() {
        y += LABEL as i32 + 6;
    }
    Ok(root.split_vertically(y.max(0) as u32 + 4).1)
}

/// Money ticks: whole units on an axis that spans at least 20 (so "$500" and "$1,000", never "$500.00").
pub fn money_tick(x: f64, span: f64, symbol: &str) -> String {
    if span >= 20.0 {
        let r = x.round();
        let sign = if r < 0.0 { "-" } else { "" };
        format!("{sign}{symbol}{}", crate::fmt::thousands(r.abs()))
    } else {
        crate::fmt::money(x, symbol)
    }
}

/// Share ticks: "25 %".
pub fn pct_tick(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_ticks_use_one_format_per_axis() {
        let ticks: Vec<String> = [-500.0, 0.0, 500.0, 1000.0, 1500.0]
            .iter()
            .map(|&x| money_tick(x, 2000.0, "$"))
            .collect();
        assert_eq!(ticks, ["-$500", "$0", "$500", "$1,000", "$1,500"]);
        assert_eq!(money_tick(2.5, 10.0, "$"), "$2.50");
        assert_eq!(pct_tick(0.25), "25 %");
    }

    /// The legend sits above the chart area, and a title too long for the frame is set smaller.
    #[test]
    fn the_legend_is_outside_the_chart_area() {
        register_fonts();
        let mut buf = vec![0u8; 1000 * 600 * 3];
        let root = BitMapBackend::with_buffer(&mut buf, (1000, 600)).into_drawing_area();
        let keys: Vec<Key> = (0..8)
            .map(|i| {
                Key::new(
                    format!("A persona with a long name {i}"),
                    rgb(crate::palette::series(i)),
                    Mark::Dot,
                )
            })
            .collect();
        let long = "A finding far too long to be set at the full title size in a chart one thousand pixels wide";
        let area = frame(&root, long, &keys).unwrap();
        let top = area.get_base_pixel().1;
        // eight entries of ~260 px need three rows under the title
        assert!(top > 16 + 15 + 3 * 26, "chart starts at {top}");
        assert!(title_size(&root, long, 960) < TITLE);
        assert_eq!(title_size(&root, "Short", 960), TITLE);
        let plain = frame(&root, "Short", &[]).unwrap();
        assert!(plain.get_base_pixel().1 < top);
    }
}

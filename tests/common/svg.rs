//! Checks on the SVG charts plotters writes.

use plotters::prelude::*;

/// Every `<text>` of a plotters SVG lies inside the viewBox: its width measured with the bundled font at the
/// size plotters wrote (0.806 of the size it was given: measured at that size, scaled), placed by its anchor.
pub fn text_fits(svg: &str, name: &str) {
    let attr = |tag: &str, a: &str| -> Option<f64> {
        let i = tag.find(&format!(" {a}=\""))? + a.len() + 3;
        tag[i..].split('"').next()?.parse().ok()
    };
    let (width, height): (f64, f64) = (attr(svg, "width").unwrap(), attr(svg, "height").unwrap());
    let area = BitMapBackend::new("/dev/null", (2000, 200)).into_drawing_area();
    let mut checked = 0;
    for part in svg.split("<text").skip(1) {
        let (tag, rest) = part.split_once('>').unwrap();
        let text = rest
            .split("</text>")
            .next()
            .unwrap()
            .trim()
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
        let (x, y, size) = (
            attr(tag, "x").unwrap(),
            attr(tag, "y").unwrap(),
            attr(tag, "font-size").unwrap(),
        );
        let points = (size / 0.806_451_6).round() as u32;
        let w = (campaign_lens::export::charts::label_width(&area, [text.to_string()], points)
            as f64
            - 16.0)
            * size
            / points as f64;
        // a rotated axis title runs along y
        let (x, width) = if tag.contains("rotate(") {
            (y, height)
        } else {
            (x, width)
        };
        let left = if tag.contains("text-anchor=\"end\"") {
            x - w
        } else if tag.contains("text-anchor=\"middle\"") {
            x - w / 2.0
        } else {
            x
        };
        assert!(
            left >= -1.0 && left + w <= width + 1.0,
            "{name}.svg: {text:?} spans {left:.0}..{:.0}",
            left + w
        );
        checked += 1;
    }
    assert!(checked > 3, "{name}.svg has labels");
}

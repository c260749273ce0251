//! Small drawing helpers shared by tabs.

/// A horizontal bar of `width` cells for `frac` in [0, 1], using eighth blocks for smooth ends.
pub fn hbar(frac: f64, width: usize) -> String {
    let frac = if frac.is_finite() {
        frac.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let eighths = (frac * width as f64 * 8.0).round() as usize;
    let full = eighths / 8;
    let rest = eighths % 8;
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let mut s = "█".repeat(full);
    if rest > 0 {
        s.push_str(PARTS[rest]);
    }
    s
}

/// Cut or pad text to exactly `w` characters.
pub fn fit(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n > w {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    } else {
        format!("{s:<w$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_fitting() {
        assert_eq!(hbar(1.0, 4), "████");
        assert_eq!(hbar(0.5, 3), "█▌");
        assert_eq!(hbar(f64::NAN, 3), "");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("ab", 4), "ab  ");
    }
}

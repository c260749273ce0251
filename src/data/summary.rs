//! Per-column summaries for charts: histograms of numeric columns and value frequencies of categorical ones.

use std::collections::HashMap;

use polars::prelude::*;

use super::profile::{f64_values, string_values};

/// Equal-width bins (or one bin per value when a numeric column has few integer values).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Bin labels, e.g. "1,200–2,400" or "3".
    pub labels: Vec<String>,
    pub counts: Vec<u64>,
    pub lo: f64,
    pub hi: f64,
    /// Values outside [lo, hi] left out so a few outliers do not squash the chart.
    pub clipped: usize,
}

/// Compact number for axis labels: 4.3k, 1.2M.
pub fn short(x: f64) -> String {
    let a = x.abs();
    if a >= 1e6 {
        format!("{:.1}M", x / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", x / 1e3)
    } else if a >= 1e3 && x.fract() == 0.0 {
        crate::fmt::thousands(x)
    } else if x.fract() == 0.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// Histogram with at most `bins` bins; None when the column is not numeric or has no values.
pub fn histogram(col: &Column, bins: usize) -> Option<Histogram> {
    let vals: Vec<f64> = f64_values(col)?
        .into_iter()
        .flatten()
        .filter(|v| v.is_finite())
        .collect();
    if vals.is_empty() || bins == 0 {
        return None;
    }
    let mut sorted = vals.clone();
    sorted.sort_by(f64::total_cmp);
    let q = |f: f64| sorted[((sorted.len() - 1) as f64 * f).round() as usize];
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    // Show the 0.5–99.5 % range when the extremes would squash the rest into a bar or two.
    let (rlo, rhi) = (q(0.005), q(0.995));
    let (lo, hi) = if rhi > rlo && (max - min) > 4.0 * (rhi - rlo) {
        (rlo, rhi)
    } else {
        (min, max)
    };
    let clipped = vals.iter().filter(|v| **v < lo || **v > hi).count();
    let vals: Vec<f64> = vals.into_iter().filter(|v| *v >= lo && *v <= hi).collect();
    let integer = vals.iter().all(|v| v.fract() == 0.0);
    if integer && hi - lo < bins as f64 {
        let n = (hi - lo) as usize + 1;
        let mut counts = vec![0u64; n];
        for v in &vals {
            counts[(v - lo) as usize] += 1;
        }
        let labels = (0..n).map(|i| short(lo + i as f64)).collect();
        return Some(Histogram {
            labels,
            counts,
            lo,
            hi,
            clipped,
        });
    }
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u64; bins];
    for v in &vals {
        let b = if width > 0.0 {
            ((v - lo) / width) as usize
        } else {
            0
        };
        counts[b.min(bins - 1)] += 1;
    }
    let labels = (0..bins).map(|i| short(lo + width * i as f64)).collect();
    Some(Histogram {
        labels,
        counts,
        lo,
        hi,
        clipped,
    })
}

/// The `top` most frequent values (ties by value), with the rest summed as "(other)", plus nulls.
pub fn frequencies(col: &Column, top: usize) -> Vec<(String, usize)> {
    let vals = string_values(col);
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut nulls = 0;
    for v in vals {
        match v {
            Some(v) => *counts.entry(v).or_default() += 1,
            None => nulls += 1,
        }
    }
    let mut all: Vec<(String, usize)> = counts.into_iter().collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let rest: usize = all.iter().skip(top).map(|x| x.1).sum();
    all.truncate(top);
    if rest > 0 {
        all.push(("(other)".into(), rest));
    }
    if nulls > 0 {
        all.push(("(missing)".into(), nulls));
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_integer_ranges_get_one_bin_per_value() {
        let c = Series::new("k".into(), &[0i64, 1, 1, 2, 2, 2]).into_column();
        let h = histogram(&c, 20).unwrap();
        assert_eq!(h.counts, vec![1, 2, 3]);
        assert_eq!(h.labels, ["0", "1", "2"]);
    }

    #[test]
    fn equal_width_bins_put_the_maximum_in_the_last_bin() {
        let c = Series::new("x".into(), &[0.0, 0.5, 1.0, 9.99, 10.0]).into_column();
        let h = histogram(&c, 10).unwrap();
        assert_eq!(h.counts.iter().sum::<u64>(), 5);
        assert_eq!(h.counts[0], 2);
        assert_eq!(h.counts[9], 2);
    }

    #[test]
    fn a_far_outlier_is_clipped_and_counted() {
        let mut v: Vec<f64> = (0..1000).map(|i| (i % 100) as f64 + 0.5).collect();
        v.push(1e6);
        let c = Series::new("x".into(), &v).into_column();
        let h = histogram(&c, 10).unwrap();
        assert_eq!(
            h.clipped, 1,
            "only the outlier lies beyond the 0.5–99.5 % range"
        );
        assert!(h.hi < 100.0);
    }

    #[test]
    fn frequencies_pool_the_tail_and_count_missing() {
        let c = Series::new(
            "c".into(),
            &[Some("a"), Some("b"), Some("a"), None, Some("c")],
        )
        .into_column();
        let f = frequencies(&c, 1);
        assert_eq!(
            f,
            vec![
                ("a".into(), 2),
                ("(other)".into(), 2),
                ("(missing)".into(), 1)
            ]
        );
    }
}

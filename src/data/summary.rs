//! Per-column summaries for charts: histograms of numeric columns and value frequencies of categorical ones.

use polars::prelude::*;

use super::profile::{f64_chunked, string_values};

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

/// Compact number for axis labels and bin edges: 4.3k, 1.2M; four-digit integers without a separator, so
/// "[1959, 1968)" and years read plainly.
pub fn short(x: f64) -> String {
    let a = x.abs();
    if a >= 1e6 {
        format!("{:.1}M", x / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", x / 1e3)
    } else if x.fract() == 0.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// A column's distinct values as dense ids (in order of first appearance), without turning every value into
/// text: each row's id (None for null) and the first row holding each id.
pub(crate) struct Interned {
    pub ids: Vec<Option<u32>>,
    pub first_row: Vec<u32>,
}

fn intern_keys<K: std::hash::Hash + Eq>(values: impl Iterator<Item = Option<K>>) -> Interned {
    let mut map: PlHashMap<K, u32> = PlHashMap::default();
    let mut first_row = Vec::new();
    let ids = values
        .enumerate()
        .map(|(row, v)| {
            v.map(|k| {
                *map.entry(k).or_insert_with(|| {
                    first_row.push(row as u32);
                    (first_row.len() - 1) as u32
                })
            })
        })
        .collect();
    Interned { ids, first_row }
}

/// Intern any column: text by its bytes, integers by value (exact beyond 2^53), floats by value (0.0 = -0.0),
/// dates and booleans by their physical integer.
pub(crate) fn intern(col: &Column) -> Option<Interned> {
    let s = col.as_materialized_series();
    let dtype = s.dtype();
    if dtype == &DataType::String {
        return Some(intern_keys(s.str().ok()?.iter()));
    }
    if dtype.is_integer() {
        if let Ok(i) = s.cast(&DataType::Int64) {
            return Some(intern_keys(i.i64().ok()?.iter()));
        }
    }
    if let Some(f) = f64_chunked(col) {
        // one key for 0.0 and -0.0, and one for every NaN, as polars' distinct count has it
        let key = |v: f64| {
            if v == 0.0 {
                0u64
            } else if v.is_nan() {
                f64::NAN.to_bits()
            } else {
                v.to_bits()
            }
        };
        return Some(intern_keys(f.iter().map(|v| v.map(key))));
    }
    if let Ok(phys) = s.to_physical_repr().cast(&DataType::Int64) {
        return Some(intern_keys(phys.i64().ok()?.iter()));
    }
    let text = s.cast(&DataType::String).ok()?;
    Some(intern_keys(text.str().ok()?.iter()))
}

/// Display text of the given rows (the same text as `string_values`).
pub(crate) fn texts_at(col: &Column, rows: &[u32]) -> Vec<String> {
    let idx = IdxCa::from_vec("".into(), rows.iter().map(|&r| r as IdxSize).collect());
    match col.take(&idx) {
        Ok(picked) => string_values(&picked)
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect(),
        Err(_) => vec![String::new(); rows.len()],
    }
}

/// Values at ascending quantiles `fs` (nearest rank) of `vals`, which it reorders: each selection works on
/// what lies right of the previous one, so no full sort.
pub(crate) fn nearest_quantiles(vals: &mut [f64], fs: &[f64]) -> Vec<f64> {
    let last = vals.len() - 1;
    let mut from = 0;
    fs.iter()
        .map(|f| {
            let i = ((last as f64 * f).round() as usize).max(from);
            let v = *vals[from..]
                .select_nth_unstable_by(i - from, f64::total_cmp)
                .1;
            from = i;
            v
        })
        .collect()
}

/// Histogram with at most `bins` bins; None when the column is not numeric or has no values.
pub fn histogram(col: &Column, bins: usize) -> Option<Histogram> {
    if bins == 0 {
        return None;
    }
    let mut vals: Vec<f64> = f64_chunked(col)?
        .iter()
        .flatten()
        .filter(|v| v.is_finite())
        .collect();
    if vals.is_empty() {
        return None;
    }
    let (min, max) = vals
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    // Show the 0.5–99.5 % range when the extremes would squash the rest into a bar or two.
    let (rlo, rhi) = match nearest_quantiles(&mut vals, &[0.005, 0.995])[..] {
        [a, b] => (a, b),
        _ => (min, max),
    };
    let (lo, hi) = if rhi > rlo && (max - min) > 4.0 * (rhi - rlo) {
        (rlo, rhi)
    } else {
        (min, max)
    };
    let clipped = vals.iter().filter(|v| **v < lo || **v > hi).count();
    let shown = || vals.iter().filter(|v| **v >= lo && **v <= hi);
    let integer = shown().all(|v| v.fract() == 0.0);
    if integer && hi - lo < bins as f64 {
        let n = (hi - lo) as usize + 1;
        let mut counts = vec![0u64; n];
        for v in shown() {
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
    for v in shown() {
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

/// The `top` most frequent values (ties in order of first appearance), with the rest summed as "(other)",
/// plus nulls. `distinct` is the column's distinct non-null count from its profile: when every value is
/// distinct the first `top` values are shown without counting.
pub fn frequencies(col: &Column, top: usize, distinct: usize) -> Vec<(String, usize)> {
    let nulls = col.null_count();
    let present = col.len() - nulls;
    let (leaders, rest): (Vec<(u32, usize)>, usize) = if distinct == present {
        let valid = col.as_materialized_series().is_not_null();
        let rows: Vec<(u32, usize)> = valid
            .iter()
            .enumerate()
            .filter(|(_, v)| *v == Some(true))
            .take(top)
            .map(|(row, _)| (row as u32, 1))
            .collect();
        let rest = present - rows.len();
        (rows, rest)
    } else {
        let Some(interned) = intern(col) else {
            return Vec::new();
        };
        let mut counts = vec![0usize; interned.first_row.len()];
        for id in interned.ids.iter().flatten() {
            counts[*id as usize] += 1;
        }
        let mut order: Vec<u32> = (0..counts.len() as u32).collect();
        let by_count =
            |a: &u32, b: &u32| counts[*b as usize].cmp(&counts[*a as usize]).then(a.cmp(b));
        if top > 0 && order.len() > top {
            // only the leaders need sorting
            order.select_nth_unstable_by(top - 1, by_count);
        }
        let rest: usize = order.iter().skip(top).map(|&id| counts[id as usize]).sum();
        order.truncate(top);
        order.sort_by(by_count);
        let leaders = order
            .iter()
            .map(|&id| (interned.first_row[id as usize], counts[id as usize]))
            .collect();
        (leaders, rest)
    };
    let rows: Vec<u32> = leaders.iter().map(|(row, _)| *row).collect();
    let mut out: Vec<(String, usize)> = texts_at(col, &rows)
        .into_iter()
        .zip(leaders.iter().map(|(_, n)| *n))
        .collect();
    if rest > 0 {
        out.push(("(other)".into(), rest));
    }
    if nulls > 0 {
        out.push(("(missing)".into(), nulls));
    }
    out
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
    fn quantiles_by_selection_equal_the_sorted_order() {
        // a shuffled sequence with repeats; the reference is the fully sorted vector
        let vals: Vec<f64> = (0..1001).map(|i| ((i * 7919) % 1001 / 3) as f64).collect();
        let mut sorted = vals.clone();
        sorted.sort_by(f64::total_cmp);
        let fs = [0.0, 0.005, 0.2, 0.4, 0.6, 0.8, 0.995, 1.0];
        let mut work = vals.clone();
        let got = nearest_quantiles(&mut work, &fs);
        for (f, g) in fs.iter().zip(got) {
            assert_eq!(g, sorted[(1000.0 * f).round() as usize], "quantile {f}");
        }
    }

    #[test]
    fn frequencies_of_all_distinct_values_are_the_first_ones() {
        let c = Series::new("id".into(), &[Some("u3"), None, Some("u1"), Some("u2")]).into_column();
        let f = frequencies(&c, 2, 3);
        assert_eq!(
            f,
            vec![
                ("u3".into(), 1),
                ("u1".into(), 1),
                ("(other)".into(), 1),
                ("(missing)".into(), 1)
            ]
        );
    }

    #[test]
    fn frequencies_of_dates_and_ties_in_first_seen_order() {
        let days = Int32Chunked::from_slice("d".into(), &[16_250, 0, 0, 16_250, 1])
            .into_series()
            .cast(&DataType::Date)
            .unwrap()
            .into_column();
        let f = frequencies(&days, 5, 3);
        assert_eq!(
            f,
            vec![
                ("2014-06-29".into(), 2),
                ("1970-01-01".into(), 2),
                ("1970-01-02".into(), 1)
            ]
        );
    }

    #[test]
    fn frequencies_pool_the_tail_and_count_missing() {
        let c = Series::new(
            "c".into(),
            &[Some("a"), Some("b"), Some("a"), None, Some("c")],
        )
        .into_column();
        let f = frequencies(&c, 1, 3);
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

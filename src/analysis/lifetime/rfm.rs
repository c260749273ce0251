//! RFM: recency, frequency and monetary quintile scores (1–5, ties broken by rank in the order the
//! customers come, as `pd.qcut(x.rank(method="first"), 5)` does) and the named segments of the widely
//! used R × F segment map:
//!
//! | R \ F | 1 | 2 | 3 | 4 | 5 |
//! |---|---|---|---|---|---|
//! | 5 | New customers | Potential loyalists | Potential loyalists | Champions | Champions |
//! | 4 | Promising | Potential loyalists | Potential loyalists | Loyal | Loyal |
//! | 3 | About to sleep | About to sleep | Need attention | Loyal | Loyal |
//! | 2 | Hibernating | Hibernating | At risk | At risk | Can't lose them |
//! | 1 | Hibernating | Hibernating | At risk | At risk | Can't lose them |
//!
//! R is 5 for the most recent customers; F and M are 5 for the most frequent and the biggest spenders.

/// Quintile scores 1–5 of `values` (higher value → higher score), ties broken by position.
pub fn quintiles(values: &[f64]) -> Vec<u8> {
    let n = values.len();
    if n == 0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| values[i].total_cmp(&values[j]).then(i.cmp(&j)));
    // pandas' qcut on ranks 1..n: edges at the 20 %, 40 %, … quantiles, linearly interpolated
    let edges: Vec<f64> = (1..=5)
        .map(|k| 1.0 + (n as f64 - 1.0) * k as f64 / 5.0)
        .collect();
    let mut out = vec![0u8; n];
    for (rank0, &i) in order.iter().enumerate() {
        let rank = rank0 as f64 + 1.0;
        out[i] = edges.iter().position(|&e| rank <= e + 1e-9).unwrap_or(4) as u8 + 1;
    }
    out
}

/// The segment of an R and F score (see the module's table).
pub fn segment(r: u8, f: u8) -> &'static str {
    match (r, f) {
        (1..=2, 1..=2) => "Hibernating",
        (1..=2, 3..=4) => "At risk",
        (1..=2, _) => "Can't lose them",
        (3, 1..=2) => "About to sleep",
        (3, 3) => "Need attention",
        (3..=4, 4..=5) => "Loyal",
        (4, 1) => "Promising",
        (5, 1) => "New customers",
        (4..=5, 2..=3) => "Potential loyalists",
        _ => "Champions",
    }
}

/// Segments in the order reports list them (best first).
pub const SEGMENTS: [&str; 10] = [
    "Champions",
    "Loyal",
    "Potential loyalists",
    "New customers",
    "Promising",
    "Need attention",
    "About to sleep",
    "At risk",
    "Can't lose them",
    "Hibernating",
];

/// R, F and M scores and the segment of every customer (`recency` in days: lower is better).
pub fn score(
    recency: &[f64],
    frequency: &[f64],
    monetary: &[f64],
) -> Vec<(u8, u8, u8, &'static str)> {
    let neg: Vec<f64> = recency.iter().map(|r| -r).collect();
    let (r, f, m) = (quintiles(&neg), quintiles(frequency), quintiles(monetary));
    (0..recency.len())
        .map(|i| (r[i], f[i], m[i], segment(r[i], f[i])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_follow_pandas_qcut_of_first_ranks() {
        // pd.qcut(pd.Series([5,1,1,1,3,9,2,2,7,4]).rank(method="first"), 5, labels=False) + 1
        // = [4, 1, 1, 2, 3, 5, 2, 3, 5, 4]
        let v = [5.0, 1.0, 1.0, 1.0, 3.0, 9.0, 2.0, 2.0, 7.0, 4.0];
        assert_eq!(quintiles(&v), [4, 1, 1, 2, 3, 5, 2, 3, 5, 4]);
        assert_eq!(quintiles(&[]), Vec::<u8>::new());
        assert_eq!(quintiles(&[3.0]), [1]);
    }

    #[test]
    fn the_grid_names_every_cell() {
        for r in 1..=5 {
            for f in 1..=5 {
                assert!(SEGMENTS.contains(&segment(r, f)), "{r}{f}");
            }
        }
        assert_eq!(segment(5, 5), "Champions");
        assert_eq!(segment(1, 5), "Can't lose them");
        assert_eq!(segment(3, 3), "Need attention");
    }
}

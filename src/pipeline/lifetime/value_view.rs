//! The lifetime-value view of a customer table (built from an order log, or a `customers` CSV opened
//! again): the distribution of predicted value, mean P(alive) by repeat purchases × weeks since the last
//! purchase, the most valuable customers, and the at-risk list: customers among the top fifth by past
//! spend whose P(alive) is below 0.8, the most value at stake (spend × (1 − P(alive))) first.

use polars::prelude::*;

/// Spend share that makes a customer "high past value": the top fifth.
pub const HIGH_VALUE_SHARE: f64 = 0.2;
/// Below this P(alive) a high-value customer is at risk. BG/NBD fits to retail logs put few customers
/// below one half (a customer is only lost after a purchase), so the list starts earlier.
pub const AT_RISK_ALIVE: f64 = 0.8;

/// Repeat-purchase bands (lifetimes' `frequency`: purchase days after the first), as (label, low, high).
pub const FREQUENCY_BANDS: [(&str, f64, f64); 7] = [
    ("0", 0.0, 1.0),
    ("1", 1.0, 2.0),
    ("2", 2.0, 3.0),
    ("3-4", 3.0, 5.0),
    ("5-9", 5.0, 10.0),
    ("10-19", 10.0, 20.0),
    ("20+", 20.0, f64::INFINITY),
];
/// Weeks since the last purchase, as (label, low days, high days).
pub const RECENCY_BANDS: [(&str, f64, f64); 6] = [
    ("<4 wk", 0.0, 28.0),
    ("4-8", 28.0, 56.0),
    ("8-13", 56.0, 91.0),
    ("13-26", 91.0, 182.0),
    ("26-39", 182.0, 273.0),
    ("39+", 273.0, f64::INFINITY),
];

/// One customer as the lists show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRow {
    pub id: String,
    pub orders: f64,
    pub monetary: f64,
    pub recency_days: f64,
    pub p_alive: f64,
    pub clv: f64,
}

/// Mean P(alive) and customers in one band pair (None: no customers there).
pub type Cell = Option<(f64, usize)>;

#[derive(Debug, Clone, PartialEq)]
pub struct ValueView {
    /// The CLV column shown, e.g. `clv_365`, and its horizon in days.
    pub clv_column: String,
    pub horizon_days: String,
    pub customers: usize,
    pub total_clv: f64,
    /// Share of the predicted value held by the top tenth of customers.
    pub top_tenth_share: f64,
    /// CLV distribution: (band label, customers).
    pub histogram: Vec<(String, usize)>,
    /// `matrix[frequency band][recency band]`.
    pub matrix: Vec<Vec<Cell>>,
    /// Everyone by CLV, largest first.
    pub most_valuable: Vec<ValueRow>,
    /// High past value and P(alive) below `AT_RISK_ALIVE`, most value at stake first.
    pub at_risk: Vec<ValueRow>,
    /// The past spend from which a customer counts as high value.
    pub high_value_from: f64,
    pub at_risk_spend: f64,
}

fn floats(df: &DataFrame, name: &str) -> Option<Vec<f64>> {
    let s = df.column(name).ok()?.cast(&DataType::Float64).ok()?;
    let ca = s.f64().ok()?;
    Some(ca.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

/// The CLV column of a customer table (`clv_<days>`), if any.
pub fn clv_column(df: &DataFrame) -> Option<String> {
    df.get_column_names()
        .into_iter()
        .map(|n| n.to_string())
        .find(|n| {
            n.strip_prefix("clv_")
                .is_some_and(|d| d.parse::<u32>().is_ok())
        })
}

/// Money band edges for the distribution: 1-2.5-5 steps, up to the largest value.
fn money_edges(max: f64) -> Vec<f64> {
    let mut edges = vec![0.0];
    let mut base = 10.0;
    while *edges.last().unwrap_or(&0.0) <= max && edges.len() < 40 {
        for m in [1.0, 2.5, 5.0] {
            edges.push(base * m);
        }
        base *= 10.0;
    }
    edges
}

fn money_label(x: f64) -> String {
    let short = |v: f64| {
        let s = format!("{v:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    };
    if x >= 1e6 {
        format!("{}M", short(x / 1e6))
    } else if x >= 1e3 {
        format!("{}k", short(x / 1e3))
    } else {
        format!("{x:.0}")
    }
}

/// The CLV distribution in 1-2.5-5 bands; bands below the first occupied one are folded into it.
pub fn histogram(clv: &[f64]) -> Vec<(String, usize)> {
    let vals: Vec<f64> = clv.iter().copied().filter(|v| v.is_finite()).collect();
    let max = vals.iter().copied().fold(0.0, f64::max);
    let edges = money_edges(max);
    let mut counts = vec![0usize; edges.len()];
    for v in &vals {
        let i = edges.iter().rposition(|e| *v >= *e).unwrap_or(0);
        counts[i] += 1;
    }
    let last = counts.iter().rposition(|c| *c > 0).unwrap_or(0);
    let first = counts.iter().position(|c| *c > 0).unwrap_or(0);
    let mut out = Vec::new();
    for i in first..=last {
        let hi = edges.get(i + 1).copied();
        let label = match (i == first, hi) {
            (true, Some(h)) => format!("<{}", money_label(h)),
            (_, Some(h)) => format!("{}-{}", money_label(edges[i]), money_label(h)),
            (_, None) => format!("{}+", money_label(edges[i])),
        };
        let n = if i == first {
            counts[..=first].iter().sum()
        } else {
            counts[i]
        };
        out.push((label, n));
    }
    out
}

/// At most `room` bands: the last ones are folded into one "from+" band.
pub fn fold_tail(hist: &[(String, usize)], room: usize) -> Vec<(String, usize)> {
    if hist.len() <= room || room < 2 {
        return hist.to_vec();
    }
    let mut out = hist[..room - 1].to_vec();
    let tail = &hist[room - 1..];
    let from = tail[0]
        .0
        .split('-')
        .next()
        .unwrap_or("")
        .trim_end_matches('+');
    out.push((format!("{from}+"), tail.iter().map(|b| b.1).sum()));
    out
}

fn band(bands: &[(&str, f64, f64)], v: f64) -> Option<usize> {
    bands.iter().position(|(_, lo, hi)| v >= *lo && v < *hi)
}

/// Mean P(alive) and customers per (repeat purchases, recency) band pair.
pub fn alive_matrix(repeat: &[f64], recency_days: &[f64], p_alive: &[f64]) -> Vec<Vec<Cell>> {
    let mut sums = vec![vec![(0.0, 0usize); RECENCY_BANDS.len()]; FREQUENCY_BANDS.len()];
    for ((f, r), p) in repeat.iter().zip(recency_days).zip(p_alive) {
        if let (Some(i), Some(j), true) = (
            band(&FREQUENCY_BANDS, *f),
            band(&RECENCY_BANDS, *r),
            p.is_finite(),
        ) {
            sums[i][j].0 += p;
            sums[i][j].1 += 1;
        }
    }
    sums.into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(s, n)| (n > 0).then(|| (s / n as f64, n)))
                .collect()
        })
        .collect()
}

/// The view of a customer table with lifetime columns; None when it has none.
pub fn value_view(df: &DataFrame) -> Option<ValueView> {
    let clv_name = clv_column(df)?;
    let clv = floats(df, &clv_name)?;
    let p_alive = floats(df, "p_alive")?;
    let monetary = floats(df, "monetary")?;
    let recency = floats(df, "recency_days")?;
    let orders = floats(df, "frequency")?;
    let repeat = floats(df, "repeat_purchases")?;
    let ids: Vec<String> = {
        let col = df.columns().first()?.cast(&DataType::String).ok()?;
        let ca = col.str().ok()?;
        ca.iter().map(|v| v.unwrap_or("").to_string()).collect()
    };
    let n = df.height();
    let rows: Vec<ValueRow> = (0..n)
        .map(|i| ValueRow {
            id: ids[i].clone(),
            orders: orders[i],
            monetary: monetary[i],
            recency_days: recency[i],
            p_alive: p_alive[i],
            clv: clv[i],
        })
        .collect();
    let key = |v: f64| if v.is_finite() { v } else { f64::NEG_INFINITY };
    let mut most_valuable = rows.clone();
    most_valuable.sort_by(|a, b| key(b.clv).total_cmp(&key(a.clv)));
    let total_clv: f64 = clv.iter().filter(|v| v.is_finite()).sum();
    let tenth = n.div_ceil(10);
    let top: f64 = most_valuable[..tenth.min(n)]
        .iter()
        .map(|r| r.clv)
        .filter(|v| v.is_finite())
        .sum();
    let mut spend: Vec<f64> = monetary.iter().copied().filter(|v| v.is_finite()).collect();
    spend.sort_by(|a, b| b.total_cmp(a));
    let cut =
        ((spend.len() as f64 * HIGH_VALUE_SHARE).ceil() as usize).clamp(1, spend.len().max(1));
    let high_value_from = spend.get(cut - 1).copied().unwrap_or(f64::INFINITY);
    let mut at_risk: Vec<ValueRow> = rows
        .into_iter()
        .filter(|r| r.monetary >= high_value_from && r.p_alive < AT_RISK_ALIVE)
        .collect();
    let stake = |r: &ValueRow| r.monetary * (1.0 - r.p_alive);
    at_risk.sort_by(|a, b| stake(b).total_cmp(&stake(a)));
    let at_risk_spend = at_risk.iter().map(|r| r.monetary).sum();
    Some(ValueView {
        horizon_days: clv_name.trim_start_matches("clv_").to_string(),
        clv_column: clv_name,
        customers: n,
        total_clv,
        top_tenth_share: if total_clv > 0.0 {
            top / total_clv
        } else {
            0.0
        },
        histogram: histogram(&clv),
        matrix: alive_matrix(&repeat, &recency, &p_alive),
        most_valuable,
        at_risk,
        high_value_from,
        at_risk_spend,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_folds_leading_bands_and_counts_everyone() {
        let h = histogram(&[3.0, 12.0, 30.0, 30.0, 260.0, f64::NAN]);
        assert_eq!(h[0], ("<10".to_string(), 1));
        assert_eq!(h[1], ("10-25".to_string(), 1));
        assert_eq!(h.iter().map(|b| b.1).sum::<usize>(), 5);
        assert_eq!(h.last().map(|b| b.0.as_str()), Some("250-500"));
        // nobody below 25: the first band is everyone below 50
        let h = histogram(&[30.0, 60.0, 2600.0]);
        assert_eq!(h[0], ("<50".to_string(), 1));
        assert_eq!(h.last(), Some(&("2.5k-5k".to_string(), 1)));
    }

    #[test]
    fn the_tail_folds_into_one_band() {
        let h = histogram(&[3.0, 30.0, 60.0, 120.0, 300.0, 700.0]);
        assert_eq!(h.len(), 7);
        let f = fold_tail(&h, 4);
        assert_eq!(f.len(), 4);
        assert_eq!(f[1], ("10-25".to_string(), 0));
        assert_eq!(f[3], ("50+".to_string(), 4));
        assert_eq!(fold_tail(&h, 10), h);
    }

    #[test]
    fn matrix_means_by_band() {
        let m = alive_matrix(&[0.0, 0.0, 25.0], &[10.0, 20.0, 300.0], &[0.2, 0.4, 0.9]);
        let (mean, n) = m[0][0].unwrap();
        assert!((mean - 0.3).abs() < 1e-12);
        assert_eq!(n, 2);
        assert_eq!(m[6][5], Some((0.9, 1)));
        assert_eq!(m[1][1], None);
    }
}

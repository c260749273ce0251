//! Uplift-model evaluation exactly as scikit-uplift 0.5 (`sklift.metrics`) defines it: uplift and Qini
//! curves, their perfect counterparts, the normalised areas, uplift at k, and uplift by percentile.
//!
//! Rows are ranked by score, highest first, in the order `np.argsort(score, kind="mergesort")[::-1]`
//! gives (ties: the later row first). Curves take one point at the last row of each run of tied scores,
//! after a leading (0, 0); uplift at k and the percentile bins cut that ranking by position, so a cut
//! can split a tie exactly as sklift's does. The outcome may be any number for the curves, uplift at k
//! and the percentile table; the perfect curves and the normalised AUCs need a 0/1 outcome (sklift
//! rejects a non-binary outcome everywhere).

use std::cmp::Ordering;
use std::fmt;

use super::arms::{check_finite, check_length};
use super::UpliftError;

/// How uplift at k and the percentile table pick rows (sklift's `strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Cut the ranking of all rows, then compare the treated and control rows inside the cut
    /// (sklift's `"overall"`, the default of `uplift_by_percentile`).
    Overall,
    /// Cut the treated and the control ranking separately (sklift's `"by_group"`).
    ByGroup,
}

/// The k of uplift at k.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TopK {
    /// A share of the rows, strictly between 0 and 1 (sklift's float k); the count is ⌊n·k⌋.
    Fraction(f64),
    /// A number of rows (sklift's int k).
    Rows(usize),
}

impl fmt::Display for TopK {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fraction(k) => write!(f, "{k}"),
            Self::Rows(k) => write!(f, "{k} rows"),
        }
    }
}

/// Points of a curve: x is the number of rows targeted, y the curve's value there.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// Rows targeted, increasing from 0.
    pub x: Vec<f64>,
    /// Curve value at each x.
    pub y: Vec<f64>,
}

impl Curve {
    /// Trapezoid area under the curve (what `sklearn.metrics.auc` computes).
    pub fn area(&self) -> f64 {
        let xs = self.x.windows(2);
        let ys = self.y.windows(2);
        xs.zip(ys)
            .map(|(x, y)| (x[1] - x[0]) * (y[1] + y[0]) / 2.0)
            .sum()
    }
}

/// One bin of [`uplift_by_percentile`]; rates are None where the bin has no rows of that group.
#[derive(Debug, Clone, PartialEq)]
pub struct PercentileRow {
    /// sklift's label: "0-10", "10-20", … (bounds rounded half-to-even, as Python's `round`).
    pub percentile: String,
    /// treated_rows + control_rows.
    pub rows: usize,
    /// Treated rows in the bin.
    pub treated_rows: usize,
    /// Control rows in the bin.
    pub control_rows: usize,
    /// Mean outcome of the bin's treated rows.
    pub treated_rate: Option<f64>,
    /// Mean outcome of the bin's control rows.
    pub control_rate: Option<f64>,
    /// treated_rate − control_rate.
    pub uplift: Option<f64>,
}

/// sklift's `uplift_curve`: at each threshold, (treated rate − control rate) × rows targeted.
pub fn uplift_curve(y: &[f64], score: &[f64], treated: &[bool]) -> Result<Curve, UpliftError> {
    validate(y, Some(score), treated)?;
    Ok(curve(y, score, treated, CurveKind::Uplift))
}

/// sklift's `qini_curve`: at each threshold, treated responders − control responders × treated/control.
pub fn qini_curve(y: &[f64], score: &[f64], treated: &[bool]) -> Result<Curve, UpliftError> {
    validate(y, Some(score), treated)?;
    Ok(curve(y, score, treated, CurveKind::Qini))
}

/// sklift's `perfect_uplift_curve` (0/1 outcome): the uplift curve of the ideal ranking.
pub fn perfect_uplift_curve(y: &[f64], treated: &[bool]) -> Result<Curve, UpliftError> {
    validate(y, None, treated)?;
    check_binary(y)?;
    Ok(perfect_uplift(y, treated))
}

/// sklift's `perfect_qini_curve` with its default `negative_effect=True` (0/1 outcome): treated
/// responders first, control responders last.
pub fn perfect_qini_curve(y: &[f64], treated: &[bool]) -> Result<Curve, UpliftError> {
    validate(y, None, treated)?;
    check_binary(y)?;
    Ok(perfect_qini(y, treated))
}

/// sklift's `uplift_auc_score`: (area − random area) / (perfect area − random area), where random is
/// the straight line to the perfect curve's end point. 0/1 outcome only.
pub fn uplift_auc_score(y: &[f64], score: &[f64], treated: &[bool]) -> Result<f64, UpliftError> {
    validate(y, Some(score), treated)?;
    check_binary(y)?;
    let actual = curve(y, score, treated, CurveKind::Uplift);
    normalised(&actual, &perfect_uplift(y, treated), "uplift")
}

/// sklift's `qini_auc_score` (with `negative_effect=True`), normalised as [`uplift_auc_score`] is.
pub fn qini_auc_score(y: &[f64], score: &[f64], treated: &[bool]) -> Result<f64, UpliftError> {
    validate(y, Some(score), treated)?;
    check_binary(y)?;
    let actual = curve(y, score, treated, CurveKind::Qini);
    normalised(&actual, &perfect_qini(y, treated), "Qini")
}

/// sklift's `uplift_at_k(y, score, treatment, strategy, k)`: the treated response rate minus the control
/// response rate among the top k rows by score. sklift makes `strategy` a required argument (it has no
/// default); k defaults to 0.3 there, so the CLI's "uplift at 30%" is `TopK::Fraction(0.3)`.
///
/// Errors: the input checks of the curves; k out of range; a top slice without treated or control rows.
pub fn uplift_at_k(
    y: &[f64],
    score: &[f64],
    treated: &[bool],
    strategy: Strategy,
    k: TopK,
) -> Result<f64, UpliftError> {
    validate(y, Some(score), treated)?;
    let n = y.len();
    let out_of_range = |max_rows: usize| UpliftError::InvalidTopK { k, max_rows };
    match k {
        TopK::Fraction(f) if !(f > 0.0 && f < 1.0) => return Err(out_of_range(n - 1)),
        TopK::Rows(r) if r == 0 || r >= n => return Err(out_of_range(n - 1)),
        _ => {}
    }
    let order = descending_order(score);
    // Mean outcome of a group's rows in the top slice of `size` rows.
    let rate = |rows: &[usize], group: &'static str, size: usize| {
        mean_of(y, rows).ok_or(UpliftError::EmptyTopGroup { group, rows: size })
    };
    match strategy {
        Strategy::Overall => {
            let size = match k {
                TopK::Fraction(f) => (n as f64 * f).floor() as usize,
                TopK::Rows(r) => r,
            };
            let (t, c): (Vec<usize>, Vec<usize>) = order[..size].iter().partition(|&&i| treated[i]);
            Ok(rate(&t, "treated", size)? - rate(&c, "control", size)?)
        }
        Strategy::ByGroup => {
            let (t, c): (Vec<usize>, Vec<usize>) = order.iter().partition(|&&i| treated[i]);
            let (n_t, n_c) = match k {
                TopK::Fraction(f) => {
                    let share = |len: usize| (len as f64 * f).floor() as usize;
                    (share(t.len()), share(c.len()))
                }
                TopK::Rows(r) if r > t.len() || r > c.len() => {
                    return Err(out_of_range(t.len().min(c.len())));
                }
                TopK::Rows(r) => (r, r),
            };
            Ok(rate(&t[..n_t], "treated", n_t)? - rate(&c[..n_c], "control", n_c)?)
        }
    }
}

/// sklift's `uplift_by_percentile(y, score, treatment, strategy, bins)`: the ranking cut into `bins`
/// bins as `np.array_split` cuts it (the first n mod bins bins one row longer), with each bin's group
/// sizes, response rates and uplift. `Strategy::Overall` is sklift's default, bins = 10 its default.
///
/// Errors: the input checks of the curves; `bins` 0 or not smaller than the number of rows.
pub fn uplift_by_percentile(
    y: &[f64],
    score: &[f64],
    treated: &[bool],
    strategy: Strategy,
    bins: usize,
) -> Result<Vec<PercentileRow>, UpliftError> {
    validate(y, Some(score), treated)?;
    let rows = y.len();
    if bins == 0 || bins >= rows {
        return Err(UpliftError::InvalidBins { bins, rows });
    }
    let order = descending_order(score);
    let (t_order, c_order): (Vec<usize>, Vec<usize>) = order.iter().partition(|&&i| treated[i]);
    let bounds: Vec<u64> = (1..=bins as u64)
        .map(|p| ((p * 100) as f64 / bins as f64).round_ties_even() as u64)
        .collect();
    let mut table = Vec::with_capacity(bins);
    for b in 0..bins {
        let (t_rows, c_rows): (Vec<usize>, Vec<usize>) = match strategy {
            Strategy::Overall => order[array_split(order.len(), bins, b)]
                .iter()
                .partition(|&&i| treated[i]),
            Strategy::ByGroup => (
                t_order[array_split(t_order.len(), bins, b)].to_vec(),
                c_order[array_split(c_order.len(), bins, b)].to_vec(),
            ),
        };
        let (treated_rate, control_rate) = (mean_of(y, &t_rows), mean_of(y, &c_rows));
        let lower = if b == 0 { 0 } else { bounds[b - 1] };
        table.push(PercentileRow {
            percentile: format!("{lower}-{}", bounds[b]),
            rows: t_rows.len() + c_rows.len(),
            treated_rows: t_rows.len(),
            control_rows: c_rows.len(),
            treated_rate,
            control_rate,
            uplift: treated_rate.zip(control_rate).map(|(t, c)| t - c),
        });
    }
    Ok(table)
}

/// Treated response rate − control response rate over all rows: what random targeting achieves at any
/// k (its normalised Qini and uplift AUC are 0 by definition).
pub fn overall_uplift(y: &[f64], treated: &[bool]) -> Result<f64, UpliftError> {
    validate(y, None, treated)?;
    let (t, c): (Vec<usize>, Vec<usize>) = (0..y.len()).partition(|&i| treated[i]);
    match (mean_of(y, &t), mean_of(y, &c)) {
        (Some(t), Some(c)) => Ok(t - c),
        _ => Err(UpliftError::MissingGroup { group: "treated" }),
    }
}

/// Equal lengths, finite outcome and score, and both groups present.
fn validate(y: &[f64], score: Option<&[f64]>, treated: &[bool]) -> Result<(), UpliftError> {
    check_length("treatment", y.len(), treated.len())?;
    for (row, &v) in y.iter().enumerate() {
        check_finite("outcome", row, v)?;
    }
    if let Some(score) = score {
        check_length("uplift score", y.len(), score.len())?;
        for (row, &v) in score.iter().enumerate() {
            check_finite("uplift score", row, v)?;
        }
    }
    if !treated.contains(&true) {
        return Err(UpliftError::MissingGroup { group: "treated" });
    }
    if !treated.contains(&false) {
        return Err(UpliftError::MissingGroup { group: "control" });
    }
    Ok(())
}

/// A 0/1 outcome (for the perfect curves and the normalised AUCs).
fn check_binary(y: &[f64]) -> Result<(), UpliftError> {
    match y.iter().position(|&v| v != 0.0 && v != 1.0) {
        Some(row) => Err(UpliftError::NonBinaryOutcome { row, value: y[row] }),
        None => Ok(()),
    }
}

/// Row indices by score descending, as `np.argsort(score, kind="mergesort")[::-1]` (a stable ascending
/// sort, reversed: tied rows come later-row-first).
fn descending_order(score: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_by(|&a, &b| score[a].partial_cmp(&score[b]).unwrap_or(Ordering::Equal));
    order.reverse();
    order
}

/// Which of sklift's two curve formulas.
#[derive(Clone, Copy)]
enum CurveKind {
    Uplift,
    Qini,
}

/// The curve over the score ranking, with sklift's arithmetic (zero where a denominator is zero).
fn curve(y: &[f64], score: &[f64], treated: &[bool], kind: CurveKind) -> Curve {
    let order = descending_order(score);
    let ratio = |num: f64, den: f64| if den != 0.0 { num / den } else { 0.0 };
    let (mut x, mut values) = (vec![0.0], vec![0.0]);
    let (mut n_t, mut y_t, mut y_c) = (0.0, 0.0, 0.0);
    for (pos, &i) in order.iter().enumerate() {
        if treated[i] {
            n_t += 1.0;
            y_t += y[i];
        } else {
            y_c += y[i];
        }
        let last_of_tie = order
            .get(pos + 1)
            .is_none_or(|&next| score[next] != score[i]);
        if last_of_tie {
            let n_all = (pos + 1) as f64;
            let n_c = n_all - n_t;
            values.push(match kind {
                CurveKind::Uplift => (ratio(y_t, n_t) - ratio(y_c, n_c)) * n_all,
                CurveKind::Qini => y_t - y_c * ratio(n_t, n_c),
            });
            x.push(n_all);
        }
    }
    Curve { x, y: values }
}

/// sklift's ideal ranking for the uplift curve: score 2·[y = t] + (y if control responders outnumber
/// treated non-responders, else t).
fn perfect_uplift(y: &[f64], treated: &[bool]) -> Curve {
    let t: Vec<f64> = treated.iter().map(|&t| if t { 1.0 } else { 0.0 }).collect();
    let control_responders = (0..y.len()).filter(|&i| y[i] == 1.0 && !treated[i]).count();
    let treated_non_responders = (0..y.len()).filter(|&i| y[i] == 0.0 && treated[i]).count();
    let summand = if control_responders > treated_non_responders {
        y
    } else {
        &t
    };
    let score: Vec<f64> = (0..y.len())
        .map(|i| if y[i] == t[i] { 2.0 } else { 0.0 } + summand[i])
        .collect();
    curve(y, &score, treated, CurveKind::Uplift)
}

/// sklift's ideal ranking for the Qini curve (negative_effect=True): score y·t − y·(1 − t).
fn perfect_qini(y: &[f64], treated: &[bool]) -> Curve {
    let score: Vec<f64> = y
        .iter()
        .zip(treated)
        .map(|(&v, &t)| if t { v } else { -v })
        .collect();
    curve(y, &score, treated, CurveKind::Qini)
}

/// (area(actual) − random) / (area(perfect) − random), random = the line from (0, 0) to the perfect
/// curve's last point; `DegenerateCurve` when the perfect curve beats random by less than rounding.
fn normalised(actual: &Curve, perfect: &Curve, name: &'static str) -> Result<f64, UpliftError> {
    let end = |c: &[f64]| c.last().copied().unwrap_or(0.0);
    let random = end(&perfect.x) * end(&perfect.y) / 2.0;
    let perfect_area = perfect.area();
    let best = perfect_area - random;
    if !best.is_finite() || best.abs() <= 1e-12 * perfect_area.abs().max(random.abs()) {
        return Err(UpliftError::DegenerateCurve { curve: name });
    }
    Ok((actual.area() - random) / best)
}

/// Mean of `y` over `rows`; None for no rows.
fn mean_of(y: &[f64], rows: &[usize]) -> Option<f64> {
    (!rows.is_empty()).then(|| rows.iter().map(|&i| y[i]).sum::<f64>() / rows.len() as f64)
}

/// Index range of part `part` when `np.array_split` cuts `len` items into `parts`.
fn array_split(len: usize, parts: usize, part: usize) -> std::ops::Range<usize> {
    let (size, extra) = (len / parts, len % parts);
    let start = part * size + part.min(extra);
    start..start + size + usize::from(part < extra)
}

#[cfg(test)]
mod tests;

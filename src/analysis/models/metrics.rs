//! Binary classification metrics from our own counts (linfa's binary precision and recall come out
//! swapped), following scikit-learn: metrics for the positive class, zero divisions give 0, ROC AUC by the
//! rank statistic with average ranks for ties, log-loss with probabilities clipped to [1e-15, 1 - 1e-15].

use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
pub enum MetricError {
    #[error("no predictions to score")]
    Empty,
    #[error("{0} labels but {1} scores")]
    Length(usize, usize),
    #[error("only one class present: ROC AUC is undefined")]
    OneClass,
}

fn check(y: &[bool], s: &[f64]) -> Result<(), MetricError> {
    if y.is_empty() {
        return Err(MetricError::Empty);
    }
    if y.len() != s.len() {
        return Err(MetricError::Length(y.len(), s.len()));
    }
    Ok(())
}

/// Counts at a threshold: a score at or above it is predicted positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Confusion {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub tn: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Confusion {
    pub fn at(y: &[bool], scores: &[f64], threshold: f64) -> Result<Self, MetricError> {
        check(y, scores)?;
        let mut c = Confusion::default();
        for (&t, &s) in y.iter().zip(scores) {
            match (t, s >= threshold) {
                (true, true) => c.tp += 1,
                (false, true) => c.fp += 1,
                (true, false) => c.fn_ += 1,
                (false, false) => c.tn += 1,
            }
        }
        Ok(c)
    }
    pub fn total(&self) -> usize {
        self.tp + self.fp + self.fn_ + self.tn
    }
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.total())
    }
    /// TP / (TP + FP); 0 when nothing is predicted positive.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// TP / (TP + FN); 0 when there are no positives.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

/// Area under the ROC curve by the Mann-Whitney rank statistic (ties get average ranks).
pub fn roc_auc(y: &[bool], scores: &[f64]) -> Result<f64, MetricError> {
    check(y, scores)?;
    let pos = y.iter().filter(|&&t| t).count();
    let neg = y.len() - pos;
    if pos == 0 || neg == 0 {
        return Err(MetricError::OneClass);
    }
    let mut idx: Vec<usize> = (0..y.len()).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += idx[i..=j].iter().filter(|&&k| y[k]).count() as f64 * avg;
        i = j + 1;
    }
    Ok((rank_sum - (pos * (pos + 1)) as f64 / 2.0) / (pos as f64 * neg as f64))
}

/// Mean negative log-likelihood of the positive-class probabilities.
pub fn log_loss(y: &[bool], p: &[f64]) -> Result<f64, MetricError> {
    check(y, p)?;
    let eps = 1e-15;
    let total: f64 = y
        .iter()
        .zip(p)
        .map(|(&t, &q)| {
            let q = q.clamp(eps, 1.0 - eps);
            if t {
                -q.ln()
            } else {
                -(1.0 - q).ln()
            }
        })
        .sum();
    Ok(total / y.len() as f64)
}

/// Brier score: the mean squared difference between probability and outcome (scikit-learn's
/// `brier_score_loss`; 0 is perfect, 0.25 is a coin toss).
pub fn brier(y: &[bool], p: &[f64]) -> Result<f64, MetricError> {
    check(y, p)?;
    let total: f64 = y
        .iter()
        .zip(p)
        .map(|(&t, &q)| (q - t as u8 as f64).powi(2))
        .sum();
    Ok(total / y.len() as f64)
}

/// ROC points (false positive rate, true positive rate), one per distinct threshold, from (0, 0).
pub fn roc_curve(y: &[bool], scores: &[f64]) -> Result<Vec<(f64, f64)>, MetricError> {
    check(y, scores)?;
    let pos = y.iter().filter(|&&t| t).count();
    let neg = y.len() - pos;
    if pos == 0 || neg == 0 {
        return Err(MetricError::OneClass);
    }
    let mut idx: Vec<usize> = (0..y.len()).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut pts = vec![(0.0, 0.0)];
    let (mut tp, mut fp) = (0usize, 0usize);
    for (n, &i) in idx.iter().enumerate() {
        if y[i] {
            tp += 1;
        } else {
            fp += 1;
        }
        let last_of_tie = n + 1 == idx.len() || scores[idx[n + 1]] != scores[i];
        if last_of_tie {
            pts.push((fp as f64 / neg as f64, tp as f64 / pos as f64));
        }
    }
    Ok(pts)
}

/// One decile of a gains table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Decile {
    /// Share of customers contacted (0.1 … 1.0), best scores first.
    pub depth: f64,
    /// Share of all positives found in that top slice.
    pub captured: f64,
    /// captured / depth.
    pub lift: f64,
    /// Mean score and observed rate inside this decile (for calibration).
    pub mean_score: f64,
    pub observed_rate: f64,
}

/// Cumulative gains, lift and calibration by score decile.
pub fn deciles(y: &[bool], scores: &[f64]) -> Result<Vec<Decile>, MetricError> {
    check(y, scores)?;
    let n = y.len();
    let pos = y.iter().filter(|&&t| t).count().max(1) as f64;
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut out = Vec::with_capacity(10);
    let mut hits = 0usize;
    let mut start = 0usize;
    for d in 1..=10 {
        let end = (n * d).div_ceil(10).min(n);
        let slice = &idx[start..end];
        let h = slice.iter().filter(|&&i| y[i]).count();
        hits += h;
        let depth = end as f64 / n as f64;
        let captured = hits as f64 / pos;
        let m = slice.len().max(1) as f64;
        out.push(Decile {
            depth,
            captured,
            lift: if depth > 0.0 { captured / depth } else { 0.0 },
            mean_score: slice.iter().map(|&i| scores[i]).sum::<f64>() / m,
            observed_rate: h as f64 / m,
        });
        start = end;
    }
    Ok(out)
}

/// The threshold (one of the scores) with the highest F1, and that F1.
pub fn best_f1_threshold(y: &[bool], scores: &[f64]) -> Result<(f64, f64), MetricError> {
    check(y, scores)?;
    let pos = y.iter().filter(|&&t| t).count();
    let mut idx: Vec<usize> = (0..y.len()).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut best = (1.0, 0.0);
    for (n, &i) in idx.iter().enumerate() {
        if y[i] {
            tp += 1;
        } else {
            fp += 1;
        }
        if n + 1 == idx.len() || scores[idx[n + 1]] != scores[i] {
            let f1 = ratio(2 * tp, tp + fp + pos);
            if f1 > best.1 {
                best = (scores[i], f1);
            }
        }
    }
    Ok(best)
}

//! Probability calibration: Platt's sigmoid (with Lin, Lin & Weng's 2007 target smoothing and Newton
//! steps, as libsvm and scikit-learn's `CalibratedClassifierCV(method="sigmoid")`), isotonic regression
//! (pool-adjacent-violators, scikit-learn's `IsotonicRegression(out_of_bounds="clip")`), the reliability
//! curve (scikit-learn's `calibration_curve`, uniform bins) and the choice between them.
//!
//! Calibrators are fitted on out-of-fold scores of the training rows (the cross-validation folds), never
//! on the test rows. A model is calibrated only when calibration lowers the Brier score on those scores,
//! judged by two-fold cross-fitting (fit on one half, score the other), so an isotonic step cannot win
//! by memorising the rows it is judged on.

use serde::{Deserialize, Serialize};

/// P(positive | score s) = 1 / (1 + exp(a·s + b)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    pub a: f64,
    pub b: f64,
}

impl Platt {
    /// Fit on scores and labels (Platt 2000, Algorithm 1 of Lin, Lin & Weng 2007).
    pub fn fit(scores: &[f64], y: &[bool]) -> Platt {
        let prior1 = y.iter().filter(|&&t| t).count() as f64;
        let prior0 = y.len() as f64 - prior1;
        let hi = (prior1 + 1.0) / (prior1 + 2.0);
        let lo = 1.0 / (prior0 + 2.0);
        let t: Vec<f64> = y.iter().map(|&v| if v { hi } else { lo }).collect();
        let (mut a, mut b) = (0.0, ((prior0 + 1.0) / (prior1 + 1.0)).ln());
        let objective = |a: f64, b: f64| -> f64 {
            scores
                .iter()
                .zip(&t)
                .map(|(&s, &ti)| {
                    let f = s * a + b;
                    if f >= 0.0 {
                        ti * f + (-f).exp().ln_1p()
                    } else {
                        (ti - 1.0) * f + f.exp().ln_1p()
                    }
                })
                .sum()
        };
        let mut fval = objective(a, b);
        for _ in 0..100 {
            let (mut h11, mut h22, mut h21, mut g1, mut g2) = (1e-12, 1e-12, 0.0, 0.0, 0.0);
            for (&s, &ti) in scores.iter().zip(&t) {
                let f = s * a + b;
                let (p, q) = if f >= 0.0 {
                    let e = (-f).exp();
                    (e / (1.0 + e), 1.0 / (1.0 + e))
                } else {
                    let e = f.exp();
                    (1.0 / (1.0 + e), e / (1.0 + e))
                };
                let d2 = p * q;
                h11 += s * s * d2;
                h22 += d2;
                h21 += s * d2;
                let d1 = ti - p;
                g1 += s * d1;
                g2 += d1;
            }
            if g1.abs() < 1e-5 && g2.abs() < 1e-5 {
                break;
            }
            let det = h11 * h22 - h21 * h21;
            let da = -(h22 * g1 - h21 * g2) / det;
            let db = -(-h21 * g1 + h11 * g2) / det;
            let gd = g1 * da + g2 * db;
            let mut step = 1.0;
            let mut moved = false;
            while step >= 1e-10 {
                let (na, nb) = (a + step * da, b + step * db);
                let nf = objective(na, nb);
                if nf < fval + 1e-4 * step * gd {
                    a = na;
                    b = nb;
                    fval = nf;
                    moved = true;
                    break;
                }
                step /= 2.0;
            }
            if !moved {
                break;
            }
        }
        Platt { a, b }
    }

    pub fn apply(&self, s: f64) -> f64 {
        let f = s * self.a + self.b;
        if f >= 0.0 {
            let e = (-f).exp();
            e / (1.0 + e)
        } else {
            1.0 / (1.0 + f.exp())
        }
    }
}

/// A non-decreasing step function through (score, rate) points, linear between them, clipped outside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Isotonic {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

impl Isotonic {
    /// Pool adjacent violators on the scores sorted ascending (equal scores pooled first).
    pub fn fit(scores: &[f64], y: &[bool]) -> Isotonic {
        let mut pairs: Vec<(f64, f64)> = scores
            .iter()
            .zip(y)
            .map(|(&s, &t)| (s, t as u8 as f64))
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        // blocks: (x of the block's first distinct score, sum of y, weight, xs pooled)
        let mut xs: Vec<f64> = Vec::new();
        let mut sums: Vec<f64> = Vec::new();
        let mut weights: Vec<f64> = Vec::new();
        for (s, t) in pairs {
            if xs.last() == Some(&s) {
                *sums.last_mut().expect("a block") += t;
                *weights.last_mut().expect("a block") += 1.0;
            } else {
                xs.push(s);
                sums.push(t);
                weights.push(1.0);
            }
        }
        // PAV over the distinct scores: each block keeps its range of distinct-score indices
        let mut blocks: Vec<(usize, usize, f64, f64)> = Vec::new(); // (first, last, sum, weight)
        for i in 0..xs.len() {
            blocks.push((i, i, sums[i], weights[i]));
            while blocks.len() > 1 {
                let n = blocks.len();
                let (a, b) = (blocks[n - 2], blocks[n - 1]);
                if a.2 / a.3 >= b.2 / b.3 {
                    blocks[n - 2] = (a.0, b.1, a.2 + b.2, a.3 + b.3);
                    blocks.pop();
                } else {
                    break;
                }
            }
        }
        let mut fitted = vec![0.0; xs.len()];
        for (f, l, s, w) in blocks {
            for v in &mut fitted[f..=l] {
                *v = s / w;
            }
        }
        Isotonic { x: xs, y: fitted }
    }

    pub fn apply(&self, s: f64) -> f64 {
        let (x, y) = (&self.x, &self.y);
        if x.is_empty() {
            return s;
        }
        if s <= x[0] {
            return y[0];
        }
        if s >= x[x.len() - 1] {
            return y[y.len() - 1];
        }
        let i = x.partition_point(|&v| v <= s);
        let (x0, x1, y0, y1) = (x[i - 1], x[i], y[i - 1], y[i]);
        y0 + (y1 - y0) * (s - x0) / (x1 - x0)
    }
}

/// How a model's probabilities are corrected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Calibrator {
    None,
    Platt(Platt),
    Isotonic(Isotonic),
}

impl Calibrator {
    pub fn name(&self) -> &'static str {
        match self {
            Calibrator::None => "none",
            Calibrator::Platt(_) => "platt",
            Calibrator::Isotonic(_) => "isotonic",
        }
    }
    pub fn apply(&self, p: f64) -> f64 {
        match self {
            Calibrator::None => p,
            Calibrator::Platt(c) => c.apply(p),
            Calibrator::Isotonic(c) => c.apply(p).clamp(0.0, 1.0),
        }
    }
}

fn brier_of(p: &[f64], y: &[bool]) -> f64 {
    p.iter()
        .zip(y)
        .map(|(&p, &t)| (p - t as u8 as f64).powi(2))
        .sum::<f64>()
        / p.len().max(1) as f64
}

/// The calibrator for out-of-fold `scores`: the method (none, Platt, isotonic) with the lowest Brier
/// score under two-fold cross-fitting, refitted on all the scores. Isotonic needs 1,000 rows.
pub fn choose(scores: &[f64], y: &[bool]) -> Calibrator {
    let n = scores.len();
    if n < 100 || y.iter().all(|&t| t) || y.iter().all(|&t| !t) {
        return Calibrator::None;
    }
    let halves: [Vec<usize>; 2] = [
        (0..n).filter(|i| i % 2 == 0).collect(),
        (0..n).filter(|i| i % 2 == 1).collect(),
    ];
    let pick = |rows: &[usize]| -> (Vec<f64>, Vec<bool>) {
        (
            rows.iter().map(|&i| scores[i]).collect(),
            rows.iter().map(|&i| y[i]).collect(),
        )
    };
    let cross = |fit: &dyn Fn(&[f64], &[bool]) -> Calibrator| -> f64 {
        let mut total = 0.0;
        for k in 0..2 {
            let (fs, fy) = pick(&halves[k]);
            let (es, ey) = pick(&halves[1 - k]);
            let c = fit(&fs, &fy);
            let p: Vec<f64> = es.iter().map(|&s| c.apply(s)).collect();
            total += brier_of(&p, &ey) * ey.len() as f64;
        }
        total / n as f64
    };
    let raw = brier_of(scores, y);
    let platt = cross(&|s, y| Calibrator::Platt(Platt::fit(s, y)));
    let iso = if n >= 1000 {
        cross(&|s, y| Calibrator::Isotonic(Isotonic::fit(s, y)))
    } else {
        f64::INFINITY
    };
    if raw <= platt && raw <= iso {
        Calibrator::None
    } else if platt <= iso {
        Calibrator::Platt(Platt::fit(scores, y))
    } else {
        Calibrator::Isotonic(Isotonic::fit(scores, y))
    }
}

/// One bin of a reliability curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    pub mean_predicted: f64,
    pub observed: f64,
    pub rows: usize,
}

/// scikit-learn's `calibration_curve(y, p, n_bins, strategy="uniform")`, with each bin's row count;
/// empty bins are left out.
pub fn calibration_curve(y: &[bool], p: &[f64], bins: usize) -> Vec<CurvePoint> {
    let mut sum_p = vec![0.0; bins];
    let mut sum_y = vec![0.0; bins];
    let mut count = vec![0usize; bins];
    for (&t, &v) in y.iter().zip(p) {
        // searchsorted(edges[1:-1], v, side="left"): the number of inner edges strictly below v
        let b = (1..bins)
            .filter(|&k| (k as f64 / bins as f64) < v)
            .count()
            .min(bins - 1);
        sum_p[b] += v;
        sum_y[b] += t as u8 as f64;
        count[b] += 1;
    }
    (0..bins)
        .filter(|&b| count[b] > 0)
        .map(|b| CurvePoint {
            mean_predicted: sum_p[b] / count[b] as f64,
            observed: sum_y[b] / count[b] as f64,
            rows: count[b],
        })
        .collect()
}

//! Ridge regression with an unpenalised intercept and sign-constrained (≥ 0) coefficients.
//!
//! Columns are centred and scaled to unit variance on the rows fitted, the intercept is then `ȳ`
//! (decoupled), and the rest solves the strictly convex QP
//! `min ½ βᵀ(G + λI)β − cᵀβ` with `G = XᵀX/n`, `c = Xᵀ(y − ȳ)/n` and `β_j ≥ 0` for the constrained
//! columns. It is solved exactly by the Lawson–Hanson active-set method in Gram form (free columns stay
//! in the passive set throughout); with p ≤ a few dozen each step is one small Cholesky. Coefficients
//! are returned in the original column units (a positive rescaling keeps the sign constraints).

pub use super::gram::{gram, Gram, GramAcc};
use super::MixError;

/// Fitted coefficients in original units: `ŷ_t = intercept + Σ_j beta_j · x_j[t]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Coefs {
    /// Intercept.
    pub intercept: f64,
    /// One coefficient per column.
    pub beta: Vec<f64>,
}

impl Coefs {
    /// Prediction for week (row) `t`.
    pub fn predict(&self, cols: &[&[f64]], t: usize) -> f64 {
        self.intercept
            + self
                .beta
                .iter()
                .zip(cols)
                .map(|(b, c)| b * c[t])
                .sum::<f64>()
    }
}

/// Solves the ridge problem with penalty `lambda > 0`; `nonneg[j]` marks the columns constrained to ≥ 0.
pub fn solve(gram: &Gram, lambda: f64, nonneg: &[bool]) -> Result<Coefs, MixError> {
    solve_with_hint(gram, lambda, nonneg, None).map(|(c, _)| c)
}

/// [`solve`] warm-started from a guess of which coefficients are non-zero (`hint[j]`, e.g. the support
/// of a nearby λ's solution; None = try all). Returns the solution and its support. The hint only
/// changes the starting point, never the (unique) solution.
pub fn solve_with_hint(
    gram: &Gram,
    lambda: f64,
    nonneg: &[bool],
    hint: Option<&[bool]>,
) -> Result<(Coefs, Vec<bool>), MixError> {
    let p = gram.p;
    let mut q = gram.g.clone();
    for j in 0..p {
        q[j * p + j] += lambda;
    }
    let (b, support) = active_set(&q, &gram.c, p, nonneg, hint)?;
    let beta: Vec<f64> = b.iter().zip(&gram.sd).map(|(b, s)| b / s).collect();
    let intercept = gram.ybar - beta.iter().zip(&gram.mean).map(|(b, m)| b * m).sum::<f64>();
    if !intercept.is_finite() || beta.iter().any(|v| !v.is_finite()) {
        return Err(MixError::Numerical);
    }
    Ok((Coefs { intercept, beta }, support))
}

/// Lawson–Hanson active set for `min ½βᵀQβ − cᵀβ`, `β_j ≥ 0` where `nonneg[j]`; Q positive definite.
/// A feasible warm start (all hinted coefficients strictly positive) replaces the cold start.
fn active_set(
    q: &[f64],
    c: &[f64],
    p: usize,
    nonneg: &[bool],
    hint: Option<&[bool]>,
) -> Result<(Vec<f64>, Vec<bool>), MixError> {
    let constrained = |j: usize| nonneg.get(j).copied().unwrap_or(false);
    let guess: Vec<bool> = (0..p)
        .map(|j| !constrained(j) || hint.is_none_or(|h| h.get(j).copied().unwrap_or(false)))
        .collect();
    let warm = solve_subset(q, c, p, &guess)
        .filter(|s| (0..p).all(|j| !constrained(j) || !guess[j] || s[j] > 0.0));
    let (mut passive, mut beta) = match warm {
        Some(s) => (guess, s),
        None => {
            let passive: Vec<bool> = (0..p).map(|j| !constrained(j)).collect();
            let beta = solve_subset(q, c, p, &passive).ok_or(MixError::Numerical)?;
            (passive, beta)
        }
    };
    let tol = 1e-11 * (1.0 + c.iter().fold(0.0_f64, |m, v| m.max(v.abs())));
    let cap = 3 * p + 10;
    for _ in 0..cap {
        let grad: Vec<f64> = (0..p)
            .map(|j| {
                c[j] - q[j * p..(j + 1) * p]
                    .iter()
                    .zip(&beta)
                    .map(|(a, b)| a * b)
                    .sum::<f64>()
            })
            .collect();
        let entering = (0..p)
            .filter(|&j| constrained(j) && !passive[j] && grad[j] > tol)
            .max_by(|&a, &b| grad[a].total_cmp(&grad[b]));
        let Some(j) = entering else { break };
        passive[j] = true;
        for _ in 0..cap {
            let s = solve_subset(q, c, p, &passive).ok_or(MixError::Numerical)?;
            let bad: Vec<usize> = (0..p)
                .filter(|&i| constrained(i) && passive[i] && s[i] <= 0.0)
                .collect();
            if bad.is_empty() {
                beta = s;
                break;
            }
            let mut step = 1.0_f64;
            for &i in &bad {
                let d = beta[i] - s[i];
                if d > 0.0 {
                    step = step.min(beta[i] / d);
                }
            }
            for (b, si) in beta.iter_mut().zip(&s) {
                *b += step * (si - *b);
            }
            let zero = 1e-12 * (1.0 + beta.iter().fold(0.0_f64, |m, v| m.max(v.abs())));
            for i in 0..p {
                if constrained(i) && passive[i] && beta[i] <= zero {
                    passive[i] = false;
                    beta[i] = 0.0;
                }
            }
        }
    }
    Ok((beta, passive))
}

/// Solves `Q_PP β_P = c_P` on the passive set, zero elsewhere (None if Q_PP is not positive definite).
fn solve_subset(q: &[f64], c: &[f64], p: usize, passive: &[bool]) -> Option<Vec<f64>> {
    let idx: Vec<usize> = (0..p).filter(|&j| passive[j]).collect();
    let k = idx.len();
    let mut a = vec![0.0; k * k];
    let mut b = vec![0.0; k];
    for (r, &i) in idx.iter().enumerate() {
        b[r] = c[i];
        for (s, &j) in idx.iter().enumerate() {
            a[r * k + s] = q[i * p + j];
        }
    }
    cholesky_solve(&mut a, &mut b, k)?;
    let mut out = vec![0.0; p];
    for (r, &i) in idx.iter().enumerate() {
        out[i] = b[r];
    }
    Some(out)
}

/// In-place Cholesky `A = LLᵀ` (row-major k×k) and solve; the solution overwrites `b`.
#[allow(clippy::needless_range_loop)]
fn cholesky_solve(a: &mut [f64], b: &mut [f64], k: usize) -> Option<()> {
    for j in 0..k {
        let mut d = a[j * k + j];
        for m in 0..j {
            d -= a[j * k + m] * a[j * k + m];
        }
        if d.is_nan() || d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        a[j * k + j] = d;
        for i in j + 1..k {
            let mut s = a[i * k + j];
            for m in 0..j {
                s -= a[i * k + m] * a[j * k + m];
            }
            a[i * k + j] = s / d;
        }
    }
    for i in 0..k {
        let mut s = b[i];
        for m in 0..i {
            s -= a[i * k + m] * b[m];
        }
        b[i] = s / a[i * k + i];
    }
    for i in (0..k).rev() {
        let mut s = b[i];
        for m in i + 1..k {
            s -= a[m * k + i] * b[m];
        }
        b[i] = s / a[i * k + i];
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn objective(q: &[f64], c: &[f64], p: usize, b: &[f64]) -> f64 {
        let mut v = 0.0;
        for i in 0..p {
            v -= c[i] * b[i];
            for j in 0..p {
                v += 0.5 * b[i] * q[i * p + j] * b[j];
            }
        }
        v
    }

    #[test]
    fn exact_data_recovers_coefficients() {
        let x1: Vec<f64> = (0..30).map(|t| (t as f64 * 0.7).sin()).collect();
        let x2: Vec<f64> = (0..30).map(|t| (t % 7) as f64).collect();
        let y: Vec<f64> = (0..30).map(|t| 3.0 + 2.0 * x1[t] - 0.5 * x2[t]).collect();
        let rows: Vec<usize> = (0..30).collect();
        let cols = [x1.as_slice(), x2.as_slice()];
        let fit = solve(&gram(&cols, &y, &rows), 1e-12, &[true, false]).expect("solvable");
        assert!((fit.intercept - 3.0).abs() < 1e-8 && (fit.beta[0] - 2.0).abs() < 1e-8);
        assert!((fit.beta[1] + 0.5).abs() < 1e-8);
        // Constraining the negative one to ≥ 0 pins it at exactly zero.
        let fit = solve(&gram(&cols, &y, &rows), 1e-12, &[true, true]).expect("solvable");
        assert_eq!(fit.beta[1], 0.0);
    }

    #[test]
    fn active_set_matches_brute_force_over_all_supports() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        for trial in 0..40 {
            let (n, p) = (25, 6);
            let cols: Vec<Vec<f64>> = (0..p)
                .map(|_| (0..n).map(|_| rng.gen::<f64>()).collect())
                .collect();
            let truth = [1.0, -2.0, 0.5, -0.3, 2.0, -1.0];
            let y: Vec<f64> = (0..n)
                .map(|t| {
                    (0..p).map(|j| truth[j] * cols[j][t]).sum::<f64>() + 0.3 * rng.gen::<f64>()
                })
                .collect();
            let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
            let rows: Vec<usize> = (0..n).collect();
            let gm = gram(&refs, &y, &rows);
            let lambda = [1e-3, 0.05, 0.5][trial % 3];
            let nonneg = [true, true, true, true, false, false];
            let mut q = gm.g.clone();
            for j in 0..p {
                q[j * p + j] += lambda;
            }
            let (got, _) = active_set(&q, &gm.c, p, &nonneg, None).expect("solvable");
            // Any warm start (here: every subset hint) reaches the same solution.
            for mask in [0u32, 5, 15] {
                let hint: Vec<bool> = (0..p).map(|j| j >= 4 || mask & (1 << j) != 0).collect();
                let (warm, _) = active_set(&q, &gm.c, p, &nonneg, Some(&hint)).expect("solvable");
                assert!(got.iter().zip(&warm).all(|(a, b)| (a - b).abs() < 1e-9));
            }
            // Brute force: every support of the constrained columns, keep the feasible minimum.
            let mut best = f64::INFINITY;
            let mut best_b = vec![];
            for mask in 0..16u32 {
                let passive: Vec<bool> = (0..p).map(|j| j >= 4 || mask & (1 << j) != 0).collect();
                let b = solve_subset(&q, &gm.c, p, &passive).expect("pd");
                if (0..4).all(|j| b[j] >= 0.0) {
                    let o = objective(&q, &gm.c, p, &b);
                    if o < best {
                        best = o;
                        best_b = b;
                    }
                }
            }
            assert!(
                (objective(&q, &gm.c, p, &got) - best).abs() < 1e-12,
                "trial {trial}"
            );
            for (a, b) in got.iter().zip(&best_b) {
                assert!((a - b).abs() < 1e-8, "trial {trial}: {got:?} vs {best_b:?}");
            }
            assert!(got[..4].iter().all(|&v| v >= 0.0));
        }
    }

    #[test]
    fn constant_column_gets_zero_and_repeated_rows_weight() {
        let x = vec![2.0; 10];
        let z: Vec<f64> = (0..10).map(|t| t as f64).collect();
        let y: Vec<f64> = z.iter().map(|v| 1.0 + v).collect();
        let fit = solve(
            &gram(&[&x, &z], &y, &(0..10).collect::<Vec<_>>()),
            1e-9,
            &[true, true],
        )
        .expect("ok");
        assert_eq!(fit.beta[0], 0.0);
        assert!((fit.beta[1] - 1.0).abs() < 1e-6);
        // Repeating rows [0, 0, 1] equals weights (2, 1): the mean of y over them is (1+1+2)/3.
        let g = gram(&[&z], &y, &[0, 0, 1]);
        assert!((g.ybar - 4.0 / 3.0).abs() < 1e-15);
    }
}

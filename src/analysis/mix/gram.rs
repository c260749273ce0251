//! Sufficient statistics for the ridge solver: standardised Gram matrices of a set of weeks, built
//! from running sums so that expanding CV windows and the final fit share one pass over the rows.

/// Sufficient statistics of one set of rows: standardised Gram matrix and cross-products.
#[derive(Debug, Clone, PartialEq)]
pub struct Gram {
    pub(super) p: usize,
    pub(super) mean: Vec<f64>,
    pub(super) sd: Vec<f64>,
    pub(super) ybar: f64,
    pub(super) g: Vec<f64>,
    pub(super) c: Vec<f64>,
}

/// Gram statistics of `cols` and `y` over `rows` (row indices may repeat, as in a bootstrap sample).
/// A column constant over the rows gets scale 1, so it is all zeros once centred and its coefficient is 0.
pub fn gram(cols: &[&[f64]], y: &[f64], rows: &[usize]) -> Gram {
    let mut acc = GramAcc::new(cols.len());
    acc.add(cols, y, rows.iter().copied());
    acc.gram()
}

/// Running sums for [`Gram`], so expanding CV windows reuse the rows already added. Sums are of values
/// shifted by the first row added (the shifted-data algorithm), which keeps the centring accurate for
/// series with a large mean.
#[derive(Debug, Clone, PartialEq)]
pub struct GramAcc {
    p: usize,
    n: usize,
    kx: Vec<f64>,
    ky: f64,
    sx: Vec<f64>,
    sy: f64,
    sxx: Vec<f64>,
    sxy: Vec<f64>,
}

impl GramAcc {
    /// An empty accumulator for `p` columns.
    pub fn new(p: usize) -> Self {
        GramAcc {
            p,
            n: 0,
            kx: vec![0.0; p],
            ky: 0.0,
            sx: vec![0.0; p],
            sy: 0.0,
            sxx: vec![0.0; p * p],
            sxy: vec![0.0; p],
        }
    }

    /// Adds rows (repeats allowed).
    pub fn add(&mut self, cols: &[&[f64]], y: &[f64], rows: impl Iterator<Item = usize>) {
        let p = self.p;
        let mut d = vec![0.0; p];
        for r in rows {
            if self.n == 0 {
                for (k, c) in self.kx.iter_mut().zip(cols) {
                    *k = c[r];
                }
                self.ky = y[r];
            }
            self.n += 1;
            let dy = y[r] - self.ky;
            self.sy += dy;
            for j in 0..p {
                d[j] = cols[j][r] - self.kx[j];
            }
            for j in 0..p {
                let dj = d[j];
                self.sx[j] += dj;
                self.sxy[j] += dj * dy;
                let row = &mut self.sxx[j * p..j * p + j + 1];
                for (s, dk) in row.iter_mut().zip(&d) {
                    *s += dj * dk;
                }
            }
        }
    }

    /// The standardised statistics of the rows added so far.
    pub fn gram(&self) -> Gram {
        let p = self.p;
        let n = self.n.max(1) as f64;
        let mut mean = Vec::with_capacity(p);
        let mut sd = Vec::with_capacity(p);
        let mut constant = Vec::with_capacity(p);
        for j in 0..p {
            let m = self.sx[j] / n;
            let var = (self.sxx[j * p + j] / n - m * m).max(0.0);
            let scale = self.kx[j] + m;
            let is_const = var <= 1e-24 * (1.0 + scale * scale);
            mean.push(scale);
            sd.push(if is_const { 1.0 } else { var.sqrt() });
            constant.push(is_const);
        }
        let mut g = vec![0.0; p * p];
        let mut c = vec![0.0; p];
        let my = self.sy / n;
        for j in 0..p {
            if constant[j] {
                continue;
            }
            let mj = self.sx[j] / n;
            c[j] = (self.sxy[j] / n - mj * my) / sd[j];
            for k in 0..=j {
                if constant[k] {
                    continue;
                }
                let v = (self.sxx[j * p + k] / n - mj * self.sx[k] / n) / (sd[j] * sd[k]);
                g[j * p + k] = v;
                g[k * p + j] = v;
            }
        }
        Gram {
            p,
            mean,
            sd,
            ybar: self.ky + my,
            g,
            c,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_sums_match_a_two_pass_computation_even_with_a_large_mean() {
        let n = 60;
        let x1: Vec<f64> = (0..n).map(|t| 1e6 + (t as f64 * 0.37).sin()).collect();
        let x2: Vec<f64> = (0..n).map(|t| ((t * 7) % 11) as f64).collect();
        let flat = vec![5.0; n];
        let y: Vec<f64> = (0..n)
            .map(|t| 1e7 + 3.0 * x2[t] + (t as f64 * 0.11).cos())
            .collect();
        let cols = [x1.as_slice(), x2.as_slice(), flat.as_slice()];
        let mut acc = GramAcc::new(3);
        acc.add(&cols, &y, 0..25);
        acc.add(&cols, &y, 25..n);
        let g = acc.gram();
        // Two-pass: centre, scale by the population sd, average the products.
        let mean = |v: &[f64]| v.iter().sum::<f64>() / n as f64;
        let (m1, m2, my) = (mean(&x1), mean(&x2), mean(&y));
        let sd = |v: &[f64], m: f64| {
            (v.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / n as f64).sqrt()
        };
        let (s1, s2) = (sd(&x1, m1), sd(&x2, m2));
        let cov = |a: &[f64], ma: f64, b: &[f64], mb: f64| {
            a.iter()
                .zip(b)
                .map(|(p, q)| (p - ma) * (q - mb))
                .sum::<f64>()
                / n as f64
        };
        let close = |a: f64, b: f64| (a - b).abs() < 1e-8 * (1.0 + b.abs());
        assert!(close(g.g[1], cov(&x1, m1, &x2, m2) / (s1 * s2)));
        assert!(close(g.g[0], 1.0) && close(g.g[4], 1.0));
        assert!(
            close(g.c[0], cov(&x1, m1, &y, my) / s1) && close(g.c[1], cov(&x2, m2, &y, my) / s2)
        );
        assert!(close(g.ybar, my) && close(g.mean[0], m1));
        // The constant column is all zeros once centred, with scale 1.
        assert_eq!((g.g[8], g.c[2], g.sd[2]), (0.0, 0.0, 1.0));
        // Same as the one-shot helper on the row list.
        let rows: Vec<usize> = (0..n).collect();
        assert_eq!(gram(&cols, &y, &rows).g.len(), 9);
        assert!(close(gram(&cols, &y, &rows).c[1], g.c[1]));
    }
}

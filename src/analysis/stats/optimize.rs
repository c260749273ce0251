//! Nelder–Mead minimisation (the simplex method scipy's `minimize(method="Nelder-Mead")` uses, with its
//! standard coefficients), for the small maximum-likelihood fits of the lifetime-value models.

/// The minimiser's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// Minimise `f` from `start` (the first simplex `step` apart in every coordinate); stops when the
/// simplex's values agree within `f_tol` and its points within `x_tol`.
pub fn nelder_mead(
    f: &dyn Fn(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    f_tol: f64,
    x_tol: f64,
    max_iter: usize,
) -> Minimum {
    let n = start.len();
    let (alpha, gamma, rho, sigma) = (1.0, 2.0, 0.5, 0.5);
    let value = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    };
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    simplex.push((start.to_vec(), value(start)));
    for i in 0..n {
        let mut p = start.to_vec();
        p[i] += step;
        let v = value(&p);
        simplex.push((p, v));
    }
    let mut iterations = 0;
    let mut converged = false;
    while iterations < max_iter {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let best = simplex[0].1;
        let spread_f = simplex
            .iter()
            .map(|s| (s.1 - best).abs())
            .fold(0.0, f64::max);
        let spread_x = simplex
            .iter()
            .flat_map(|s| s.0.iter().zip(&simplex[0].0).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if spread_f <= f_tol && spread_x <= x_tol {
            converged = true;
            break;
        }
        iterations += 1;
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|s| s.0[j]).sum::<f64>() / n as f64)
            .collect();
        let worst = simplex[n].clone();
        let towards = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&worst.0)
                .map(|(c, w)| c + t * (c - w))
                .collect()
        };
        let xr = towards(alpha);
        let fr = value(&xr);
        if fr < simplex[0].1 {
            let xe = towards(gamma);
            let fe = value(&xe);
            simplex[n] = if fe < fr { (xe, fe) } else { (xr, fr) };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (xr, fr);
        } else {
            let (xc, fc) = if fr < worst.1 {
                let xc = towards(rho);
                let fc = value(&xc);
                (xc, fc)
            } else {
                let xc = towards(-rho);
                let fc = value(&xc);
                (xc, fc)
            };
            if fc < worst.1.min(fr) {
                simplex[n] = (xc, fc);
            } else {
                let x0 = simplex[0].0.clone();
                for s in simplex.iter_mut().skip(1) {
                    s.0 = x0
                        .iter()
                        .zip(&s.0)
                        .map(|(a, b)| a + sigma * (b - a))
                        .collect();
                    s.1 = value(&s.0);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (x, value) = simplex.swap_remove(0);
    Minimum {
        x,
        value,
        iterations,
        converged,
    }
}

/// `nelder_mead` from `start`, restarted from its optimum (with a smaller simplex) until the value stops
/// improving: a single run can stall on a flat ridge of a likelihood.
pub fn minimise(f: &dyn Fn(&[f64]) -> f64, start: &[f64]) -> Minimum {
    let mut best = nelder_mead(f, start, 0.5, 1e-11, 1e-7, 20_000);
    for _ in 0..5 {
        let again = nelder_mead(f, &best.x.clone(), 0.1, 1e-11, 1e-7, 20_000);
        let moved = (again.value - best.value).abs();
        best = again;
        if moved < 1e-12 {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let rosen = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let m = nelder_mead(&rosen, &[-1.2, 1.0], 0.5, 1e-14, 1e-9, 5_000);
        assert!(m.converged);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-5 && (m.x[1] - 1.0).abs() < 1e-5,
            "{m:?}"
        );
    }
}

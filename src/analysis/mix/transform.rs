//! Media transforms: geometric adstock, spend scaling, Hill saturation and the response curve built on them.
//!
//! **Adstock form.** Robyn's unnormalised geometric adstock, truncated at `max_lag`:
//! `a_t = Σ_{l=0}^{min(L,t)} θ^l · x_{t−l}` (the recursion `a_t = x_t + θ·a_{t−1}` with lags beyond L
//! dropped). Spend before week 0 is taken as zero. PyMC-Marketing's `geometric_adstock(normalize=True)`
//! divides the weights by `Σ θ^l`; because the adstocked series is then divided by its own maximum
//! (below), both forms give *identical* model features, so the choice only matters for reading `a_t`.
//!
//! **Scaling.** Each channel's adstocked series is divided by its maximum over all weeks (spend only, so
//! no KPI information leaks into CV): `z_t = a_t / max_s a_s ∈ [0, 1]`. Hill's γ is therefore a fraction
//! of the channel's scaled range: γ = 0.5 means half saturation at half the peak adstocked level.

/// Geometric adstock `a_t = Σ_{l=0}^{min(L,t)} θ^l x_{t−l}` (unnormalised, truncated at `max_lag`).
pub fn adstock(x: &[f64], theta: f64, max_lag: usize) -> Vec<f64> {
    let mut weights = Vec::with_capacity(max_lag + 1);
    let mut w = 1.0;
    for _ in 0..=max_lag {
        weights.push(w);
        w *= theta;
    }
    let mut out = vec![0.0; x.len()];
    for (t, o) in out.iter_mut().enumerate() {
        let mut acc = 0.0;
        for (l, &wl) in weights.iter().enumerate().take(t + 1) {
            acc += wl * x[t - l];
        }
        *o = acc;
    }
    out
}

/// Sum of the adstock weights `Σ_{l=0}^{L} θ^l`: the steady-state adstock of one unit spent every week.
pub fn adstock_weight_sum(theta: f64, max_lag: usize) -> f64 {
    let mut w = 1.0;
    let mut s = 0.0;
    for _ in 0..=max_lag {
        s += w;
        w *= theta;
    }
    s
}

/// Adstock then scale by the maximum: returns `(z, scale)` with `z_t = a_t / scale`, `scale = max a_t`.
/// A channel with no spend at all gets `scale = 1` and `z = 0` (validation rejects such channels).
pub fn scaled_adstock(x: &[f64], theta: f64, max_lag: usize) -> (Vec<f64>, f64) {
    let mut a = adstock(x, theta, max_lag);
    let max = a.iter().copied().fold(0.0_f64, f64::max);
    let scale = if max > 0.0 { max } else { 1.0 };
    for v in &mut a {
        *v /= scale;
    }
    (a, scale)
}

/// Adstock half-life in weeks, `ln 0.5 / ln θ` (0 for θ = 0): weeks until a unit of spend's effect halves.
/// Truncation at `max_lag` is ignored here.
pub fn half_life(theta: f64) -> f64 {
    if theta <= 0.0 {
        0.0
    } else {
        0.5_f64.ln() / theta.ln()
    }
}

/// Hill saturation `x^α / (x^α + γ^α)` for `x ≥ 0`, written as `1 / (1 + (γ/x)^α)` for stability.
pub fn hill(x: f64, alpha: f64, gamma: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else {
        1.0 / (1.0 + (gamma / x).powf(alpha))
    }
}

/// Inverse of [`hill`]: the `x` at which the curve reaches `s ∈ [0, 1)`, `γ·(s/(1−s))^{1/α}`.
/// `None` outside `[0, 1)` (the curve never reaches 1).
pub fn hill_inverse(s: f64, alpha: f64, gamma: f64) -> Option<f64> {
    if (0.0..1.0).contains(&s) && alpha > 0.0 {
        Some(gamma * (s / (1.0 - s)).powf(1.0 / alpha))
    } else {
        None
    }
}

/// Steady weekly spend at which the Hill curve is at half its maximum: constant spend `s` gives
/// adstock `s·Σθ^l`, scaled `s·Σθ^l / scale`, and that equals γ at `s = γ·scale / Σθ^l`.
pub fn half_saturation_spend(theta: f64, gamma: f64, scale: f64, max_lag: usize) -> f64 {
    gamma * scale / adstock_weight_sum(theta, max_lag)
}

/// One channel's modelled response to a uniform scaling `k` of its weekly spend over the period:
/// `R(k) = β Σ_t hill(k·z_t)` (adstock is linear, so scaling spend by k scales `z` by k).
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseCurve {
    /// Channel name.
    pub name: String,
    /// Scaled adstock `z_t` of the actual spend, every week of the period.
    pub z: Vec<f64>,
    /// Hill shape α.
    pub alpha: f64,
    /// Hill half-saturation γ (scaled units).
    pub gamma: f64,
    /// Media coefficient β (KPI units at full saturation).
    pub beta: f64,
    /// Actual total spend over the period.
    pub spend: f64,
}

impl ResponseCurve {
    /// `Σ_t hill(k·z_t)` (response per unit of β).
    pub fn shape(&self, k: f64) -> f64 {
        self.z
            .iter()
            .map(|&z| hill(k * z, self.alpha, self.gamma))
            .sum()
    }

    /// Modelled contribution `β Σ_t hill(k·z_t)` with the spend scaled by `k`.
    pub fn response(&self, k: f64) -> f64 {
        self.beta * self.shape(k)
    }

    /// `d/dk Σ_t hill(k·z_t)`: uses `x·h'(x) = α·h·(1−h)`, so it is `Σ_t α h_t (1−h_t) / k`.
    pub fn shape_slope(&self, k: f64) -> f64 {
        if k <= 0.0 {
            // The limit at 0: finite (and zero) only for α > 1; use a tiny k instead.
            return self.shape_slope(1e-9);
        }
        let s: f64 = self
            .z
            .iter()
            .map(|&z| {
                let h = hill(k * z, self.alpha, self.gamma);
                self.alpha * h * (1.0 - h)
            })
            .sum();
        s / k
    }

    /// Marginal ROAS at spend multiplier `k`: extra KPI per extra unit of spend, `β·dshape/dk / spend`.
    pub fn marginal_roas(&self, k: f64) -> f64 {
        if self.spend > 0.0 {
            self.beta * self.shape_slope(k) / self.spend
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn adstock_hand_worked() {
        // θ = 0.5, L = 2: a0 = 10; a1 = 0 + 5 = 5; a2 = 0 + 0 + 2.5 = 2.5; a3 = 4 + 0 + 0 = 4 (10 is 3 lags back);
        // a4 = 0 + 2 + 0 = 2.
        let a = adstock(&[10.0, 0.0, 0.0, 4.0, 0.0], 0.5, 2);
        assert_eq!(a, vec![10.0, 5.0, 2.5, 4.0, 2.0]);
        // With L large it is the plain recursion a_t = x_t + θ a_{t−1}.
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0];
        let full = adstock(&x, 0.6, 50);
        let mut prev = 0.0;
        for (t, &xt) in x.iter().enumerate() {
            prev = xt + 0.6 * prev;
            assert!(close(full[t], prev, 1e-14));
        }
        // θ = 0 is the identity.
        assert_eq!(adstock(&x, 0.0, 8), x.to_vec());
    }

    #[test]
    fn adstock_matches_numpy_reference() {
        // reference/adstock_hill_ref.py, case 1: x = [100, 0, 50, 0, 0, 80, 20, 0], θ = 0.7, L = 3
        // (unnormalised convolution with np.convolve, truncated to the series length).
        let x = [100.0, 0.0, 50.0, 0.0, 0.0, 80.0, 20.0, 0.0];
        let expect = [100.0, 70.0, 99.0, 69.3, 24.5, 97.15, 76.0, 53.2];
        let got = adstock(&x, 0.7, 3);
        for (g, e) in got.iter().zip(expect) {
            assert!(close(*g, e, 1e-12), "{g} vs {e}");
        }
        // Normalised (PyMC normalize=True) adstock divided by its max equals ours divided by its max.
        let (z, scale) = scaled_adstock(&x, 0.7, 3);
        assert!(close(scale, 100.0, 1e-12));
        let norm: Vec<f64> = expect
            .iter()
            .map(|v| v / adstock_weight_sum(0.7, 3))
            .collect();
        let nmax = norm.iter().copied().fold(0.0, f64::max);
        for (a, b) in z.iter().zip(&norm) {
            assert!(close(*a, b / nmax, 1e-12));
        }
    }

    #[test]
    fn hill_hand_worked_and_inverse() {
        // At x = γ the curve is at 1/2 whatever α.
        assert!(close(hill(0.4, 2.7, 0.4), 0.5, 1e-15));
        // α = 2, γ = 0.5, x = 1: 1 / (1 + 0.25) = 0.8.
        assert!(close(hill(1.0, 2.0, 0.5), 0.8, 1e-15));
        // α = 1, γ = 3, x = 1: 1/4.
        assert!(close(hill(1.0, 1.0, 3.0), 0.25, 1e-15));
        // numpy reference case 2: x = 0.3, α = 1.7, γ = 0.55 -> 0.263000580319.
        assert!(close(hill(0.3, 1.7, 0.55), 0.263_000_580_319, 1e-11));
        // numpy reference case 3: Σ hill(adstock(x, θ = 0.4, L = 5) / max, α = 2.2, γ = 0.35).
        let x = [100.0, 0.0, 50.0, 0.0, 0.0, 80.0, 20.0, 0.0];
        let (z, _) = scaled_adstock(&x, 0.4, 5);
        let curve = ResponseCurve {
            name: "c".into(),
            z,
            alpha: 2.2,
            gamma: 0.35,
            beta: 1.0,
            spend: 250.0,
        };
        assert!(close(curve.shape(1.0), 4.541_366_360_916, 1e-11));
        assert_eq!(hill(0.0, 0.5, 0.3), 0.0);
        for &(a, g) in &[(0.5, 0.3), (1.0, 0.7), (3.0, 1.0)] {
            for &s in &[0.0, 0.1, 0.5, 0.9, 0.999] {
                let x = hill_inverse(s, a, g).unwrap_or(f64::NAN);
                assert!(close(hill(x, a, g), s, 1e-12));
            }
            assert_eq!(hill_inverse(0.5, a, g), Some(g));
            assert_eq!(hill_inverse(1.0, a, g), None);
        }
    }

    #[test]
    fn half_life_and_half_saturation_spend() {
        assert!(close(half_life(0.5), 1.0, 1e-15));
        assert!(close(half_life(0.5_f64.sqrt()), 2.0, 1e-14));
        assert_eq!(half_life(0.0), 0.0);
        // Constant spend at the half-saturation level reaches z = γ once the lags fill in.
        let (theta, gamma, lag) = (0.6, 0.4, 6);
        let x: Vec<f64> = (0..40)
            .map(|t| if t < 20 { 100.0 } else { 300.0 })
            .collect();
        let (z, scale) = scaled_adstock(&x, theta, lag);
        let s = half_saturation_spend(theta, gamma, scale, lag);
        let steady = adstock(&vec![s; 30], theta, lag);
        assert!(close(steady[29] / scale, gamma, 1e-12));
        assert!(z.iter().all(|v| (0.0..=1.0).contains(v)));
    }

    #[test]
    fn marginal_roas_matches_finite_difference() {
        for &alpha in &[0.6, 1.0, 2.5] {
            let c = ResponseCurve {
                name: "c".into(),
                z: vec![0.1, 0.5, 0.9, 0.0, 0.3],
                alpha,
                gamma: 0.45,
                beta: 120.0,
                spend: 900.0,
            };
            let h = 1e-6;
            let fd = (c.response(1.0 + h) - c.response(1.0 - h)) / (2.0 * h) / c.spend;
            assert!(
                close(c.marginal_roas(1.0), fd, 1e-6),
                "{} vs {fd}",
                c.marginal_roas(1.0)
            );
        }
    }
}

//! Uncertainty by a moving-block bootstrap of the training weeks: B resamples of consecutive-week blocks
//! (keeping the autocorrelation within a block), each refitted with the hyperparameters and λ held at
//! the chosen values, so only the coefficients are redrawn (one small solve per replicate). Intervals are
//! percentile intervals, 90% by default (5th and 95th percentiles): with B = 200 the 5% tails hold 10
//! draws each, which is steadier than 95% intervals' 5. Hyperparameter uncertainty is not included, so
//! the intervals are somewhat narrow (see the coverage test in `tests/coverage.rs`).

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use super::fit::{FitResult, Problem};
use super::transform::ResponseCurve;
use super::MixError;

/// Bootstrap settings.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapConfig {
    /// Number of replicates B.
    pub replicates: usize,
    /// Block length in weeks (None = `round(n^{1/3})` of the training weeks, kept within 4..=8).
    pub block_len: Option<usize>,
    /// Central coverage of the percentile intervals.
    pub level: f64,
}

impl Default for BootstrapConfig {
    fn default() -> Self {
        BootstrapConfig {
            replicates: 200,
            block_len: None,
            level: 0.9,
        }
    }
}

impl BootstrapConfig {
    /// Checks the settings.
    pub fn validate(&self) -> Result<(), MixError> {
        let bad = |setting, value, expected| {
            Err(MixError::InvalidSetting {
                setting,
                value,
                expected,
            })
        };
        if !(20..=100_000).contains(&self.replicates) {
            return bad(
                "bootstrap replicates",
                self.replicates as f64,
                "between 20 and 100000",
            );
        }
        if !(self.level > 0.5 && self.level < 1.0) {
            return bad("bootstrap level", self.level, "above 0.5 and below 1");
        }
        match self.block_len {
            Some(b) if b == 0 || b > 52 => {
                bad("bootstrap block_len", b as f64, "between 1 and 52 weeks")
            }
            _ => Ok(()),
        }
    }
}

/// A percentile interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower end (the (1 − level)/2 percentile).
    pub lo: f64,
    /// Upper end (the (1 + level)/2 percentile).
    pub hi: f64,
    /// Nominal central coverage, e.g. 0.9.
    pub level: f64,
}

impl Interval {
    /// Whether `v` lies inside (inclusive).
    pub fn contains(&self, v: f64) -> bool {
        self.lo <= v && v <= self.hi
    }
}

/// Bootstrap draws of the media coefficients (one `Vec` of β_c per successful replicate).
#[derive(Debug, Clone, PartialEq)]
pub struct Bootstrap {
    /// Media coefficients β_c of each successful replicate.
    pub draws: Vec<Vec<f64>>,
    /// Block length used, in weeks.
    pub block_len: usize,
    /// Central coverage of the intervals derived from the draws.
    pub level: f64,
}

/// Linear-interpolation quantile (numpy's default "linear" method) of sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let i = pos.floor() as usize;
    let frac = pos - i as f64;
    match sorted.get(i + 1) {
        Some(&next) => sorted[i] + frac * (next - sorted[i]),
        None => sorted[i],
    }
}

/// Central percentile interval of `values` at `level`.
pub fn percentile_interval(values: &[f64], level: f64) -> Interval {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    Interval {
        lo: quantile(&v, tail),
        hi: quantile(&v, 1.0 - tail),
        level,
    }
}

/// Row indices of one moving-block resample of `0..n`: blocks of `block` consecutive weeks with
/// uniform starts in `0..=n−block`, concatenated and cut to `n` rows.
pub fn block_rows(n: usize, block: usize, rng: &mut Xoshiro256PlusPlus) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let block = block.clamp(1, n);
    let mut rows = Vec::with_capacity(n + block);
    while rows.len() < n {
        let start = rng.gen_range(0..=n - block);
        rows.extend(start..start + block);
    }
    rows.truncate(n);
    rows
}

/// Default block length: `round(n^{1/3})` clamped to 4..=8 weeks.
pub fn default_block_len(n: usize) -> usize {
    ((n as f64).cbrt().round() as usize).clamp(4, 8)
}

/// Runs the bootstrap for a fitted model (deterministic for `seed`; replicate b has its own stream).
pub fn bootstrap(
    problem: &Problem,
    fit: &FitResult,
    cfg: &BootstrapConfig,
    seed: u64,
) -> Result<Bootstrap, MixError> {
    cfg.validate()?;
    let media = problem.media(&fit.hyper);
    let cols = problem.columns(&media);
    let n = problem.split.train;
    let block = cfg.block_len.unwrap_or_else(|| default_block_len(n)).min(n);
    let nb = problem.baseline.columns.len();
    let draws: Vec<Vec<f64>> = (0..cfg.replicates as u64)
        .into_par_iter()
        .filter_map(|b| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(
                seed ^ b.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            let rows = block_rows(n, block, &mut rng);
            problem
                .fit_rows(&cols, &rows, fit.lambda)
                .ok()
                .map(|c| c.beta[nb..].to_vec())
        })
        .collect();
    if draws.is_empty() {
        return Err(MixError::Numerical);
    }
    Ok(Bootstrap {
        draws,
        block_len: block,
        level: cfg.level,
    })
}

impl Bootstrap {
    fn per_channel<F: Fn(&[f64]) -> Vec<f64>>(&self, channels: usize, f: F) -> Vec<Interval> {
        let values: Vec<Vec<f64>> = self.draws.iter().map(|d| f(d)).collect();
        (0..channels)
            .map(|c| {
                percentile_interval(
                    &values.iter().map(|v| v[c]).collect::<Vec<f64>>(),
                    self.level,
                )
            })
            .collect()
    }

    /// Intervals of each channel's total contribution over the curves' period.
    pub fn contribution_intervals(&self, curves: &[ResponseCurve]) -> Vec<Interval> {
        let shapes: Vec<f64> = curves.iter().map(|c| c.shape(1.0)).collect();
        self.per_channel(curves.len(), |beta| {
            beta.iter().zip(&shapes).map(|(b, s)| b * s).collect()
        })
    }

    /// Intervals of each channel's share of the total media contribution (0 for a zero total).
    pub fn share_intervals(&self, curves: &[ResponseCurve]) -> Vec<Interval> {
        let shapes: Vec<f64> = curves.iter().map(|c| c.shape(1.0)).collect();
        self.per_channel(curves.len(), |beta| {
            let contrib: Vec<f64> = beta.iter().zip(&shapes).map(|(b, s)| b * s).collect();
            let total: f64 = contrib.iter().sum();
            contrib
                .iter()
                .map(|c| if total > 0.0 { c / total } else { 0.0 })
                .collect()
        })
    }

    /// Intervals of each channel's ROAS (contribution / spend).
    pub fn roas_intervals(&self, curves: &[ResponseCurve]) -> Vec<Interval> {
        let per: Vec<f64> = curves
            .iter()
            .map(|c| {
                if c.spend > 0.0 {
                    c.shape(1.0) / c.spend
                } else {
                    0.0
                }
            })
            .collect();
        self.per_channel(curves.len(), |beta| {
            beta.iter().zip(&per).map(|(b, p)| b * p).collect()
        })
    }

    /// Interval of the modelled KPI change when channel c's spend is scaled by `multipliers[c]`.
    pub fn change_interval(&self, curves: &[ResponseCurve], multipliers: &[f64]) -> Interval {
        let delta: Vec<f64> = curves
            .iter()
            .zip(multipliers)
            .map(|(c, &k)| c.shape(k) - c.shape(1.0))
            .collect();
        let values: Vec<f64> = self
            .draws
            .iter()
            .map(|beta| beta.iter().zip(&delta).map(|(b, d)| b * d).sum())
            .collect();
        percentile_interval(&values, self.level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_matches_numpy_linear() {
        // np.quantile([1, 2, 3, 4, 10], [0.05, 0.5, 0.95]) = [1.2, 3.0, 8.8]
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile(&v, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.95) - 8.8).abs() < 1e-12);
        let i = percentile_interval(&[10.0, 4.0, 3.0, 2.0, 1.0, f64::NAN], 0.9);
        assert!((i.lo - 1.2).abs() < 1e-12 && (i.hi - 8.8).abs() < 1e-12);
    }

    #[test]
    fn blocks_are_consecutive_and_sized() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let rows = block_rows(50, 6, &mut rng);
        assert_eq!(rows.len(), 50);
        assert!(rows.iter().all(|&r| r < 50));
        for chunk in rows.chunks(6) {
            assert!(chunk.windows(2).all(|w| w[1] == w[0] + 1), "{chunk:?}");
        }
        assert_eq!(default_block_len(180), 6);
        assert_eq!(default_block_len(20), 4);
        assert_eq!(default_block_len(5000), 8);
    }
}

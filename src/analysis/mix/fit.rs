//! Fits the regression for fixed hyperparameters: media features `hill(adstock(x)/scale)`, baseline
//! columns, λ picked on rolling-origin CV, then one fit on all training weeks.

use super::data::{validate, MixData, Split};
use super::design::{baseline, Baseline};
use super::solve::{gram, solve, solve_with_hint, Coefs, Gram, GramAcc};
use super::transform::{hill, scaled_adstock, ResponseCurve};
use super::{MixConfig, MixError};

/// One channel's media hyperparameters: adstock decay θ ∈ [0, 1), Hill shape α > 0 and Hill
/// half-saturation γ > 0 (in scaled units, a fraction of the channel's peak adstocked spend).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyper {
    /// Geometric adstock decay θ ∈ [0, 1).
    pub theta: f64,
    /// Hill shape α > 0 (≤ 1 concave, > 1 S-shaped).
    pub alpha: f64,
    /// Hill half-saturation γ > 0, as a fraction of the peak adstocked spend.
    pub gamma: f64,
}

/// Validated data with everything that does not depend on the hyperparameters, built once.
#[derive(Debug, Clone)]
pub struct Problem<'a> {
    /// The validated data.
    pub data: &'a MixData,
    /// The model settings.
    pub config: &'a MixConfig,
    /// Training / CV / holdout weeks.
    pub split: Split,
    /// Baseline columns for all weeks.
    pub baseline: Baseline,
    /// max − min of the KPI over the training weeks (NRMSE denominator on CV).
    pub train_range: f64,
    /// Each channel's spend over the training weeks (spend shares of DECOMP.RSSD).
    pub train_spend: Vec<f64>,
}

/// Media features for one set of hyperparameters, every week: scaled adstock `z`, its scale and
/// `features = hill(z)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    /// Scaled adstock per channel per week.
    pub z: Vec<Vec<f64>>,
    /// Per-channel maximum of the adstocked spend (the divisor of `z`).
    pub scale: Vec<f64>,
    /// `hill(z)` per channel per week.
    pub features: Vec<Vec<f64>>,
}

/// A fitted model for fixed hyperparameters. Series cover all N weeks (holdout weeks are predictions).
#[derive(Debug, Clone, PartialEq)]
pub struct FitResult {
    /// Hyperparameters used, one per channel.
    pub hyper: Vec<Hyper>,
    /// Ridge penalty chosen on CV.
    pub lambda: f64,
    /// Pooled CV NRMSE at `lambda`.
    pub cv_nrmse: f64,
    /// Fitted intercept (KPI per week with every other term at zero).
    pub intercept: f64,
    /// Names of the baseline terms after the intercept (trend, sin/cos, controls).
    pub baseline_names: Vec<String>,
    /// Coefficients of `baseline_names`, in their column units.
    pub baseline_coef: Vec<f64>,
    /// β_c ≥ 0 per channel: KPI per week at full saturation.
    pub media_coef: Vec<f64>,
    /// Modelled KPI per week.
    pub fitted: Vec<f64>,
    /// Intercept + trend + seasonality + controls, per week.
    pub baseline: Vec<f64>,
    /// β_c · hill(z_ct), per channel per week.
    pub contributions: Vec<Vec<f64>>,
    /// Per-channel response curves over all weeks (used by the report and the optimiser).
    pub curves: Vec<ResponseCurve>,
    /// Per-channel scale of the adstocked spend (its maximum).
    pub scale: Vec<f64>,
}

impl<'a> Problem<'a> {
    /// Validates the data and builds the baseline and the week split.
    pub fn new(data: &'a MixData, config: &'a MixConfig) -> Result<Self, MixError> {
        let split = validate(data, config)?;
        let baseline = baseline(
            split.weeks,
            config.fourier_order,
            &data.controls,
            split.train,
        );
        let train = &data.kpi[..split.train];
        let hi = train.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lo = train.iter().copied().fold(f64::INFINITY, f64::min);
        let train_spend = data
            .channels
            .iter()
            .map(|c| c.spend[..split.train].iter().sum())
            .collect();
        Ok(Problem {
            data,
            config,
            split,
            baseline,
            train_range: hi - lo,
            train_spend,
        })
    }

    /// Number of channels.
    pub fn channels(&self) -> usize {
        self.data.channels.len()
    }

    /// Checks hyperparameters: one per channel, θ ∈ [0, 1), α > 0, γ > 0, all finite.
    pub fn check_hyper(&self, hyper: &[Hyper]) -> Result<(), MixError> {
        if hyper.len() != self.channels() {
            return Err(MixError::ChannelCount {
                got: hyper.len(),
                expected: self.channels(),
            });
        }
        for h in hyper {
            let bad = |setting, value, expected| {
                Err(MixError::InvalidSetting {
                    setting,
                    value,
                    expected,
                })
            };
            if !(h.theta.is_finite() && (0.0..1.0).contains(&h.theta)) {
                return bad("theta", h.theta, "in [0, 1)");
            }
            if !(h.alpha.is_finite() && h.alpha > 0.0) {
                return bad("alpha", h.alpha, "positive");
            }
            if !(h.gamma.is_finite() && h.gamma > 0.0) {
                return bad("gamma", h.gamma, "positive");
            }
        }
        Ok(())
    }

    /// Media features for `hyper` (assumed checked).
    pub fn media(&self, hyper: &[Hyper]) -> Media {
        let mut m = Media {
            z: vec![],
            scale: vec![],
            features: vec![],
        };
        for (ch, h) in self.data.channels.iter().zip(hyper) {
            let (z, scale) = scaled_adstock(&ch.spend, h.theta, self.config.max_lag);
            m.features
                .push(z.iter().map(|&v| hill(v, h.alpha, h.gamma)).collect());
            m.z.push(z);
            m.scale.push(scale);
        }
        m
    }

    /// Design columns: baseline terms, then one media feature per channel.
    pub fn columns<'b>(&'b self, media: &'b Media) -> Vec<&'b [f64]> {
        let base = self.baseline.columns.iter().map(|c| c.as_slice());
        base.chain(media.features.iter().map(|c| c.as_slice()))
            .collect()
    }

    /// Sign constraints matching [`Problem::columns`]: baseline free, media ≥ 0.
    pub fn nonneg(&self) -> Vec<bool> {
        let b = self.baseline.columns.len();
        (0..b + self.channels()).map(|j| j >= b).collect()
    }

    /// Fits on `rows` at penalty `lambda`.
    pub fn fit_rows(
        &self,
        cols: &[&[f64]],
        rows: &[usize],
        lambda: f64,
    ) -> Result<Coefs, MixError> {
        solve(&gram(cols, &self.data.kpi, rows), lambda, &self.nonneg())
    }

    /// Rolling-origin CV over the configured λ grid: returns `(λ, pooled NRMSE)` of the best λ (ties to
    /// the larger λ, i.e. the smoother model) and the Gram statistics of all training weeks, ready for
    /// the final fit.
    pub fn cv_lambda(&self, cols: &[&[f64]]) -> Result<(f64, f64, Gram), MixError> {
        let lambdas = &self.config.lambdas;
        let y = &self.data.kpi;
        let mut sse = vec![0.0; lambdas.len()];
        let mut count = 0usize;
        let nonneg = self.nonneg();
        let mut hint: Option<Vec<bool>> = None;
        let mut acc = GramAcc::new(cols.len());
        let mut added = 0;
        for &(fit_end, valid_end) in &self.split.folds {
            acc.add(cols, y, added..fit_end);
            added = fit_end;
            let g = acc.gram();
            for (s, &l) in sse.iter_mut().zip(lambdas) {
                let (coefs, support) = solve_with_hint(&g, l, &nonneg, hint.as_deref())?;
                hint = Some(support);
                *s += (fit_end..valid_end)
                    .map(|t| (y[t] - coefs.predict(cols, t)).powi(2))
                    .sum::<f64>();
            }
            count += valid_end - fit_end;
        }
        acc.add(cols, y, added..self.split.train);
        let mut best = (lambdas[0], f64::INFINITY);
        for (&l, &s) in lambdas.iter().zip(&sse) {
            let nrmse = (s / count.max(1) as f64).sqrt() / self.train_range;
            if nrmse < best.1 || (nrmse == best.1 && l > best.0) {
                best = (l, nrmse);
            }
        }
        if best.1.is_finite() {
            Ok((best.0, best.1, acc.gram()))
        } else {
            Err(MixError::Numerical)
        }
    }
}

/// Fits for fixed hyperparameters: λ on CV, then all training weeks at that λ.
pub fn fit_with(problem: &Problem, hyper: &[Hyper]) -> Result<FitResult, MixError> {
    problem.check_hyper(hyper)?;
    let media = problem.media(hyper);
    let cols = problem.columns(&media);
    let (lambda, cv_nrmse, train) = problem.cv_lambda(&cols)?;
    let coefs = solve(&train, lambda, &problem.nonneg())?;
    Ok(assemble(problem, hyper, media, &coefs, lambda, cv_nrmse))
}

/// Builds the full result from coefficients (fitted values, baseline, contributions, curves).
pub fn assemble(
    problem: &Problem,
    hyper: &[Hyper],
    media: Media,
    coefs: &Coefs,
    lambda: f64,
    cv_nrmse: f64,
) -> FitResult {
    let nb = problem.baseline.columns.len();
    let n = problem.split.weeks;
    let baseline_coef = coefs.beta[..nb].to_vec();
    let media_coef = coefs.beta[nb..].to_vec();
    let baseline: Vec<f64> = (0..n)
        .map(|t| {
            let terms = problem
                .baseline
                .columns
                .iter()
                .zip(&baseline_coef)
                .map(|(c, b)| b * c[t]);
            coefs.intercept + terms.sum::<f64>()
        })
        .collect();
    let contributions: Vec<Vec<f64>> = media
        .features
        .iter()
        .zip(&media_coef)
        .map(|(f, b)| f.iter().map(|v| b * v).collect())
        .collect();
    let fitted = (0..n)
        .map(|t| baseline[t] + contributions.iter().map(|c| c[t]).sum::<f64>())
        .collect();
    let curves = problem
        .data
        .channels
        .iter()
        .zip(hyper)
        .zip(media.z)
        .zip(&media_coef)
        .map(|(((ch, h), z), &beta)| ResponseCurve {
            name: ch.name.clone(),
            z,
            alpha: h.alpha,
            gamma: h.gamma,
            beta,
            spend: ch.spend.iter().sum(),
        })
        .collect();
    FitResult {
        hyper: hyper.to_vec(),
        lambda,
        cv_nrmse,
        intercept: coefs.intercept,
        baseline_names: problem.baseline.names[1..].to_vec(),
        baseline_coef,
        media_coef,
        fitted,
        baseline,
        contributions,
        curves,
        scale: media.scale,
    }
}

#[cfg(test)]
mod tests {
    use super::super::synth::{generate, SynthSpec};
    use super::*;

    #[test]
    fn true_hyperparameters_give_a_close_fit_and_nonnegative_media() {
        let s = generate(&SynthSpec::standard(156, 4, 3));
        let config = MixConfig::default();
        let problem = Problem::new(&s.data, &config).expect("valid");
        let fit = fit_with(&problem, &s.truth.hyper).expect("fit");
        assert!(fit.media_coef.iter().all(|&b| b >= 0.0));
        // Each channel's fitted total contribution is within 1.5% of the total KPI of the generator's
        // (independent truth), and the biggest channels within 15% of their own size.
        let kpi: f64 = s.data.kpi.iter().sum();
        for (c, truth) in fit.contributions.iter().zip(&s.truth.contributions) {
            let (a, b): (f64, f64) = (c.iter().sum(), truth.iter().sum());
            assert!((a - b).abs() < 0.015 * kpi, "{a} vs {b}");
            if b > 0.05 * kpi {
                assert!((a - b).abs() < 0.15 * b, "{a} vs {b}");
            }
        }
        // Fitted = baseline + Σ contributions, week by week.
        for t in 0..156 {
            let sum = fit.baseline[t] + fit.contributions.iter().map(|c| c[t]).sum::<f64>();
            assert!((fit.fitted[t] - sum).abs() < 1e-9 * (1.0 + sum.abs()));
        }
        assert!(config.lambdas.contains(&fit.lambda));
    }

    #[test]
    fn bad_hyperparameters_are_rejected() {
        let s = generate(&SynthSpec::standard(100, 2, 1));
        let config = MixConfig::default();
        let problem = Problem::new(&s.data, &config).expect("valid");
        let mut h = s.truth.hyper.clone();
        h[0].theta = 1.0;
        assert!(matches!(
            fit_with(&problem, &h),
            Err(MixError::InvalidSetting {
                setting: "theta",
                ..
            })
        ));
        assert!(matches!(
            fit_with(&problem, &h[..1]),
            Err(MixError::ChannelCount {
                got: 1,
                expected: 2
            })
        ));
    }
}

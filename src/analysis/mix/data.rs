//! Model inputs, their validation, and the split of weeks into training, CV folds and holdout.

use super::{MixConfig, MixError};

/// One paid channel: its name and spend per week (same weeks as the KPI).
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    /// Channel name as shown to the analyst.
    pub name: String,
    /// Spend per week (≥ 0, finite).
    pub spend: Vec<f64>,
}

/// One control variable (price, promotions, macro index...): standardised before fitting.
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    /// Control name as shown to the analyst.
    pub name: String,
    /// Value per week (finite, not constant over the training weeks).
    pub values: Vec<f64>,
}

/// Weekly data, oldest week first. Weeks are never reordered.
#[derive(Debug, Clone, PartialEq)]
pub struct MixData {
    /// The KPI y_t (sales, sign-ups...), one value per week.
    pub kpi: Vec<f64>,
    /// Paid channels, each with one spend per week.
    pub channels: Vec<Channel>,
    /// Control variables, each with one value per week (may be empty).
    pub controls: Vec<Control>,
}

/// Which weeks each step may see. All ranges are half-open week indices.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Total weeks N.
    pub weeks: usize,
    /// Weeks 0..train are fitted; train..weeks are the holdout.
    pub train: usize,
    /// Rolling-origin folds `(fit_end, valid_end)`: fit on 0..fit_end, validate on fit_end..valid_end.
    pub folds: Vec<(usize, usize)>,
}

/// Number of estimated quantities: baseline coefficients (intercept, trend, 2K Fourier, controls), one
/// media coefficient and three hyperparameters (θ, α, γ) per channel.
pub fn parameter_count(channels: usize, controls: usize, fourier_order: usize) -> usize {
    2 + 2 * fourier_order + controls + 4 * channels
}

/// Minimum weeks: 3 observations per estimated quantity, and never fewer than 78 (a year and a half,
/// so that yearly seasonality is seen more than once and the CV folds still fit a full year).
pub fn weeks_needed(channels: usize, controls: usize, fourier_order: usize) -> usize {
    (3 * parameter_count(channels, controls, fourier_order)).max(78)
}

fn setting(
    ok: bool,
    setting: &'static str,
    value: f64,
    expected: &'static str,
) -> Result<(), MixError> {
    if ok {
        Ok(())
    } else {
        Err(MixError::InvalidSetting {
            setting,
            value,
            expected,
        })
    }
}

/// Checks a configuration's ranges.
pub fn validate_config(c: &MixConfig) -> Result<(), MixError> {
    setting(
        c.max_lag <= 52,
        "max_lag",
        c.max_lag as f64,
        "at most 52 weeks",
    )?;
    setting(
        c.fourier_order <= 6,
        "fourier_order",
        c.fourier_order as f64,
        "between 0 and 6",
    )?;
    let h = c.holdout_fraction;
    setting(
        (0.0..=0.4).contains(&h),
        "holdout_fraction",
        h,
        "between 0 and 0.4",
    )?;
    setting(
        (1..=10).contains(&c.cv_folds),
        "cv_folds",
        c.cv_folds as f64,
        "between 1 and 10",
    )?;
    let v = c.cv_fraction;
    setting(
        v > 0.0 && v <= 0.6,
        "cv_fraction",
        v,
        "above 0 and at most 0.6",
    )?;
    setting(!c.lambdas.is_empty(), "lambdas", 0.0, "a non-empty list")?;
    for &l in &c.lambdas {
        setting(
            l.is_finite() && l > 0.0,
            "lambdas",
            l,
            "positive and finite",
        )?;
    }
    let w = c.rssd_weight;
    setting(w.is_finite() && w >= 0.0, "rssd_weight", w, "zero or more")?;
    c.search.validate()?;
    c.bootstrap.validate()
}

fn finite(series: &str, values: &[f64]) -> Result<(), MixError> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(week) => Err(MixError::NonFinite {
            series: series.to_string(),
            week,
        }),
        None => Ok(()),
    }
}

fn same_len(series: &str, len: usize, expected: usize) -> Result<(), MixError> {
    if len == expected {
        Ok(())
    } else {
        Err(MixError::LengthMismatch {
            series: series.to_string(),
            len,
            expected,
        })
    }
}

/// Checks the data against the configuration (lengths, finiteness, spend, weeks needed, constants).
pub fn validate(data: &MixData, config: &MixConfig) -> Result<Split, MixError> {
    validate_config(config)?;
    if data.channels.is_empty() {
        return Err(MixError::NoChannels);
    }
    let n = data.kpi.len();
    finite("KPI", &data.kpi)?;
    for ch in &data.channels {
        same_len(&ch.name, ch.spend.len(), n)?;
        finite(&ch.name, &ch.spend)?;
        if let Some(week) = ch.spend.iter().position(|&s| s < 0.0) {
            return Err(MixError::NegativeSpend {
                channel: ch.name.clone(),
                week,
            });
        }
    }
    for c in &data.controls {
        same_len(&c.name, c.values.len(), n)?;
        finite(&c.name, &c.values)?;
    }
    let params = parameter_count(
        data.channels.len(),
        data.controls.len(),
        config.fourier_order,
    );
    let needed = weeks_needed(
        data.channels.len(),
        data.controls.len(),
        config.fourier_order,
    );
    if n < needed {
        return Err(MixError::TooFewWeeks {
            weeks: n,
            needed,
            parameters: params,
        });
    }
    let split = split(n, config);
    for ch in &data.channels {
        if ch.spend[..split.train].iter().all(|&s| s == 0.0) {
            return Err(MixError::ZeroSpend {
                channel: ch.name.clone(),
                weeks: split.train,
            });
        }
    }
    let train = &data.kpi[..split.train];
    let first = train[0];
    if train.iter().all(|&v| v == first) {
        return Err(MixError::ConstantKpi { value: first });
    }
    for c in &data.controls {
        let v = &c.values[..split.train];
        if v.iter().all(|&x| x == v[0]) {
            return Err(MixError::ConstantControl {
                control: c.name.clone(),
            });
        }
    }
    Ok(split)
}

/// Splits N weeks: the last `holdout_fraction` (rounded) are the holdout; the last `cv_fraction` of the
/// training weeks are cut into `cv_folds` consecutive validation blocks, each validated by a fit on all
/// weeks before it (expanding window); the first fold fits at least 52 weeks (if that leaves two
/// weeks per fold; else half the training weeks). Needs
/// `weeks >= 78`, which [`validate`] guarantees.
pub fn split(weeks: usize, config: &MixConfig) -> Split {
    let holdout = (weeks as f64 * config.holdout_fraction).round() as usize;
    let train = weeks - holdout.min(weeks / 2);
    let valid = ((train as f64 * config.cv_fraction).round() as usize).max(config.cv_folds);
    let k = config.cv_folds;
    // The first fold fits at least a year when that leaves 2+ weeks per fold, else half the weeks.
    let min_fit = if train >= 52 + 2 * k { 52 } else { train / 2 };
    let start = train
        .saturating_sub(valid)
        .max(min_fit)
        .min(train.saturating_sub(k));
    let folds = (0..k)
        .map(|i| {
            (
                start + (train - start) * i / k,
                start + (train - start) * (i + 1) / k,
            )
        })
        .collect();
    Split {
        weeks,
        train,
        folds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_expanding_and_covers_the_last_training_weeks() {
        let s = split(200, &MixConfig::default());
        assert_eq!(s.train, 180); // 10% of 200 held out
                                  // 50% of 180 = 90 validation weeks in 6 blocks of 15, ending at the last training week.
        let starts: Vec<usize> = (0..6).map(|i| 90 + 15 * i).collect();
        let expect: Vec<(usize, usize)> = starts.iter().map(|&a| (a, a + 15)).collect();
        assert_eq!(s.folds, expect);
        // Short series: the first fold still fits 52 weeks (80 weeks -> 72 train -> 20 validated);
        // shorter still, half the training weeks.
        let short = split(80, &MixConfig::default());
        assert_eq!(
            (short.train, short.folds[0].0, short.folds[5].1),
            (72, 52, 72)
        );
        let shorter = split(70, &MixConfig::default());
        assert_eq!((shorter.train, shorter.folds[0].0), (63, 31));
    }

    #[test]
    fn weeks_needed_rule() {
        // 5 channels, 1 control, K = 2: 2 + 4 + 1 + 20 = 27 quantities -> 81 weeks.
        assert_eq!(parameter_count(5, 1, 2), 27);
        assert_eq!(weeks_needed(5, 1, 2), 81);
        assert_eq!(weeks_needed(1, 0, 2), 78);
    }
}

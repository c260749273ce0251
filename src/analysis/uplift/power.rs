//! Sample size for a two-proportion test: rows per arm (equal arms) to detect an absolute lift `mde`
//! over a baseline rate p₁ with a two-sided test at level α and the given power.
//!
//! Formula (pooled variance under H₀, unpooled under H₁; e.g. Fleiss, *Statistical Methods for Rates
//! and Proportions*, without continuity correction), with p₂ = p₁ + mde and p̄ = (p₁ + p₂)/2:
//!
//! n = (z₁₋α/₂ · √(2 p̄ (1 − p̄)) + z₁₋β · √(p₁(1 − p₁) + p₂(1 − p₂)))² / mde², rounded up.
//!
//! statsmodels' `NormalIndPower().solve_power(effect_size=proportion_effectsize(p2, p1), ...)` uses
//! Cohen's arcsine h instead and lands slightly lower: for baseline 0.10, mde 0.01, α 0.05, power 0.8
//! it gives 14,744.10 → 14,745 rows per arm, where this formula gives 14,750.79 → 14,751 (0.04% more;
//! `reference/power_reference.py` prints both).

use super::UpliftError;
use crate::analysis::stats::dist::normal_quantile;

/// Unrounded n of the formula above (rows per arm).
///
/// Errors: baseline, p₂ = baseline + mde, alpha or power outside (0, 1); mde 0 or not finite; an n too
/// large for a row count.
pub fn required_rows(baseline: f64, mde: f64, alpha: f64, power: f64) -> Result<f64, UpliftError> {
    let unit = |what: &'static str, value: f64| {
        if value > 0.0 && value < 1.0 {
            Ok(())
        } else {
            Err(UpliftError::InvalidProbability { what, value })
        }
    };
    unit("baseline rate", baseline)?;
    if !mde.is_finite() || mde == 0.0 {
        return Err(UpliftError::ZeroEffect { mde });
    }
    let target = baseline + mde;
    unit("target rate (baseline + minimum detectable effect)", target)?;
    unit("significance level alpha", alpha)?;
    unit("power", power)?;
    let (p1, p2) = (baseline, target);
    let mean = (p1 + p2) / 2.0;
    let z_alpha = normal_quantile(1.0 - alpha / 2.0);
    let z_beta = normal_quantile(power);
    let spread = z_alpha * (2.0 * mean * (1.0 - mean)).sqrt()
        + z_beta * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    let rows = spread * spread / (mde * mde);
    if !rows.is_finite() || rows > u64::MAX as f64 {
        return Err(UpliftError::SampleTooLarge { rows });
    }
    Ok(rows)
}

/// Rows per arm: [`required_rows`] rounded up.
pub fn rows_per_arm(baseline: f64, mde: f64, alpha: f64, power: f64) -> Result<u64, UpliftError> {
    // `as` saturates, and required_rows has checked the range.
    required_rows(baseline, mde, alpha, power).map(|rows| rows.ceil() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::uplift::tests::assert_close;

    #[test]
    fn matches_the_hand_formula_in_python() {
        // reference/power_reference.py, the formula with scipy.stats.norm.ppf; n to 1e-12 relative,
        // the ceiling exactly.
        let cases = [
            ((0.10, 0.01, 0.05, 0.8), 14750.790469044938, 14751),
            ((0.05, 0.005, 0.05, 0.9), 41812.21294888752, 41813),
            ((0.30, -0.03, 0.01, 0.8), 5287.187689135615, 5288),
            ((0.02, 0.002, 0.10, 0.8), 63552.55072311039, 63553),
            ((0.5, 0.1, 0.05, 0.5), 190.15221162435915, 191),
        ];
        for ((p1, mde, alpha, power), exact, ceil) in cases {
            assert_close(
                "n",
                required_rows(p1, mde, alpha, power).unwrap(),
                exact,
                1e-12,
            );
            assert_eq!(rows_per_arm(p1, mde, alpha, power), Ok(ceil));
        }
    }

    #[test]
    fn is_a_little_above_statsmodels_cohens_h() {
        // NormalIndPower().solve_power(effect_size=proportion_effectsize(0.11, 0.10), alpha=0.05,
        // power=0.8) = 14744.104836925611 -> 14745; this formula asks for 6 rows more.
        let n = rows_per_arm(0.10, 0.01, 0.05, 0.8).unwrap();
        assert_eq!(n - 14_745, 6);
    }

    #[test]
    fn every_error_path() {
        let bad =
            |what: &'static str, value: f64| Err(UpliftError::InvalidProbability { what, value });
        assert_eq!(
            rows_per_arm(0.0, 0.01, 0.05, 0.8),
            bad("baseline rate", 0.0)
        );
        assert_eq!(
            rows_per_arm(1.2, 0.01, 0.05, 0.8),
            bad("baseline rate", 1.2)
        );
        assert_eq!(
            rows_per_arm(0.1, 0.0, 0.05, 0.8),
            Err(UpliftError::ZeroEffect { mde: 0.0 })
        );
        assert!(matches!(
            rows_per_arm(0.1, f64::NAN, 0.05, 0.8),
            Err(UpliftError::ZeroEffect { .. })
        ));
        let target = "target rate (baseline + minimum detectable effect)";
        assert_eq!(rows_per_arm(0.95, 0.05, 0.05, 0.8), bad(target, 1.0));
        assert_eq!(
            rows_per_arm(0.05, -0.06, 0.05, 0.8),
            bad(target, 0.05 - 0.06)
        );
        assert_eq!(
            rows_per_arm(0.1, 0.01, 0.0, 0.8),
            bad("significance level alpha", 0.0)
        );
        assert_eq!(
            rows_per_arm(0.1, 0.01, 1.0, 0.8),
            bad("significance level alpha", 1.0)
        );
        assert_eq!(rows_per_arm(0.1, 0.01, 0.05, 1.0), bad("power", 1.0));
        assert_eq!(rows_per_arm(0.1, 0.01, 0.05, -0.2), bad("power", -0.2));
        assert!(matches!(
            rows_per_arm(0.1, 1e-200, 0.05, 0.8),
            Err(UpliftError::SampleTooLarge { .. })
        ));
    }
}

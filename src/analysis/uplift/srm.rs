//! Sample-ratio mismatch: a chi-square goodness-of-fit test of the rows each arm received against the
//! planned split (equal by default), as `scipy.stats.chisquare(observed, expected)` computes it. A
//! p-value below [`SRM_ALPHA`] means the assignment is broken and the readout should not be trusted.

use super::UpliftError;
use crate::analysis::stats::dist::chi2_sf;

/// p-value below which the split is flagged as a mismatch (the usual, deliberately strict, 0.001).
pub const SRM_ALPHA: f64 = 0.001;

/// The goodness-of-fit result.
#[derive(Debug, Clone, PartialEq)]
pub struct Srm {
    /// Σ (observed − expected)² / expected.
    pub statistic: f64,
    /// Degrees of freedom: arms − 1.
    pub df: usize,
    /// P(χ²_df > statistic).
    pub p_value: f64,
    /// Rows each arm should have received under the plan.
    pub expected: Vec<f64>,
    /// `p_value < SRM_ALPHA`.
    pub mismatch: bool,
}

/// Tests the observed rows per arm against `planned_shares` (any positive weights, rescaled to sum to
/// 1; `None` means an equal split). An arm with no rows is allowed: it is the most blatant mismatch.
///
/// Errors: fewer than two arms, a share count that differs from the arm count, a share that is not a
/// positive finite number, or no rows at all.
pub fn srm<S: AsRef<str>>(
    arm_names: &[S],
    observed: &[usize],
    planned_shares: Option<&[f64]>,
) -> Result<Srm, UpliftError> {
    if arm_names.len() < 2 || observed.len() < 2 {
        return Err(UpliftError::TooFewArms {
            arms: arm_names.iter().map(|n| n.as_ref().to_string()).collect(),
        });
    }
    if observed.len() != arm_names.len() {
        return Err(UpliftError::LengthMismatch {
            column: "rows per arm".to_string(),
            expected: arm_names.len(),
            found: observed.len(),
        });
    }
    let equal = vec![1.0; observed.len()];
    let shares = planned_shares.unwrap_or(&equal);
    if shares.len() != observed.len() {
        return Err(UpliftError::SharesMismatch {
            shares: shares.len(),
            arms: observed.len(),
        });
    }
    for (name, &share) in arm_names.iter().zip(shares) {
        if !(share.is_finite() && share > 0.0) {
            return Err(UpliftError::InvalidShare {
                arm: name.as_ref().to_string(),
                share,
            });
        }
    }
    let total: usize = observed.iter().sum();
    if total == 0 {
        return Err(UpliftError::NoRows);
    }
    let share_sum: f64 = shares.iter().sum();
    let expected: Vec<f64> = shares
        .iter()
        .map(|s| total as f64 * s / share_sum)
        .collect();
    let statistic = observed
        .iter()
        .zip(&expected)
        .map(|(&o, &e)| (o as f64 - e) * (o as f64 - e) / e)
        .sum();
    let df = observed.len() - 1;
    let p_value = chi2_sf(statistic, df as f64);
    Ok(Srm {
        statistic,
        df,
        p_value,
        expected,
        mismatch: p_value < SRM_ALPHA,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::uplift::tests::assert_close;

    // Reference: reference/srm_reference.py, scipy 1.17 `scipy.stats.chisquare`.
    #[test]
    fn equal_split_matches_scipy_chisquare() {
        // chisquare([5_120, 4_880]): statistic 5.76, p 0.01639507184919225
        let r = srm(&["control", "email"], &[5_120, 4_880], None).unwrap();
        assert_close("statistic", r.statistic, 5.76, 1e-13);
        assert_close("p", r.p_value, 0.01639507184919225, 1e-12);
        assert_eq!((r.df, r.mismatch), (1, false));
        assert_eq!(r.expected, [5_000.0, 5_000.0]);
    }

    #[test]
    fn planned_shares_match_scipy_chisquare() {
        // shares 2:1:1 = chisquare([5_300, 2_400, 2_300], f_exp=[5_000, 2_500, 2_500]):
        // statistic 38.0, p 5.602796437537276e-09
        let r = srm(
            &["control", "a", "b"],
            &[5_300, 2_400, 2_300],
            Some(&[2.0, 1.0, 1.0]),
        )
        .unwrap();
        assert_close("statistic", r.statistic, 38.0, 1e-13);
        assert_close("p", r.p_value, 5.602796437537276e-09, 1e-12);
        assert_eq!((r.df, r.mismatch), (2, true));
        assert_eq!(r.expected, [5_000.0, 2_500.0, 2_500.0]);
    }

    #[test]
    fn an_arm_with_no_rows_is_a_mismatch() {
        // chisquare([40, 0]): statistic 40.0, p 2.5396285894708634e-10
        let r = srm(&["control", "email"], &[40, 0], None).unwrap();
        assert_close("statistic", r.statistic, 40.0, 1e-15);
        assert_close("p", r.p_value, 2.5396285894708634e-10, 1e-12);
        assert!(r.mismatch);
    }

    #[test]
    fn every_error_path() {
        let two = ["control", "email"];
        let none: Option<&[f64]> = None;
        assert_eq!(
            srm(&["control"], &[10], none),
            Err(UpliftError::TooFewArms {
                arms: vec!["control".into()]
            })
        );
        assert!(matches!(
            srm(&two, &[1, 2, 3], none),
            Err(UpliftError::LengthMismatch { .. })
        ));
        assert_eq!(
            srm(&two, &[10, 10], Some(&[1.0])),
            Err(UpliftError::SharesMismatch { shares: 1, arms: 2 })
        );
        assert_eq!(
            srm(&two, &[10, 10], Some(&[1.0, -0.5])),
            Err(UpliftError::InvalidShare {
                arm: "email".into(),
                share: -0.5
            })
        );
        assert!(matches!(
            srm(&two, &[10, 10], Some(&[f64::NAN, 1.0])),
            Err(UpliftError::InvalidShare { .. })
        ));
        assert_eq!(srm(&two, &[0, 0], none), Err(UpliftError::NoRows));
    }
}

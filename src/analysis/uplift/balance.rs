//! Covariate balance: the standardised mean difference of a pre-treatment column between each treated
//! arm and the control, (mean_t − mean_c) / √((var_t + var_c) / 2) with sample variances (ddof = 1),
//! flagged when |SMD| > [`SMD_THRESHOLD`]. A flagged covariate means the arms differed before the
//! campaign, so a raw lift may be partly that difference (CUPED on that covariate helps).

use super::arms::{split_by_arm, Moments};
use super::UpliftError;

/// |SMD| above which a covariate is flagged as imbalanced (the usual 0.1).
pub const SMD_THRESHOLD: f64 = 0.1;

/// One treated arm against the control on one covariate.
#[derive(Debug, Clone, PartialEq)]
pub struct Balance {
    /// Covariate column name.
    pub covariate: String,
    /// Index of the treated arm (≥ 1).
    pub arm: usize,
    /// Its label.
    pub name: String,
    /// Covariate mean in the treated arm.
    pub mean_treated: f64,
    /// Covariate mean in the control.
    pub mean_control: f64,
    /// Standardised mean difference. When the covariate is constant within both arms it is 0 if the two
    /// constants are equal and ±∞ (flagged) if they differ; never NaN.
    pub smd: f64,
    /// |smd| > SMD_THRESHOLD.
    pub imbalanced: bool,
}

/// SMD of `covariate` for each treated arm against the control (arm 0); `arm_of_row` indexes
/// `arm_names` as in [`super::readout::readout`].
///
/// Errors: fewer than two arms, lengths that differ, an arm index out of range, a non-finite value, or
/// an arm with fewer than two rows.
pub fn balance<S: AsRef<str>>(
    arm_names: &[S],
    arm_of_row: &[usize],
    covariate_name: &str,
    covariate: &[f64],
) -> Result<Vec<Balance>, UpliftError> {
    let groups = split_by_arm(arm_names, arm_of_row, covariate_name, covariate)?;
    let control = Moments::of(&groups[0]);
    Ok(groups
        .iter()
        .enumerate()
        .skip(1)
        .map(|(arm, group)| {
            let treated = Moments::of(group);
            let smd = standardized_mean_difference(&treated, &control);
            Balance {
                covariate: covariate_name.to_string(),
                arm,
                name: arm_names[arm].as_ref().to_string(),
                mean_treated: treated.mean,
                mean_control: control.mean,
                smd,
                imbalanced: smd.abs() > SMD_THRESHOLD,
            }
        })
        .collect())
}

/// (mean_t − mean_c) / √((var_t + var_c) / 2); 0 or ±∞ when the pooled variance is 0.
fn standardized_mean_difference(treated: &Moments, control: &Moments) -> f64 {
    let difference = treated.mean - control.mean;
    let pooled_sd = ((treated.variance + control.variance) / 2.0).sqrt();
    if pooled_sd > 0.0 {
        difference / pooled_sd
    } else if difference == 0.0 {
        0.0
    } else {
        f64::INFINITY.copysign(difference)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::uplift::tests::{assert_close, cuped_rows};

    #[test]
    fn smd_matches_numpy_on_generated_rows() {
        // reference/balance_reference.py: numpy (t.mean() - c.mean()) / sqrt((t.var(ddof=1) +
        // c.var(ddof=1)) / 2) on cuped_rows(600, seed=7); 1e-12 relative.
        let (arms, _, x1, x2) = cuped_rows(600, 7);
        let names = ["control", "one", "two"];
        let b1 = balance(&names, &arms, "x1", &x1).unwrap();
        assert_close("x1 arm 1", b1[0].smd, -0.021443223449275944, 1e-12);
        assert_close("x1 arm 2", b1[1].smd, -0.09561741846582365, 1e-12);
        assert_close("x1 mean 1", b1[0].mean_treated, 14.890541706749294, 1e-14);
        assert_close("x1 mean 0", b1[0].mean_control, 14.997679269462855, 1e-14);
        assert!(!b1[0].imbalanced && !b1[1].imbalanced);
        let b2 = balance(&names, &arms, "x2", &x2).unwrap();
        assert_close("x2 arm 1", b2[0].smd, -0.09705469115527728, 1e-12);
        assert_close("x2 arm 2", b2[1].smd, -0.1709179437257484, 1e-12);
        assert!(!b2[0].imbalanced && b2[1].imbalanced);
        assert_eq!(
            (b2[1].arm, b2[1].name.as_str(), b2[1].covariate.as_str()),
            (2, "two", "x2")
        );
    }

    #[test]
    fn smd_matches_numpy_inline() {
        // Same script, "inline smd": 1.1041048949477665.
        let control = [3.0, 4.0, 5.0, 6.0, 2.5, 4.5];
        let treated = [4.0, 5.5, 6.0, 7.0, 5.0];
        let arms: Vec<usize> = [vec![0; 6], vec![1; 5]].concat();
        let values = [control.as_slice(), treated.as_slice()].concat();
        let b = balance(&["control", "email"], &arms, "visits", &values).unwrap();
        assert_close("smd", b[0].smd, 1.1041048949477665, 1e-13);
        assert!(b[0].imbalanced);
    }

    #[test]
    fn zero_pooled_variance_gives_zero_or_flagged_infinity() {
        let arms = [0, 0, 1, 1];
        let same = balance(&["c", "t"], &arms, "x", &[2.0, 2.0, 2.0, 2.0]).unwrap();
        assert_eq!((same[0].smd, same[0].imbalanced), (0.0, false));
        let lower = balance(&["c", "t"], &arms, "x", &[2.0, 2.0, 1.0, 1.0]).unwrap();
        assert_eq!(
            (lower[0].smd, lower[0].imbalanced),
            (f64::NEG_INFINITY, true)
        );
        let higher = balance(&["c", "t"], &arms, "x", &[2.0, 2.0, 3.0, 3.0]).unwrap();
        assert_eq!((higher[0].smd, higher[0].imbalanced), (f64::INFINITY, true));
    }

    #[test]
    fn every_error_path() {
        let two = ["control", "email"];
        assert!(matches!(
            balance(&["c"], &[0, 0], "x", &[1.0, 2.0]),
            Err(UpliftError::TooFewArms { .. })
        ));
        assert!(matches!(
            balance(&two, &[0, 1], "x", &[1.0]),
            Err(UpliftError::LengthMismatch { .. })
        ));
        assert!(matches!(
            balance(&two, &[0, 5], "x", &[1.0, 2.0]),
            Err(UpliftError::ArmOutOfRange { .. })
        ));
        assert_eq!(
            balance(&two, &[0, 0, 1, 1], "x", &[1.0, 2.0, f64::INFINITY, 1.0]),
            Err(UpliftError::NotFinite {
                column: "x".into(),
                row: 2
            })
        );
        assert_eq!(
            balance(
                &["control", "email", "sms"],
                &[0, 0, 1, 1],
                "x",
                &[1.0, 2.0, 3.0, 4.0]
            ),
            Err(UpliftError::EmptyArm { arm: "sms".into() })
        );
        assert_eq!(
            balance(&two, &[0, 1, 1], "x", &[1.0, 2.0, 3.0]),
            Err(UpliftError::TooFewRows {
                arm: "control".into(),
                rows: 1
            })
        );
    }
}

//! Figures from `reference/cuped_reference.py`: θ from numpy `lstsq` on the centred covariates (checked
//! there against statsmodels OLS with an intercept), the adjusted readout from scipy
//! `ttest_ind(equal_var=False)` and `confidence_interval(0.95)`, all on `cuped_rows(600, seed=7)`.

use super::*;
use crate::analysis::uplift::tests::{assert_close, cuped_rows};

const NAMES: [&str; 3] = ["control", "one", "two"];

/// Reference per arm: theta, adjusted (lift, t, p, df, ci_low, ci_high), ci_width_ratio,
/// variance_reduction.
struct Want {
    theta: &'static [f64],
    adjusted: [f64; 6],
    ci_width_ratio: f64,
    variance_reduction: f64,
}

fn check(got: &CupedLift, want: &Want) {
    // θ and the ratios 1e-11 relative; p-value and interval 1e-10 (t tail and quantile).
    for (g, w) in got.theta.iter().zip(want.theta) {
        assert_close("theta", *g, *w, 1e-11);
    }
    assert_eq!(got.theta.len(), want.theta.len());
    let a = &got.adjusted;
    let [lift, t, p, df, lo, hi] = want.adjusted;
    assert_close("adjusted lift", a.lift, lift, 1e-11);
    assert_close("adjusted t", a.statistic, t, 1e-11);
    assert_close("adjusted p", a.p_value, p, 1e-10);
    assert_close("adjusted df", a.df.unwrap_or(f64::NAN), df, 1e-11);
    assert_close("adjusted ci low", a.ci_low, lo, 1e-10);
    assert_close("adjusted ci high", a.ci_high, hi, 1e-10);
    assert_close(
        "ci width ratio",
        got.ci_width_ratio,
        want.ci_width_ratio,
        1e-10,
    );
    assert_close(
        "variance reduction",
        got.variance_reduction,
        want.variance_reduction,
        1e-11,
    );
}

#[test]
fn one_covariate_matches_numpy_and_scipy() {
    let (arms, y, x1, _) = cuped_rows(600, 7);
    let r = cuped(&NAMES, &arms, "y", &y, &[("x1", &x1)]).unwrap();
    assert_eq!(r.covariates, ["x1"]);
    check(
        &r.lifts[0],
        &Want {
            theta: &[0.9912478676462536],
            adjusted: [
                1.5942683558199242,
                6.281877458236413,
                1.0323704076874065e-09,
                337.0287490622688,
                1.0950593206225752,
                2.0934773910172733,
            ],
            ci_width_ratio: 0.4479727939828777,
            variance_reduction: 0.7778623432577363,
        },
    );
    check(
        &r.lifts[1],
        &Want {
            theta: &[0.9827542963812141],
            adjusted: [
                0.3127271830637923,
                1.275494864943836,
                0.20288907564368275,
                392.21323157919886,
                -0.16930633187299365,
                0.7947606980005784,
            ],
            ci_width_ratio: 0.4637000314566759,
            variance_reduction: 0.7839297725127143,
        },
    );
    // The unadjusted side is the plain Welch readout (scipy: ci (0.3737, 2.6024), p 0.00902).
    assert_close(
        "unadjusted ci low",
        r.lifts[0].unadjusted.ci_low,
        0.37369491973667057,
        1e-10,
    );
    assert_close(
        "unadjusted p",
        r.lifts[0].unadjusted.p_value,
        0.00902365477328859,
        1e-10,
    );
}

#[test]
fn two_covariates_match_numpy_and_scipy() {
    let (arms, y, x1, x2) = cuped_rows(600, 7);
    let r = cuped(&NAMES, &arms, "y", &y, &[("x1", &x1), ("x2", &x2)]).unwrap();
    check(
        &r.lifts[0],
        &Want {
            theta: &[0.8398763086342886, 0.4787793722665057],
            adjusted: [
                1.671292813599763,
                6.768908047902147,
                5.878511465724099e-11,
                332.5063075352543,
                1.185595512723674,
                2.156990114475852,
            ],
            ci_width_ratio: 0.43584783439945113,
            variance_reduction: 0.7883489676976183,
        },
    );
    check(
        &r.lifts[1],
        &Want {
            theta: &[0.8000262104699238, 0.5792241401659788],
            adjusted: [
                0.4237836804046644,
                1.8050864604573793,
                0.07182528604502281,
                393.566280184622,
                -0.037780305355690824,
                0.8853476661650197,
            ],
            ci_width_ratio: 0.4440090327420761,
            variance_reduction: 0.8007837772792492,
        },
    );
    assert_close(
        "unadjusted ci high",
        r.lifts[1].unadjusted.ci_high,
        0.8903147969935166,
        1e-10,
    );
}

#[test]
fn every_error_path() {
    let (arms, y, x1, x2) = cuped_rows(60, 3);
    assert_eq!(
        cuped(&NAMES, &arms, "y", &y, &[]),
        Err(UpliftError::NoCovariates)
    );
    assert!(matches!(
        cuped(&["control"], &arms, "y", &y, &[("x1", &x1)]),
        Err(UpliftError::TooFewArms { .. })
    ));
    assert_eq!(
        cuped(&NAMES, &arms, "y", &y, &[("x1", &x1[..59])]),
        Err(UpliftError::LengthMismatch {
            column: "x1".into(),
            expected: 60,
            found: 59
        })
    );
    let mut holes = x1.clone();
    holes[7] = f64::NAN;
    assert_eq!(
        cuped(&NAMES, &arms, "y", &y, &[("x1", &holes)]),
        Err(UpliftError::NotFinite {
            column: "x1".into(),
            row: 7
        })
    );
    // Exactly collinear: x2 = 2·x1 + 3 (the second covariate is the one reported).
    let collinear: Vec<f64> = x1.iter().map(|v| 2.0 * v + 3.0).collect();
    assert_eq!(
        cuped(
            &NAMES,
            &arms,
            "y",
            &y,
            &[("x1", &x1), ("x1 again", &collinear)]
        ),
        Err(UpliftError::CollinearCovariate {
            covariate: "x1 again".into(),
            control: "control".into(),
            treated: "one".into(),
        })
    );
    // A constant covariate.
    let constant = vec![4.0; 60];
    assert!(matches!(
        cuped(&NAMES, &arms, "y", &y, &[("flat", &constant), ("x2", &x2)]),
        Err(UpliftError::CollinearCovariate { ref covariate, .. }) if covariate == "flat"
    ));
    // Outcome constant within both arms (raw Welch fails).
    let two_arms: Vec<usize> = (0..6).map(|i| i % 2).collect();
    let flat_y = [5.0, 6.0, 5.0, 6.0, 5.0, 6.0];
    let x = [1.0, 2.0, 4.0, 3.0, 0.5, 7.0];
    assert!(matches!(
        cuped(&["c", "t"], &two_arms, "y", &flat_y, &[("x", &x)]),
        Err(UpliftError::ConstantOutcome { ref outcome, .. }) if outcome == "y"
    ));
    // The covariate explains the outcome exactly (y = 2x within each arm pooled): adjusted Welch fails.
    let exact_y: Vec<f64> = x.iter().map(|v| 2.0 * v).collect();
    assert!(matches!(
        cuped(&["c", "t"], &two_arms, "y", &exact_y, &[("x", &x)]),
        Err(UpliftError::ConstantOutcome { ref outcome, .. }) if outcome == "y (CUPED-adjusted)"
    ));
}

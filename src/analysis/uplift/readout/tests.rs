//! Figures from `reference/readout_reference.py` (statsmodels 0.15 `proportions_ztest` and
//! `confint_proportions_2indep(method="wald")`; scipy 1.17 `ttest_ind(equal_var=False)` and its
//! `confidence_interval(0.95)`).

use super::*;
use crate::analysis::uplift::tests::{assert_close, cuped_rows};

/// Row-wise arms and outcome from per-arm value lists, rows interleaved round-robin.
fn rows(groups: &[Vec<f64>]) -> (Vec<usize>, Vec<f64>) {
    let (mut arms, mut values) = (vec![], vec![]);
    let longest = groups.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..longest {
        for (arm, group) in groups.iter().enumerate() {
            if let Some(&v) = group.get(i) {
                arms.push(arm);
                values.push(v);
            }
        }
    }
    (arms, values)
}

fn conversions(rows: usize, ones: usize) -> Vec<f64> {
    (0..rows)
        .map(|i| if i < ones { 1.0 } else { 0.0 })
        .collect()
}

const CONTROL: [f64; 12] = [
    12.5, 0.0, 33.2, 8.75, 19.9, 0.0, 41.0, 15.25, 22.1, 5.5, 27.8, 9.99,
];
const TREATED_A: [f64; 15] = [
    18.0, 25.5, 0.0, 44.1, 30.25, 12.0, 51.3, 21.7, 16.6, 38.4, 0.0, 29.9, 35.0, 23.45, 19.8,
];
const TREATED_B: [f64; 9] = [14.2, 7.7, 26.0, 3.3, 18.8, 31.1, 11.4, 22.9, 9.0];

#[test]
fn binary_outcome_matches_statsmodels_z_test_and_wald_interval() {
    let (arms, y) = rows(&[
        conversions(1000, 87),
        conversions(1000, 112),
        conversions(800, 70),
    ]);
    let r = readout(&["control", "email", "sms"], &arms, "converted", &y).unwrap();
    assert_eq!(
        (r.kind, r.test),
        (OutcomeKind::Binary, TestKind::TwoProportionZ)
    );
    assert_eq!(
        r.arms.iter().map(|a| a.rows).collect::<Vec<_>>(),
        [1000, 1000, 800]
    );
    assert_close("control rate", r.arms[0].mean, 0.087, 1e-15);
    // (z, p, ci_low, ci_high, lift, relative, incremental) per treated arm; 1e-12 relative
    // (the p-value 1e-11: it goes through the normal tail).
    let want = [
        (
            1.8675473074820472,
            0.06182519691955238,
            -0.0012142526892816446,
            0.05121425268928166,
            0.02500000000000001,
            0.28735632183908055,
            25.000000000000007,
        ),
        (
            0.03735791610438619,
            0.9701996273134169,
            -0.02573978873257273,
            0.026739788732572732,
            0.0005000000000000004,
            0.005747126436781614,
            0.40000000000000036,
        ),
    ];
    for (lift, w) in r.lifts.iter().zip(want) {
        assert_eq!(lift.df, None);
        assert_close("z", lift.statistic, w.0, 1e-12);
        assert_close("p", lift.p_value, w.1, 1e-11);
        assert_close("ci low", lift.ci_low, w.2, 1e-12);
        assert_close("ci high", lift.ci_high, w.3, 1e-12);
        assert_close("lift", lift.lift, w.4, 1e-12);
        assert_close("relative", lift.relative_lift.unwrap(), w.5, 1e-12);
        assert_close("incremental", lift.incremental_total, w.6, 1e-12);
    }
}

#[test]
fn continuous_outcome_matches_scipy_welch() {
    let (arms, y) = rows(&[CONTROL.to_vec(), TREATED_A.to_vec(), TREATED_B.to_vec()]);
    let r = readout(&["control", "a", "b"], &arms, "revenue", &y).unwrap();
    assert_eq!((r.kind, r.test), (OutcomeKind::Continuous, TestKind::Welch));
    assert_close("control mean", r.arms[0].mean, 16.332500000000003, 1e-14);
    assert_close("control sd", r.arms[0].std_dev, 12.9155242212266, 1e-13);
    // (t, p, df, ci_low, ci_high, lift, relative, incremental); 1e-12 relative, 1e-10 for the
    // p-value and interval (they go through the t tail and quantile).
    let want = [
        (
            1.5245411563418936,
            0.14008613033492356,
            24.681224358795237,
            -2.8382176660996308,
            18.973217666099615,
            8.067499999999992,
            0.4939537731516908,
            121.01249999999987,
        ),
        (
            -0.059493681366488735,
            0.9531806995646385,
            18.984688192443166,
            -10.422579196281552,
            9.846468085170434,
            -0.28805555555555884,
            -0.017636954266374332,
            -2.5925000000000296,
        ),
    ];
    for (lift, w) in r.lifts.iter().zip(want) {
        assert_close("t", lift.statistic, w.0, 1e-12);
        assert_close("p", lift.p_value, w.1, 1e-10);
        assert_close("df", lift.df.unwrap(), w.2, 1e-12);
        assert_close("ci low", lift.ci_low, w.3, 1e-10);
        assert_close("ci high", lift.ci_high, w.4, 1e-10);
        assert_close("lift", lift.lift, w.5, 1e-12);
        assert_close("relative", lift.relative_lift.unwrap(), w.6, 1e-12);
        assert_close("incremental", lift.incremental_total, w.7, 1e-12);
    }
}

#[test]
fn generated_rows_match_scipy_welch() {
    // cuped_rows(600, seed=7), outcome only: rows [255, 160, 185].
    let (arms, y, _, _) = cuped_rows(600, 7);
    let r = readout(&["control", "one", "two"], &arms, "y", &y).unwrap();
    assert_eq!(
        r.arms.iter().map(|a| a.rows).collect::<Vec<_>>(),
        [255, 160, 185]
    );
    assert_close("mean 0", r.arms[0].mean, 18.49005163482078, 1e-13);
    // (t, p, df, ci_low, ci_high)
    let want = [
        (
            2.6270894570179384,
            0.00902365477328859,
            322.15376355266494,
            0.37369491973667057,
            2.602442030733905,
        ),
        (
            -0.2822202135228292,
            0.7779238945086071,
            391.23492162107414,
            -1.1887599592557638,
            0.8903147969935166,
        ),
    ];
    for (lift, w) in r.lifts.iter().zip(want) {
        assert_close("t", lift.statistic, w.0, 1e-11);
        assert_close("p", lift.p_value, w.1, 1e-10);
        assert_close("df", lift.df.unwrap(), w.2, 1e-11);
        assert_close("ci low", lift.ci_low, w.3, 1e-10);
        assert_close("ci high", lift.ci_high, w.4, 1e-10);
    }
}

#[test]
fn relative_lift_is_none_for_a_zero_control_mean() {
    // Control never converts; email does: the z-test still runs (pooled SE > 0), relative lift is None.
    let (arms, y) = rows(&[conversions(50, 0), conversions(50, 5)]);
    let r = readout(&["control", "email"], &arms, "converted", &y).unwrap();
    assert_eq!(r.lifts[0].relative_lift, None);
    assert_close("lift", r.lifts[0].lift, 0.1, 1e-15);
    assert!(r.lifts[0].p_value > 0.0 && r.lifts[0].p_value < 0.05);
}

#[test]
fn outcome_kind_is_binary_only_for_zeros_and_ones() {
    assert_eq!(outcome_kind(&[0.0, 1.0, 1.0]), OutcomeKind::Binary);
    assert_eq!(outcome_kind(&[0.0, 0.0]), OutcomeKind::Binary);
    assert_eq!(outcome_kind(&[0.0, 1.0, 2.0]), OutcomeKind::Continuous);
    assert_eq!(outcome_kind(&[0.5]), OutcomeKind::Continuous);
}

#[test]
fn every_error_path() {
    let two = ["control", "email"];
    assert_eq!(
        readout(&["control"], &[0, 0], "y", &[1.0, 0.0]),
        Err(UpliftError::TooFewArms {
            arms: vec!["control".into()]
        })
    );
    assert_eq!(
        readout(&two, &[0, 1, 1], "y", &[1.0, 0.0]),
        Err(UpliftError::LengthMismatch {
            column: "y".into(),
            expected: 3,
            found: 2
        })
    );
    assert_eq!(
        readout(&two, &[0, 2], "y", &[1.0, 0.0]),
        Err(UpliftError::ArmOutOfRange {
            row: 1,
            index: 2,
            arms: 2
        })
    );
    assert_eq!(
        readout(&two, &[0, 0, 1, 1], "y", &[1.0, f64::NAN, 0.0, 1.0]),
        Err(UpliftError::NotFinite {
            column: "y".into(),
            row: 1
        })
    );
    assert_eq!(
        readout(
            &["control", "email", "sms"],
            &[0, 0, 1, 1],
            "y",
            &[1.0, 0.0, 0.0, 1.0]
        ),
        Err(UpliftError::EmptyArm { arm: "sms".into() })
    );
    assert_eq!(
        readout(&two, &[0, 0, 1], "y", &[1.0, 0.0, 1.0]),
        Err(UpliftError::TooFewRows {
            arm: "email".into(),
            rows: 1
        })
    );
    // Binary, constant in both arms (0 vs 1): no variance to test.
    let constant = ConstantOutcomeCase {
        control: 0.0,
        treated: 1.0,
    };
    assert_eq!(constant.run(), Err(constant.error("converted")));
    // Continuous (Welch), constant in both arms.
    let constant = ConstantOutcomeCase {
        control: 20.0,
        treated: 35.5,
    };
    assert_eq!(constant.run(), Err(constant.error("converted")));
}

struct ConstantOutcomeCase {
    control: f64,
    treated: f64,
}

impl ConstantOutcomeCase {
    fn run(&self) -> Result<Readout, UpliftError> {
        let (c, t) = (self.control, self.treated);
        readout(
            &["control", "email"],
            &[0, 1, 0, 1],
            "converted",
            &[c, t, c, t],
        )
    }

    fn error(&self, outcome: &str) -> UpliftError {
        UpliftError::ConstantOutcome {
            outcome: outcome.into(),
            control: "control".into(),
            control_value: self.control,
            treated: "email".into(),
            treated_value: self.treated,
        }
    }
}

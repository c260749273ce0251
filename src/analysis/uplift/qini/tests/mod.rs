//! Checks against scikit-uplift 0.5.1: the figures in `sklift_figures` are the output of
//! `reference/qini_reference.py`. Here: a 40-row numpy dataset with heavy ties (and −0.0 tied with
//! 0.0) and every error path; `generated` has 2,000 rows from the generator in
//! `crate::analysis::uplift::tests` (mirrored by `reference/gen.py`).

mod generated;
mod sklift_figures;

use super::*;
use sklift_figures::*;

/// |got − want| ≤ tol · max(1, |want|).
pub(super) fn near(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol * want.abs().max(1.0),
        "{what}: got {got:e}, sklift {want:e} (tol {tol:e})"
    );
}

pub(super) fn check_curve(
    what: &str,
    got: &Curve,
    idx: &[usize],
    want_x: &[f64],
    want_y: &[f64],
    tol: f64,
) {
    for (k, &i) in idx.iter().enumerate() {
        near(&format!("{what} x[{i}]"), got.x[i], want_x[k], tol);
        near(&format!("{what} y[{i}]"), got.y[i], want_y[k], tol);
    }
}

pub(super) type Table = [(&'static str, usize, usize, f64, f64, f64)];

/// sklift's NaN rates are None here.
pub(super) fn check_table(what: &str, got: &[PercentileRow], want: &Table, tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: bin count");
    for (row, w) in got.iter().zip(want) {
        assert_eq!(row.percentile, w.0, "{what}: label");
        assert_eq!(
            (row.treated_rows, row.control_rows, row.rows),
            (w.1, w.2, w.1 + w.2),
            "{what} {}: sizes",
            w.0
        );
        for (name, g, w) in [
            ("treated rate", row.treated_rate, w.3),
            ("control rate", row.control_rate, w.4),
            ("uplift", row.uplift, w.5),
        ] {
            match g {
                Some(g) => near(&format!("{what} {} {name}", row.percentile), g, w, tol),
                None => assert!(
                    w.is_nan(),
                    "{what} {} {name}: None, sklift {w}",
                    row.percentile
                ),
            }
        }
    }
}

fn all(n: usize) -> Vec<usize> {
    (0..n).collect()
}

#[test]
fn small_curves_match_sklift_point_for_point() {
    // Every point, 1e-12. Six points from five distinct scores: -0.0 and 0.0 are one tie, as in numpy.
    let (y, s, t) = (SMALL_Y, SMALL_SCORE, SMALL_T);
    let up = uplift_curve(y, s, t).unwrap();
    assert_eq!(up.x.len(), SMALL_UPLIFT_CURVE_X.len());
    check_curve(
        "uplift",
        &up,
        &all(up.x.len()),
        SMALL_UPLIFT_CURVE_X,
        SMALL_UPLIFT_CURVE_Y,
        1e-12,
    );
    let qini = qini_curve(y, s, t).unwrap();
    assert_eq!(qini.x.len(), SMALL_QINI_CURVE_X.len());
    check_curve(
        "qini",
        &qini,
        &all(qini.x.len()),
        SMALL_QINI_CURVE_X,
        SMALL_QINI_CURVE_Y,
        1e-12,
    );
    let pu = perfect_uplift_curve(y, t).unwrap();
    assert_eq!(pu.x.len(), SMALL_PERFECT_UPLIFT_X.len());
    check_curve(
        "perfect uplift",
        &pu,
        &all(pu.x.len()),
        SMALL_PERFECT_UPLIFT_X,
        SMALL_PERFECT_UPLIFT_Y,
        1e-12,
    );
    let pq = perfect_qini_curve(y, t).unwrap();
    assert_eq!(pq.x.len(), SMALL_PERFECT_QINI_X.len());
    check_curve(
        "perfect qini",
        &pq,
        &all(pq.x.len()),
        SMALL_PERFECT_QINI_X,
        SMALL_PERFECT_QINI_Y,
        1e-12,
    );
}

#[test]
fn small_scores_match_sklift() {
    let (y, s, t) = (SMALL_Y, SMALL_SCORE, SMALL_T);
    let w = SMALL_SCALARS;
    near(
        "qini_auc_score",
        qini_auc_score(y, s, t).unwrap(),
        w[0],
        1e-12,
    );
    near(
        "uplift_auc_score",
        uplift_auc_score(y, s, t).unwrap(),
        w[1],
        1e-12,
    );
    // The top 30% (12 rows) cuts through a run of tied scores: sklift's order (later row first) gives
    // 0.714…, the other tie order would give 0.625 (see the script's "tie order check").
    near(
        "uplift_at_k overall",
        uplift_at_k(y, s, t, Strategy::Overall, TopK::Fraction(0.3)).unwrap(),
        w[2],
        1e-12,
    );
    near(
        "uplift_at_k by_group",
        uplift_at_k(y, s, t, Strategy::ByGroup, TopK::Fraction(0.3)).unwrap(),
        w[3],
        1e-12,
    );
    near(
        "uplift_at_k 7 rows",
        uplift_at_k(y, s, t, Strategy::Overall, TopK::Rows(7)).unwrap(),
        w[4],
        1e-12,
    );
}

#[test]
fn small_percentile_tables_match_sklift() {
    let (y, s, t) = (SMALL_Y, SMALL_SCORE, SMALL_T);
    check_table(
        "overall",
        &uplift_by_percentile(y, s, t, Strategy::Overall, 10).unwrap(),
        SMALL_BY_PERCENTILE,
        1e-12,
    );
    check_table(
        "by_group",
        &uplift_by_percentile(y, s, t, Strategy::ByGroup, 10).unwrap(),
        SMALL_BY_PERCENTILE_GROUP,
        1e-12,
    );
    // 8 bins: labels 0-12, 12-25, 25-38, … (Python rounds 12.5 to 12 and 37.5 to 38).
    check_table(
        "8 bins",
        &uplift_by_percentile(y, s, t, Strategy::Overall, 8).unwrap(),
        SMALL_BY_PERCENTILE_8,
        1e-12,
    );
}

#[test]
fn every_error_path() {
    let (y, s, t) = (SMALL_Y, SMALL_SCORE, SMALL_T);
    assert_eq!(
        uplift_curve(y, s, &t[..39]),
        Err(UpliftError::LengthMismatch {
            column: "treatment".into(),
            expected: 40,
            found: 39
        })
    );
    assert_eq!(
        qini_curve(y, &s[..39], t),
        Err(UpliftError::LengthMismatch {
            column: "uplift score".into(),
            expected: 40,
            found: 39
        })
    );
    let mut bad = y.to_vec();
    bad[3] = f64::NAN;
    assert_eq!(
        uplift_curve(&bad, s, t),
        Err(UpliftError::NotFinite {
            column: "outcome".into(),
            row: 3
        })
    );
    let mut bad = s.to_vec();
    bad[5] = f64::INFINITY;
    assert_eq!(
        qini_curve(y, &bad, t),
        Err(UpliftError::NotFinite {
            column: "uplift score".into(),
            row: 5
        })
    );
    assert_eq!(
        overall_uplift(y, &[false; 40]),
        Err(UpliftError::MissingGroup { group: "treated" })
    );
    assert_eq!(
        perfect_qini_curve(y, &[true; 40]),
        Err(UpliftError::MissingGroup { group: "control" })
    );
    let mut revenue = y.to_vec();
    revenue[2] = 12.5;
    for result in [
        perfect_uplift_curve(&revenue, t),
        perfect_qini_curve(&revenue, t),
    ] {
        assert_eq!(
            result,
            Err(UpliftError::NonBinaryOutcome {
                row: 2,
                value: 12.5
            })
        );
    }
    assert_eq!(
        uplift_auc_score(&revenue, s, t),
        Err(UpliftError::NonBinaryOutcome {
            row: 2,
            value: 12.5
        })
    );
    for k in [
        TopK::Fraction(0.0),
        TopK::Fraction(1.0),
        TopK::Fraction(f64::NAN),
        TopK::Rows(0),
        TopK::Rows(40),
    ] {
        // (matches!, not ==: NaN ≠ NaN)
        let result = uplift_at_k(y, s, t, Strategy::Overall, k);
        assert!(
            matches!(result, Err(UpliftError::InvalidTopK { max_rows: 39, .. })),
            "{k}: {result:?}"
        );
    }
    // by_group with more rows than the smaller group (19 control rows here).
    let controls = t.iter().filter(|&&v| !v).count();
    assert_eq!(
        uplift_at_k(y, s, t, Strategy::ByGroup, TopK::Rows(controls + 1)),
        Err(UpliftError::InvalidTopK {
            k: TopK::Rows(controls + 1),
            max_rows: controls
        })
    );
    // Top slice with one group only: rows 28 and 9 (score 0.3, later row first) are both control; sklift
    // returns NaN here (uplift_at_k(y, s, t, strategy="overall", k=2)).
    assert_eq!(
        uplift_at_k(y, s, t, Strategy::Overall, TopK::Rows(2)),
        Err(UpliftError::EmptyTopGroup {
            group: "treated",
            rows: 2
        })
    );
    // ⌊40 · 0.01⌋ = 0 treated rows in by_group.
    assert_eq!(
        uplift_at_k(y, s, t, Strategy::ByGroup, TopK::Fraction(0.01)),
        Err(UpliftError::EmptyTopGroup {
            group: "treated",
            rows: 0
        })
    );
    for bins in [0, 40] {
        assert_eq!(
            uplift_by_percentile(y, s, t, Strategy::Overall, bins),
            Err(UpliftError::InvalidBins { bins, rows: 40 })
        );
    }
    let zeros = [0.0; 40];
    assert_eq!(
        qini_auc_score(&zeros, s, t),
        Err(UpliftError::DegenerateCurve { curve: "Qini" })
    );
    assert_eq!(
        uplift_auc_score(&zeros, s, t),
        Err(UpliftError::DegenerateCurve { curve: "uplift" })
    );
}

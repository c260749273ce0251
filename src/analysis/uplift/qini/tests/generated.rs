//! sklift figures for 2,000 generated rows (`gen.qini_rows(2000, seed=2024)`): 40 tied score levels,
//! continuous scores, and a revenue outcome run through sklift's formulas with its binary check off.

use super::sklift_figures::*;
use super::{check_curve, check_table, near};
use crate::analysis::uplift::qini::*;
use crate::analysis::uplift::tests::qini_rows;
use crate::analysis::uplift::UpliftError;

#[test]
fn generator_reproduces_the_python_rows() {
    // Sums over gen.qini_rows(2000, seed=2024), printed by the script (numpy pairwise sums; 1e-12).
    let rows = qini_rows(2000, 2024);
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    let treated = rows.treated.iter().filter(|&&t| t).count() as f64;
    let got = [
        sum(&rows.converted),
        sum(&rows.revenue),
        sum(&rows.tied),
        sum(&rows.score),
        treated,
    ];
    for (g, w) in got.iter().zip(BIG_CHECKSUMS) {
        near("checksum", *g, *w, 1e-12);
    }
}

#[test]
fn big_tied_scores_match_sklift() {
    // 2,000 rows, 40 score levels: scores, all 41 curve points and both tables to 1e-9.
    let r = qini_rows(2000, 2024);
    let (y, s, t) = (&r.converted[..], &r.tied[..], &r.treated[..]);
    check_scalars(y, s, t, BIG_TIED_SCALARS);
    let up = uplift_curve(y, s, t).unwrap();
    assert_eq!(up.x.len(), 41);
    check_curve(
        "uplift",
        &up,
        BIG_TIED_UPLIFT_IDX,
        BIG_TIED_UPLIFT_X,
        BIG_TIED_UPLIFT_Y,
        1e-9,
    );
    let qini = qini_curve(y, s, t).unwrap();
    check_curve(
        "qini",
        &qini,
        BIG_TIED_QINI_IDX,
        BIG_TIED_QINI_X,
        BIG_TIED_QINI_Y,
        1e-9,
    );
    check_table(
        "overall",
        &uplift_by_percentile(y, s, t, Strategy::Overall, 10).unwrap(),
        BIG_TIED_BY_PERCENTILE,
        1e-9,
    );
    check_table(
        "by_group",
        &uplift_by_percentile(y, s, t, Strategy::ByGroup, 10).unwrap(),
        BIG_TIED_BY_PERCENTILE_GROUP,
        1e-9,
    );
}

#[test]
fn big_continuous_scores_match_sklift() {
    // 2,000 distinct scores: 2,001 curve points, ten of them checked, to 1e-9.
    let r = qini_rows(2000, 2024);
    let (y, s, t) = (&r.converted[..], &r.score[..], &r.treated[..]);
    check_scalars(y, s, t, BIG_CONT_SCALARS);
    let up = uplift_curve(y, s, t).unwrap();
    assert_eq!(up.x.len(), 2001);
    check_curve(
        "uplift",
        &up,
        BIG_CONT_UPLIFT_IDX,
        BIG_CONT_UPLIFT_X,
        BIG_CONT_UPLIFT_Y,
        1e-9,
    );
    let qini = qini_curve(y, s, t).unwrap();
    check_curve(
        "qini",
        &qini,
        BIG_CONT_QINI_IDX,
        BIG_CONT_QINI_X,
        BIG_CONT_QINI_Y,
        1e-9,
    );
    check_table(
        "overall",
        &uplift_by_percentile(y, s, t, Strategy::Overall, 10).unwrap(),
        BIG_CONT_BY_PERCENTILE,
        1e-9,
    );
    check_table(
        "by_group",
        &uplift_by_percentile(y, s, t, Strategy::ByGroup, 10).unwrap(),
        BIG_CONT_BY_PERCENTILE_GROUP,
        1e-9,
    );
}

fn check_scalars(y: &[f64], s: &[f64], t: &[bool], w: &[f64]) {
    near(
        "qini_auc_score",
        qini_auc_score(y, s, t).unwrap(),
        w[0],
        1e-9,
    );
    near(
        "uplift_auc_score",
        uplift_auc_score(y, s, t).unwrap(),
        w[1],
        1e-9,
    );
    near(
        "at 0.3 overall",
        uplift_at_k(y, s, t, Strategy::Overall, TopK::Fraction(0.3)).unwrap(),
        w[2],
        1e-9,
    );
    near(
        "at 0.3 by_group",
        uplift_at_k(y, s, t, Strategy::ByGroup, TopK::Fraction(0.3)).unwrap(),
        w[3],
        1e-9,
    );
    near(
        "at 7 rows",
        uplift_at_k(y, s, t, Strategy::Overall, TopK::Rows(7)).unwrap(),
        w[4],
        1e-9,
    );
}

#[test]
fn revenue_outcome_matches_sklift_formulas() {
    // sklift's own formulas with its binary check switched off (see the script), 1e-9.
    let r = qini_rows(2000, 2024);
    let (y, t) = (&r.revenue[..], &r.treated[..]);
    let up = uplift_curve(y, &r.tied, t).unwrap();
    assert_eq!(up.y.len(), BIG_REVENUE_UPLIFT_Y.len());
    for (g, w) in up.y.iter().zip(BIG_REVENUE_UPLIFT_Y) {
        near("revenue uplift curve", *g, *w, 1e-9);
    }
    let qini = qini_curve(y, &r.tied, t).unwrap();
    for (g, w) in qini.y.iter().zip(BIG_REVENUE_QINI_Y) {
        near("revenue qini curve", *g, *w, 1e-9);
    }
    let s = &r.score[..];
    near(
        "revenue at 0.3",
        uplift_at_k(y, s, t, Strategy::Overall, TopK::Fraction(0.3)).unwrap(),
        BIG_REVENUE_AT_K[0],
        1e-9,
    );
    near(
        "revenue at 0.3 by group",
        uplift_at_k(y, s, t, Strategy::ByGroup, TopK::Fraction(0.3)).unwrap(),
        BIG_REVENUE_AT_K[1],
        1e-9,
    );
    check_table(
        "revenue",
        &uplift_by_percentile(y, s, t, Strategy::Overall, 10).unwrap(),
        BIG_REVENUE_BY_PERCENTILE,
        1e-9,
    );
    // But the normalised AUCs refuse it: revenue is not a 0/1 outcome.
    assert!(matches!(
        qini_auc_score(y, s, t),
        Err(UpliftError::NonBinaryOutcome { .. })
    ));
}

#[test]
fn overall_uplift_matches_numpy() {
    // conv[t == 1].mean() - conv[t == 0].mean(), and the same for revenue; 1e-12.
    let r = qini_rows(2000, 2024);
    near(
        "conversions",
        overall_uplift(&r.converted, &r.treated).unwrap(),
        BIG_OVERALL[0],
        1e-12,
    );
    near(
        "revenue",
        overall_uplift(&r.revenue, &r.treated).unwrap(),
        BIG_OVERALL[1],
        1e-12,
    );
}

#[test]
fn random_and_perfect_rankings_score_zero_and_one() {
    // A constant score is one tie: the curve is the straight line to the end, i.e. random targeting, so
    // both normalised scores are exactly 0 (up to rounding). Scoring by the perfect ranking gives 1.
    let r = qini_rows(2000, 2024);
    let (y, t) = (&r.converted[..], &r.treated[..]);
    let flat = vec![0.5; y.len()];
    near(
        "random qini",
        qini_auc_score(y, &flat, t).unwrap(),
        0.0,
        1e-12,
    );
    near(
        "random uplift auc",
        uplift_auc_score(y, &flat, t).unwrap(),
        0.0,
        1e-12,
    );
    let perfect: Vec<f64> = y
        .iter()
        .zip(t)
        .map(|(&v, &t)| if t { v } else { -v })
        .collect();
    near(
        "perfect qini",
        qini_auc_score(y, &perfect, t).unwrap(),
        1.0,
        1e-12,
    );
}

//! Metrics and models checked against hand computations and scikit-learn 1.x.

use std::sync::atomic::AtomicBool;

mod common;

use campaign_lens::analysis::models::evaluate::*;
use campaign_lens::analysis::models::metrics::*;
use campaign_lens::analysis::models::predict::*;
use common::fixtures::lcg;
use ndarray::Array2;

const Y: [u8; 30] = [
    1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1,
];
const S: [f64; 30] = [
    0.9, 0.1, 0.8, 0.4, 0.4, 0.2, 0.7, 0.3, 0.5, 0.1, 0.6, 0.2, 0.4, 0.4, 0.05, 0.3, 0.6, 0.95,
    0.15, 0.2, 0.3, 0.5, 0.7, 0.1, 0.35, 0.25, 0.45, 0.1, 0.2, 0.8,
];

fn ys() -> Vec<bool> {
    Y.iter().map(|&v| v == 1).collect()
}

#[test]
fn metrics_equal_scikit_learn_on_the_same_predictions() {
    let y = ys();
    // scikit-learn: roc_auc_score 0.8975, log_loss 0.41214755367581796,
    // at 0.5: accuracy 0.8, precision 0.7, recall 0.7, f1 0.7
    assert!((roc_auc(&y, &S).unwrap() - 0.8975).abs() < 1e-12);
    assert!((log_loss(&y, &S).unwrap() - 0.412_147_553_675_817_96).abs() < 1e-12);
    let c = Confusion::at(&y, &S, 0.5).unwrap();
    assert_eq!((c.tp, c.fp, c.fn_, c.tn), (7, 3, 3, 17));
    assert!((c.accuracy() - 0.8).abs() < 1e-12);
    assert!(
        (c.precision() - 0.7).abs() < 1e-12
            && (c.recall() - 0.7).abs() < 1e-12
            && (c.f1() - 0.7).abs() < 1e-12
    );
    // roc_curve(drop_intermediate=False) has 16 points, the first ones (0,0) (0,0.1) (0,0.2) (0,0.4) (0.05,0.5)
    let roc = roc_curve(&y, &S).unwrap();
    assert_eq!(roc.len(), 16);
    assert_eq!(
        &roc[..5],
        &[(0.0, 0.0), (0.0, 0.1), (0.0, 0.2), (0.0, 0.4), (0.05, 0.5)]
    );
    assert_eq!(roc.last(), Some(&(1.0, 1.0)));
}

#[test]
fn auc_handles_ties_and_metrics_handle_zero_divisions() {
    // all scores tied: AUC 0.5 (every positive-negative pair counts one half)
    assert_eq!(
        roc_auc(&[true, false, true, false], &[0.3; 4]).unwrap(),
        0.5
    );
    // one tie across classes: pairs (p=0.8 > n=0.2), (0.8 > 0.5), (0.5 = 0.5 → ½), (0.5 > 0.2): 3.5 / 4
    let y = [true, false, true, false];
    assert_eq!(roc_auc(&y, &[0.8, 0.5, 0.5, 0.2]).unwrap(), 0.875);
    // nothing predicted positive: precision, recall, F1 are 0 (scikit-learn's zero_division=0)
    let c = Confusion::at(&y, &[0.1; 4], 0.5).unwrap();
    assert_eq!((c.precision(), c.recall(), c.f1()), (0.0, 0.0, 0.0));
    assert_eq!(
        roc_auc(&[true, true], &[0.2, 0.3]),
        Err(MetricError::OneClass)
    );
    assert_eq!(roc_auc(&[], &[]), Err(MetricError::Empty));
    assert_eq!(
        log_loss(&[true], &[0.2, 0.1]),
        Err(MetricError::Length(1, 2))
    );
    // a certain wrong prediction is clipped at 1e-15, not infinite
    assert!((log_loss(&[true], &[0.0]).unwrap() - 34.538_776_394_910_684).abs() < 1e-9);
}

#[test]
fn gains_and_best_f1_by_hand() {
    // 10 rows, best-first scores; positives at ranks 1, 2 and 5
    let s: Vec<f64> = (0..10).map(|i| 1.0 - i as f64 / 10.0).collect();
    let y = [
        true, true, false, false, true, false, false, false, false, false,
    ];
    let d = deciles(&y, &s).unwrap();
    assert_eq!(d.len(), 10);
    assert!((d[0].captured - 1.0 / 3.0).abs() < 1e-12 && (d[0].lift - 10.0 / 3.0).abs() < 1e-12);
    assert!((d[4].captured - 1.0).abs() < 1e-12 && (d[4].lift - 2.0).abs() < 1e-12);
    assert!((d[9].captured - 1.0).abs() < 1e-12);
    // thresholds: top 2 → F1 = 4/5; top 5 → F1 = 6/8; best is 0.8 at score 0.9
    let (t, f1) = best_f1_threshold(&y, &s).unwrap();
    assert!((t - 0.9).abs() < 1e-12 && (f1 - 0.8).abs() < 1e-12);
}

/// 600 rows, logit = -3 + 1.2·x1 - 0.8·x2 + 0.7·x3 (x3 a dummy), 13 % positive: the same rows as the
/// Python cross-check script.
fn synthetic() -> Dataset {
    let u = lcg(2400, 11);
    let mut x = Array2::zeros((600, 3));
    let mut y = Vec::new();
    for i in 0..600 {
        let (x1, x2) = (u[4 * i] * 4.0 - 2.0, u[4 * i + 1] * 4.0 - 2.0);
        let x3 = if u[4 * i + 2] < 0.3 { 1.0 } else { 0.0 };
        let p = 1.0 / (1.0 + (-(-3.0 + 1.2 * x1 - 0.8 * x2 + 0.7 * x3)).exp());
        y.push(u[4 * i + 3] < p);
        x[[i, 0]] = x1;
        x[[i, 1]] = x2;
        x[[i, 2]] = x3;
    }
    Dataset {
        x,
        y,
        names: vec!["x1".into(), "x2".into(), "x3".into()],
        is_dummy: vec![false, false, true],
    }
}

#[test]
fn logistic_matches_scikit_learn_and_survives_the_positive_class_trap() {
    let d = synthetic();
    assert_eq!(
        d.y.iter().filter(|&&t| t).count(),
        79,
        "same rows as the Python script"
    );
    let all: Vec<usize> = (0..600).collect();
    let params = PredictParams {
        max_iter: 1000,
        ..Default::default()
    };
    let (m, _) = fit_logistic(&d, &all, &params).unwrap();
    let Model::Logistic {
        coef, intercept, ..
    } = &m
    else {
        panic!()
    };
    // scikit-learn LogisticRegression(C=1) on the same standardised x1, x2 and raw x3:
    // coef [1.4450951702870052, -0.8461268756959139, 1.0227119091224774], intercept -3.0636469682392042.
    // 13 % positive: linfa's own positive class is the majority (false); unflipped, every sign would be wrong.
    let sk = [1.445_095_170_287, -0.846_126_875_696, 1.022_711_909_122];
    for (c, s) in coef.iter().zip(sk) {
        assert!((c - s).abs() < 1e-4, "{coef:?}");
    }
    assert!((intercept - -3.063_646_968).abs() < 1e-4);
    // scikit-learn in-sample AUC 0.866396170946816
    let auc = roc_auc(&d.y, &m.score(&d.x)).unwrap();
    assert!((auc - 0.866_396_170_946_816).abs() < 1e-3, "{auc}");
}

#[test]
fn stratification_keeps_the_rate_and_scaling_uses_training_rows_only() {
    let d = synthetic();
    let (train, test) = stratified_split(&d.y, 0.25, 7).unwrap();
    assert_eq!(train.len() + test.len(), 600);
    let rate = |rows: &[usize]| rows.iter().filter(|&&i| d.y[i]).count() as f64 / rows.len() as f64;
    // 79 positives: round(79 × 0.25) = 20 in test, 59 in train
    assert_eq!(test.iter().filter(|&&i| d.y[i]).count(), 20);
    assert!((rate(&train) - rate(&test)).abs() < 0.01);
    // the scaler ignores the test rows entirely: changing them changes nothing
    let s1 = Scaler::fit(&d.x, &train, &d.is_dummy);
    let mut x2 = d.x.clone();
    for &i in &test {
        x2[[i, 0]] = 1e6;
    }
    let s2 = Scaler::fit(&x2, &train, &d.is_dummy);
    assert_eq!(s1, s2);
    assert_eq!((s1.mean[2], s1.sd[2]), (0.0, 1.0), "dummies are not scaled");
    let folds = stratified_kfold(&d.y, 5, 1).unwrap();
    assert!(folds
        .iter()
        .all(|f| (15..=16).contains(&f.iter().filter(|&&i| d.y[i]).count())));
}

#[test]
fn switching_the_positive_class_keeps_the_split_and_folds() {
    let d = synthetic();
    let flipped: Vec<bool> = d.y.iter().map(|v| !v).collect();
    assert_eq!(
        stratified_split(&d.y, 0.25, 7).unwrap(),
        stratified_split(&flipped, 0.25, 7).unwrap()
    );
    assert_eq!(
        stratified_kfold(&d.y, 5, 1).unwrap(),
        stratified_kfold(&flipped, 5, 1).unwrap()
    );
}

#[test]
fn full_evaluation_reports_every_model_and_words() {
    let d = synthetic();
    let params = PredictParams {
        cv_folds: Some(5),
        ..Default::default()
    };
    let r = fit_and_evaluate(&d, &params, "responding", &|_| {}, &AtomicBool::new(false)).unwrap();
    let kinds: Vec<ModelKind> = r.models.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, ModelKind::ALL, "the whole lineup, quickest first");
    assert!(r.models[0].name.starts_with("logistic regression"));
    assert!(r.models[0].roc_auc > 0.75, "{}", r.models[0].roc_auc);
    // the tree's AUC on 150 test rows (20 positives) swings with the split; its 5-fold mean is the stable one
    let tree_cv = r.models[1].cv_auc_mean.unwrap();
    assert!(tree_cv > 0.6, "tree CV AUC {tree_cv}");
    assert!(r.models[1]
        .test_scores
        .iter()
        .all(|p| (0.0..=1.0).contains(p)));
    let cv = r.models[0].cv_auc_mean.unwrap();
    assert!(cv > 0.75 && r.models[0].cv_auc_sd.unwrap() < 0.1);
    assert!((r.baseline_accuracy - (1.0 - 79.0 / 600.0)).abs() < 1e-12);
    assert!(r
        .notes
        .iter()
        .any(|n| n.starts_with("accuracy alone misleads")));
    assert_eq!(r.coefficients[0].feature, "x1");
    assert!(r.coefficients[0]
        .words
        .starts_with("each +1 sd of x1 raises the odds of responding by"));
    let c = &r.models[0].confusion;
    assert_eq!(c.tp + c.fp + c.fn_ + c.tn, 150);
}

#[test]
fn coefficient_words_read_like_english() {
    // exp(-0.478) = 0.62: odds 38 % lower
    assert_eq!(
        coefficient_words("Recency", -0.478, false, "responding"),
        "each +1 sd of Recency lowers the odds of responding by 38 %"
    );
    assert_eq!(
        coefficient_words("job=student", 0.2231, true, "responding"),
        "being job=student raises the odds of responding by 25 % (vs the rest)"
    );
}

#[test]
fn bad_targets_are_errors() {
    let mut d = synthetic();
    d.y = vec![false; 600];
    let p = PredictParams::default();
    let never = AtomicBool::new(false);
    assert_eq!(
        fit_and_evaluate(&d, &p, "r", &|_| {}, &never).unwrap_err(),
        PredictError::OneClass("no positive rows")
    );
    d.y = vec![true; 600];
    assert!(matches!(
        fit_and_evaluate(&d, &p, "r", &|_| {}, &never),
        Err(PredictError::OneClass(_))
    ));
    let small = Dataset {
        x: Array2::zeros((5, 1)),
        y: vec![true, false, true, false, true],
        names: vec!["a".into()],
        is_dummy: vec![false],
    };
    assert_eq!(
        fit_and_evaluate(&small, &p, "r", &|_| {}, &never).unwrap_err(),
        PredictError::TooFewRows(5)
    );
    let none = Dataset {
        x: Array2::zeros((30, 0)),
        y: vec![true; 30],
        names: vec![],
        is_dummy: vec![],
    };
    assert_eq!(
        fit_and_evaluate(&none, &p, "r", &|_| {}, &never).unwrap_err(),
        PredictError::NoFeatures
    );
    assert_eq!(
        stratified_split(&[true, false], 0.9, 1).unwrap_err(),
        SplitError::TestSize(0.9)
    );
}

#[test]
fn brier_matches_scikit_learn() {
    // sklearn.metrics.brier_score_loss(Y, S) = 0.1305
    let b = brier(&ys(), &S).unwrap();
    assert!((b - 0.1305).abs() < 1e-12, "{b}");
    assert_eq!(brier(&[], &[]).unwrap_err(), MetricError::Empty);
}

#[test]
fn permutation_importance_ranks_a_noise_feature_last() {
    use campaign_lens::analysis::models::importance::permutation_importance;
    // y depends on x1 (strongly, +) and x2 (weakly, −); x3 is noise
    let u = lcg(3000 * 4, 5);
    let x = Array2::from_shape_fn((3000, 3), |(i, j)| u[4 * i + j]);
    let y: Vec<bool> = (0..3000)
        .map(|i| u[4 * i + 3] < 1.0 / (1.0 + (-(6.0 * x[[i, 0]] - 2.0 * x[[i, 1]] - 2.0)).exp()))
        .collect();
    let score = |m: &Array2<f64>| -> Vec<f64> {
        m.rows()
            .into_iter()
            .map(|r| 6.0 * r[0] - 2.0 * r[1])
            .collect()
    };
    let names: Vec<String> = ["x1", "x2", "noise"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let d = permutation_importance(&x, &y, &names, &score, 1).unwrap();
    let order: Vec<&str> = d.iter().map(|d| d.feature.as_str()).collect();
    assert_eq!(order, ["x1", "x2", "noise"]);
    assert_eq!(d[0].direction, "+");
    assert_eq!(d[1].direction, "-");
    assert!(
        d[2].importance.abs() < 1e-12,
        "the model never reads the noise column"
    );
    assert_eq!(d[0].words("responding"), "more x1 → more likely responding");
}

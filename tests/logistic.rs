//! The Newton (IRLS) logistic solver held against linfa-logistic's own fit and against scikit-learn.

mod common;

use std::sync::atomic::AtomicBool;

use campaign_lens::analysis::models::logistic::*;
use campaign_lens::analysis::models::predict::{fit_logistic, Dataset, Model, PredictParams};
use campaign_lens::data::matrix::design_matrix;
use campaign_lens::data::{LoadOptions, Workspace};
use campaign_lens::pipeline::predict::{default_predictors, outcome, resolve_target, MAX_LEVELS};
use common::fixtures::lcg;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};

/// 2 000 rows × 4 features, logit = 0.5 + x1 − 2·x2 + 0.3·x3 (x4 noise), about 55 % positive.
fn table() -> (Array2<f64>, Vec<bool>) {
    let u = lcg(2000 * 5, 3);
    let x = Array2::from_shape_fn((2000, 4), |(i, j)| u[5 * i + j] * 2.0 - 1.0);
    let y = (0..2000)
        .map(|i| {
            let z = 0.5 + x[[i, 0]] - 2.0 * x[[i, 1]] + 0.3 * x[[i, 2]];
            u[5 * i + 4] < 1.0 / (1.0 + (-z).exp())
        })
        .collect();
    (x, y)
}

#[test]
fn newton_reaches_linfa_logistics_own_optimum() {
    let (x, y) = table();
    let ours = Newton::default()
        .fit(&DatasetBase::new(x.clone(), Array1::from(y.clone())))
        .unwrap();
    assert!(ours.converged && ours.n_iter <= 10, "{} steps", ours.n_iter);
    // linfa's objective is the same Σ log-loss + α/2‖w‖² (intercept free); on 2 000 rows it converges
    let theirs = LogisticRegression::default()
        .alpha(1.0)
        .max_iterations(1000)
        .gradient_tolerance(1e-10)
        .fit(&DatasetBase::new(x.clone(), Array1::from(y.clone())))
        .unwrap();
    // linfa's positive class is the more frequent label: here `true` (55 %), so no flip is needed
    let sign = if theirs.labels().pos.class { 1.0 } else { -1.0 };
    for (a, b) in ours.coef.iter().zip(theirs.params().iter()) {
        assert!(
            (a - sign * b).abs() < 1e-5,
            "{:?} vs {:?}",
            ours.coef,
            theirs.params()
        );
    }
    assert!((ours.intercept - sign * theirs.intercept()).abs() < 1e-5);
}

#[test]
fn a_warm_start_lands_on_the_same_solution_in_fewer_steps() {
    let (x, y) = table();
    let data = DatasetBase::new(x, Array1::from(y));
    let cold = Newton::default().fit(&data).unwrap();
    let warm = Newton {
        warm: Some((cold.coef.iter().map(|c| c * 0.9).collect(), cold.intercept)),
        ..Default::default()
    }
    .fit(&data)
    .unwrap();
    assert!(
        warm.n_iter < cold.n_iter,
        "{} vs {}",
        warm.n_iter,
        cold.n_iter
    );
    for (a, b) in warm.coef.iter().zip(&cold.coef) {
        assert!((a - b).abs() < 1e-9);
    }
}

#[test]
fn scores_fold_the_scaling_into_the_coefficients() {
    let (x, y) = table();
    let mean = [0.1, -0.2, 0.0, 0.3];
    let sd = [0.5, 0.6, 0.55, 0.58];
    let rows: Vec<usize> = (0..x.nrows()).collect();
    let fit = Newton::default()
        .solve(
            &Problem {
                x: x.view(),
                rows: &rows,
                mean: &mean,
                sd: &sd,
                y: &y,
            },
            &AtomicBool::new(false),
        )
        .unwrap();
    let p = probabilities(x.view(), &mean, &sd, &fit.coef, fit.intercept);
    for i in [0, 17, 1999] {
        let z: Vec<f64> = (0..4).map(|j| (x[[i, j]] - mean[j]) / sd[j]).collect();
        let by_hand = 1.0 / (1.0 + (-fit.decision(&z)).exp());
        assert!((p[i] - by_hand).abs() < 1e-12);
    }
}

#[test]
fn errors_a_user_can_reach_are_errors() {
    let (x, y) = table();
    let none: Vec<usize> = Vec::new();
    let p = Problem {
        x: x.view(),
        rows: &none,
        mean: &[0.0; 4],
        sd: &[1.0; 4],
        y: &y,
    };
    let never = AtomicBool::new(false);
    assert_eq!(
        Newton::default().solve(&p, &never).unwrap_err(),
        LogisticError::NoRows
    );
    let rows: Vec<usize> = (0..10).collect();
    let short = Problem {
        rows: &rows,
        mean: &[0.0; 3],
        ..p
    };
    assert_eq!(
        Newton::default().solve(&short, &never).unwrap_err(),
        LogisticError::Shape(4, 3)
    );
    let mut bad = x.clone();
    bad[[3, 1]] = f64::NAN;
    let nan = Problem {
        x: bad.view(),
        rows: &rows,
        mean: &[0.0; 4],
        sd: &[1.0; 4],
        y: &y,
    };
    assert_eq!(
        Newton::default().solve(&nan, &never).unwrap_err(),
        LogisticError::NotFinite
    );
    let cancel = AtomicBool::new(true);
    let all: Vec<usize> = (0..x.nrows()).collect();
    let ok = Problem {
        rows: &all,
        ..short
    };
    let ok = Problem {
        mean: &[0.0; 4],
        ..ok
    };
    assert_eq!(
        Newton::default().solve(&ok, &cancel).unwrap_err(),
        LogisticError::Cancelled
    );
}

/// scikit-learn 1.9.1 `LogisticRegression(C=1, tol=1e-12, max_iter=10000)` fitted on ALL 45,211 rows of
/// bank-full.csv, with our design: the 7 numerics z-scored (population sd), every level of the 9 text
/// columns one-hot and unscaled. (With the default tol=1e-4 lbfgs stops after 36 iterations up to 0.26 away
/// along the flat direction that all-levels dummies and the intercept share; the in-sample AUC differs by
/// 2e-5. Newton's method goes to the optimum, so it is held against the converged solution.)
const SKLEARN_BANK: [(&str, f64); 51] = [
    ("age", 0.0014612006175365939),
    ("job=blue-collar", -0.15383229258652903),
    ("job=management", -0.008454441663039176),
    ("job=technician", -0.019693763947267868),
    ("job=admin.", 0.15634142506357945),
    ("job=services", -0.06776586730431296),
    ("job=retired", 0.4084624550631923),
    ("job=self-employed", -0.14055285937873424),
    ("job=entrepreneur", -0.1989983545453468),
    ("job=unemployed", -0.02015424158072579),
    ("job=housemaid", -0.34194626156523616),
    ("job=student", 0.5360164977964957),
    ("job=unknown", -0.14938636637475344),
    ("marital=married", -0.15045356025767098),
    ("marital=single", 0.12203832879070164),
    ("marital=divorced", 0.0284511604454338),
    ("education=secondary", -0.019770487156006322),
    ("education=tertiary", 0.17554131644576426),
    ("education=primary", -0.2029307890719767),
    ("education=unknown", 0.04719588876176211),
    ("default=no", 0.009370977617993279),
    ("default=yes", -0.009335048647838712),
    ("balance", 0.039238727439529004),
    ("housing=yes", -0.33809828811696435),
    ("housing=no", 0.33813421709460306),
    ("loan=no", 0.21300656122454742),
    ("loan=yes", -0.2129706322552182),
    ("contact=cellular", 0.5934458697453714),
    ("contact=unknown", -1.02220106404474),
    ("contact=telephone", 0.4287911232721711),
    ("day", 0.08144250840871613),
    ("month=may", -0.42071584462906514),
    ("month=jul", -0.8478355201723953),
    ("month=aug", -0.7128951988676286),
    ("month=jun", 0.4264289498347839),
    ("month=nov", -0.889675612633879),
    ("month=apr", -0.020184392254282413),
    ("month=feb", -0.16904539099276372),
    ("month=jan", -1.2659460237919806),
    ("month=oct", 0.853340194023652),
    ("month=sep", 0.8433000179487956),
    ("month=mar", 1.5510580576591815),
    ("month=dec", 0.652206692851333),
    ("duration", 1.0786233216467238),
    ("campaign", -0.28102057386609147),
    ("pdays", -0.009548040937227106),
    ("previous", 0.02356314719979707),
    ("poutcome=unknown", -0.6914325566989062),
    ("poutcome=failure", -0.598459655644993),
    ("poutcome=other", -0.39392863743436424),
    ("poutcome=success", 1.6838567787537866),
];
const SKLEARN_BANK_INTERCEPT: f64 = -2.0373825749710077;
const SKLEARN_BANK_AUC: f64 = 0.9079771919394832;

#[test]
fn bank_full_coefficients_match_scikit_learn() {
    let Some(path) = common::shared("bank-full.csv") else {
        return;
    };
    let ws = Workspace::open(&path, &LoadOptions::default()).unwrap();
    let target = resolve_target(&ws, Some("y"), Some("yes")).unwrap();
    let (num, cat) = default_predictors(&ws, &target, &[]);
    let design = design_matrix(&ws.df, &num, &cat, MAX_LEVELS).unwrap();
    let y: Vec<bool> = outcome(&ws, &target)
        .unwrap()
        .into_iter()
        .map(|v| v.unwrap())
        .collect();
    let data = Dataset {
        x: design.x,
        y,
        names: design.names,
        is_dummy: design.is_dummy,
    };
    let all: Vec<usize> = (0..data.y.len()).collect();
    let (m, notes) = fit_logistic(&data, &all, &PredictParams::default()).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    let Model::Logistic {
        coef, intercept, ..
    } = &m
    else {
        panic!("a logistic model")
    };
    assert_eq!(data.names.len(), SKLEARN_BANK.len());
    for (name, sk) in SKLEARN_BANK {
        let j = data.names.iter().position(|n| n == name).unwrap();
        assert!(
            (coef[j] - sk).abs() < 1e-3,
            "{name}: {} vs scikit-learn {sk}",
            coef[j]
        );
    }
    assert!(
        (intercept - SKLEARN_BANK_INTERCEPT).abs() < 1e-3,
        "{intercept}"
    );
    let auc =
        campaign_lens::analysis::models::metrics::roc_auc(&data.y, &m.score(&data.x)).unwrap();
    assert!((auc - SKLEARN_BANK_AUC).abs() < 1e-4, "{auc}");
}

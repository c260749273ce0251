//! k-means sweep, elbow, silhouette and PCA checked against scikit-learn 1.x and hand computations.

use std::sync::atomic::AtomicBool;

mod common;

use campaign_lens::analysis::segments::segment::*;
use common::fixtures::{blobs, lcg};
use ndarray::Array2;

/// scikit-learn KMeans(n_clusters=k, n_init=10, random_state=0).inertia_ on `blobs()`, k = 2..8.
const SKLEARN_INERTIA: [f64; 7] = [
    4303.6150235352325,
    2429.4409783600295,
    581.6905684174044,
    534.491179750219,
    491.8513526166655,
    447.93036968857143,
    417.1197432940335,
];

fn run(x: &Array2<f64>, k_min: usize, k_max: usize) -> Sweep {
    let params = SweepParams {
        k_min,
        k_max,
        ..Default::default()
    };
    sweep(x, &params, &|_| {}, &AtomicBool::new(false)).unwrap()
}

#[test]
fn fixture_matches_the_python_script() {
    let x = blobs();
    // first row printed by the cross-check script
    assert!((x[[0, 0]] - -0.6269259843975306).abs() < 1e-12);
    assert!((x[[0, 1]] - 0.9923838352784514).abs() < 1e-12);
}

#[test]
fn inertia_matches_scikit_learn_within_one_percent_and_never_rises() {
    let s = run(&blobs(), 2, 8);
    for (p, sk) in s.points.iter().zip(SKLEARN_INERTIA) {
        assert!(
            p.inertia <= sk * 1.01,
            "k = {}: {} vs scikit-learn {sk}",
            p.k,
            p.inertia
        );
        assert!(
            p.inertia >= sk * 0.99,
            "k = {}: {} vs scikit-learn {sk}",
            p.k,
            p.inertia
        );
        assert_eq!(p.sizes.iter().sum::<usize>(), 400);
    }
    for w in s.points.windows(2) {
        assert!(
            w[1].inertia <= w[0].inertia,
            "sweep rose from k={} to k={}",
            w[0].k,
            w[1].k
        );
    }
}

#[test]
fn the_elbow_finds_the_four_blobs_and_silhouette_agrees() {
    let s = run(&blobs(), 2, 8);
    assert_eq!(s.verdict.elbow_k, Some(4));
    // scikit-learn silhouette_score at k = 4: 0.7300547550364399 (the best of k = 2..8)
    assert_eq!(s.verdict.silhouette_k, Some(4));
    let sil4 = s.points[2].silhouette.unwrap();
    assert!((sil4 - 0.730_054_755).abs() < 1e-6, "{sil4}");
    assert!(s.verdict.clear);
    assert_eq!(s.verdict.message, "k = 4: elbow and silhouette agree");
}

#[test]
fn inertia_is_the_sum_of_squared_distances_to_the_centroids() {
    let x = blobs();
    let m = fit_k(&x, 4, 1, 10).unwrap();
    let mut by_hand = 0.0;
    for (i, row) in x.rows().into_iter().enumerate() {
        let c = m.centroids.row(m.labels[i]);
        by_hand += row
            .iter()
            .zip(c.iter())
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>();
    }
    assert!((m.inertia - by_hand).abs() < 1e-9 * by_hand);
    assert_eq!(m.sizes, vec![100, 100, 100, 100]);
    assert!(
        m.sizes.windows(2).all(|w| w[0] >= w[1]),
        "clusters numbered by size"
    );
}

#[test]
fn silhouette_matches_a_hand_computation() {
    // points 0, 1 | 10, 11: s = (10.5-1)/10.5 twice and (9.5-1)/9.5 twice; mean 0.899749373…
    // (scikit-learn silhouette_score gives 0.899749373433584)
    let x = Array2::from_shape_vec((4, 1), vec![0.0, 1.0, 10.0, 11.0]).unwrap();
    let s = silhouette(&x, &[0, 0, 1, 1], &[0, 1, 2, 3]).unwrap();
    let hand = (2.0 * (9.5 / 10.5) + 2.0 * (8.5 / 9.5)) / 4.0;
    assert!((s - hand).abs() < 1e-12);
    assert!((s - 0.899_749_373_433_584).abs() < 1e-12);
}

#[test]
fn zscore_uses_the_population_sd() {
    let Scaled { x: z, means, sds } = zscore(&blobs()).unwrap();
    // numpy X.std(axis=0) (ddof = 0) on the same data
    let numpy = [3.076075451553371, 3.1085637651356306, 1.3515141015397492];
    for j in 0..3 {
        assert!((sds[j] - numpy[j]).abs() < 1e-9, "{j}");
        let col = z.column(j);
        assert!(col.sum().abs() < 1e-9);
        assert!(((col.iter().map(|v| v * v).sum::<f64>() / 400.0) - 1.0).abs() < 1e-9);
    }
    assert_eq!(means.len(), 3);
}

#[test]
fn pca_explained_shares_match_scikit_learn() {
    let p = pca2(&blobs()).unwrap();
    // scikit-learn PCA(2).explained_variance_ratio_ = [0.5257229374029194, 0.4492046942112088]
    assert!(
        (p.explained[0] - 0.525_722_937).abs() < 1e-6,
        "{:?}",
        p.explained
    );
    assert!(
        (p.explained[1] - 0.449_204_694).abs() < 1e-6,
        "{:?}",
        p.explained
    );
    assert_eq!(p.coords.dim(), (400, 2));
}

#[test]
fn a_gentle_curve_has_no_clear_elbow() {
    // uniform noise in 4-D has no cluster structure: inertia falls smoothly
    let u = lcg(4000, 3);
    let x = Array2::from_shape_fn((1000, 4), |(i, j)| u[4 * i + j]);
    let s = run(&x, 2, 10);
    assert!(!s.verdict.clear, "{:?}", s.verdict);
    assert!(s
        .verdict
        .message
        .starts_with("no clear elbow: the curve bends gently; silhouette prefers k = "));
}

#[test]
fn invalid_inputs_are_errors_not_panics() {
    let x = blobs();
    let empty = Array2::<f64>::zeros((10, 0));
    assert_eq!(zscore(&empty).unwrap_err(), SegmentError::NoFeatures);
    let mut flat = x.clone();
    flat.column_mut(1).fill(5.0);
    assert_eq!(zscore(&flat).unwrap_err(), SegmentError::ZeroVariance(1));
    let small = Array2::from_shape_fn((5, 2), |(i, j)| (i * 2 + j) as f64);
    let params = SweepParams {
        k_min: 2,
        k_max: 12,
        ..Default::default()
    };
    let e = sweep(&small, &params, &|_| {}, &AtomicBool::new(false)).unwrap_err();
    assert_eq!(e.to_string(), "k = 12 is more than the 5 rows available");
    assert!(matches!(
        fit_k(&small, 6, 0, 1),
        Err(SegmentError::TooManyClusters { k: 6, rows: 5 })
    ));
    let bad = SweepParams {
        k_min: 5,
        k_max: 3,
        ..Default::default()
    };
    assert!(matches!(
        sweep(&x, &bad, &|_| {}, &AtomicBool::new(false)),
        Err(SegmentError::BadRange { .. })
    ));
    let mut nan = x.clone();
    nan[[3, 2]] = f64::NAN;
    assert_eq!(
        zscore(&nan).unwrap_err(),
        SegmentError::NotFinite { row: 3, col: 2 }
    );
}

#[test]
fn a_cancelled_sweep_stops() {
    let cancel = AtomicBool::new(true);
    let e = sweep(&blobs(), &SweepParams::default(), &|_| {}, &cancel).unwrap_err();
    assert_eq!(e, SegmentError::Cancelled);
}

#[test]
fn progress_reaches_one() {
    let last = std::sync::Mutex::new(0.0f32);
    let params = SweepParams {
        k_min: 2,
        k_max: 4,
        n_init: 3,
        ..Default::default()
    };
    sweep(
        &blobs(),
        &params,
        &|p| *last.lock().unwrap() = p.fraction,
        &AtomicBool::new(false),
    )
    .unwrap();
    assert!((*last.lock().unwrap() - 1.0).abs() < 1e-6);
}

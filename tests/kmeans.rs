//! The project's Lloyd kernel held against linfa-clustering's own k-means from the same start, and the
//! sample-then-refine sweep held against scikit-learn's figures.

use std::sync::atomic::AtomicBool;

mod common;

use campaign_lens::analysis::segments::segment::*;
use common::fixtures::{blobs, lcg};
use linfa::prelude::*;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array1, Array2};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// Overlapping clouds: 6 000 rows × 5, where Lloyd needs many steps and tiles and blocks both matter.
fn clouds() -> Array2<f64> {
    let u = lcg(6000 * 5, 11);
    Array2::from_shape_fn((6000, 5), |(i, j)| {
        (i % 7) as f64 * 0.6 * ((j + 1) as f64).sqrt() + (u[5 * i + j] - 0.5) * 3.0
    })
}

#[test]
fn lloyd_reaches_linfas_own_solution_from_the_same_start() {
    for (x, k, seed) in [(blobs(), 4, 3), (clouds(), 6, 5), (clouds(), 9, 8)] {
        let init = greedy_kmeanspp(x.view(), k, seed);
        let ours = lloyd(x.view(), init.clone(), 300, 0.0, &AtomicBool::new(false)).unwrap();
        let data = DatasetBase::from(x.clone());
        let theirs = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
            .n_runs(1)
            .max_n_iterations(300)
            .tolerance(1e-12)
            .init_method(KMeansInit::Precomputed(init))
            .fit(&data)
            .unwrap();
        let diff = (&ours.centroids - theirs.centroids())
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(diff < 1e-9, "k = {k}: centres differ by {diff}");
        let labels: Array1<usize> = theirs.predict(&x);
        assert_eq!(ours.labels, labels.to_vec(), "k = {k}: labels differ");
        // linfa's inertia() is the MEAN squared distance; ours is the sum, as scikit-learn reports
        let mean = ours.inertia / x.nrows() as f64;
        assert!((mean - theirs.inertia()).abs() < 1e-9 * mean, "k = {k}");
    }
}

#[test]
fn the_kernel_works_through_linfas_fit_and_predict_traits() {
    let x = blobs();
    let init = greedy_kmeanspp(x.view(), 4, 1);
    let fit = Lloyd {
        init,
        max_iter: 300,
        tol: 1e-4,
    }
    .fit(&DatasetBase::from(x.clone()))
    .unwrap();
    let predicted: Array1<usize> = fit.predict(&x);
    assert_eq!(predicted.to_vec(), fit.labels);
    let mut sizes = vec![0; 4];
    fit.labels.iter().for_each(|&l| sizes[l] += 1);
    assert_eq!(sizes, vec![100; 4], "the four blobs are found");
    // the sum of squared distances, by hand
    let by_hand: f64 = x
        .rows()
        .into_iter()
        .zip(&fit.labels)
        .map(|(r, &l)| {
            r.iter()
                .zip(fit.centroids.row(l))
                .map(|(a, b)| (a - b).powi(2))
                .sum::<f64>()
        })
        .sum();
    assert!((fit.inertia - by_hand).abs() < 1e-9 * by_hand);
}

/// 40 000 rows × 4: six overlapping uniform clouds of width 4 around the `CENTRES` (row i belongs to
/// centre i mod 6), noise from the LCG with seed 5. Larger than `START_SAMPLE`, so the sweep's starts run
/// on a 20 000-row sample and the best is refined on all rows.
fn six_clouds() -> Array2<f64> {
    const CENTRES: [[f64; 4]; 6] = [
        [0.0, 0.0, 0.0, 0.0],
        [4.0, 0.0, 1.0, 0.0],
        [0.0, 4.0, 2.0, 1.0],
        [4.0, 4.0, 3.0, 0.0],
        [2.0, 2.0, 0.0, 3.0],
        [6.0, 2.0, 1.0, 2.0],
    ];
    let u = lcg(40_000 * 4, 5);
    Array2::from_shape_fn((40_000, 4), |(i, j)| {
        CENTRES[i % 6][j] + (u[4 * i + j] - 0.5) * 4.0
    })
}

/// scikit-learn 1.9.1 KMeans(n_clusters=k, n_init=10, random_state=0).inertia_ on `six_clouds()`, k = 2..10.
const SKLEARN_SIX_CLOUDS: [f64; 9] = [
    431583.07474232896,
    341818.43619232153,
    283029.65341781394,
    236567.14902162796,
    202473.35261605104,
    193862.97367698574,
    185395.95209257578,
    177115.75274520912,
    170158.3724892661,
];

#[test]
fn starts_on_a_sample_then_refined_on_every_row_match_scikit_learn() {
    let x = six_clouds();
    // first row printed by the Python cross-check
    assert!((x[[0, 0]] - -1.0479770600795746).abs() < 1e-12);
    assert!(
        x.nrows() > START_SAMPLE,
        "the sample path is the one under test"
    );
    let s = sweep(
        &x,
        &SweepParams::default(),
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    for (p, sk) in s.points.iter().zip(SKLEARN_SIX_CLOUDS) {
        assert!(
            (p.inertia - sk).abs() <= 0.01 * sk,
            "k = {}: {} vs scikit-learn {sk}",
            p.k,
            p.inertia
        );
        assert_eq!(
            p.sizes.iter().sum::<usize>(),
            40_000,
            "every row is labelled"
        );
    }
}

#[test]
fn a_sweep_is_reproducible_and_the_chosen_k_reuses_its_centres() {
    let x = clouds();
    let params = SweepParams {
        k_min: 2,
        k_max: 6,
        start_sample: 1500,
        ..Default::default()
    };
    let a = sweep(&x, &params, &|_| {}, &AtomicBool::new(false)).unwrap();
    let b = sweep(&x, &params, &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(a, b, "same seed, same sweep (on any number of threads)");
    let p = &a.points[3];
    let m = model_from(&x, p.centroids.as_ref().unwrap()).unwrap();
    assert_eq!(m.k, 5);
    assert!((m.inertia - p.inertia).abs() < 1e-9 * p.inertia);
    let mut sizes = p.sizes.clone();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(m.sizes, sizes, "renumbered by size, largest first");
}

#[test]
fn a_cancelled_sweep_stops_with_cancelled() {
    let params = SweepParams::default();
    let cancel = AtomicBool::new(true);
    assert_eq!(
        sweep(&clouds(), &params, &|_| {}, &cancel).unwrap_err(),
        SegmentError::Cancelled
    );
}

#[test]
fn bad_starting_centres_are_an_error_not_a_panic() {
    let x = blobs();
    let wrong = Array2::zeros((3, 5));
    assert!(matches!(
        lloyd(x.view(), wrong, 10, 0.0, &AtomicBool::new(false)),
        Err(SegmentError::Fit(_))
    ));
    let too_many = Array2::zeros((401, 3));
    assert_eq!(
        lloyd(x.view(), too_many, 10, 0.0, &AtomicBool::new(false)).unwrap_err(),
        SegmentError::TooManyClusters { k: 401, rows: 400 }
    );
}

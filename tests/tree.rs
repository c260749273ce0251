//! The classification tree held against scikit-learn's `DecisionTreeClassifier` and linfa-trees.

mod common;

use campaign_lens::analysis::models::tree::*;
use common::fixtures::lcg;
use linfa::prelude::*;
use linfa_trees::DecisionTree;
use ndarray::{Array1, Array2};

/// 3 000 rows: x1 in steps of 0.2 on [0, 10), x2 an integer 0..19, x3 a 30 % dummy, x4 in steps of 0.1
/// on [0, 10); logit = −2 + 0.35·x1 − 0.15·x2 + 1.2·x3 + 0.08·x4 (LCG seed 21, as the Python script).
fn table() -> (Array2<f64>, Vec<bool>) {
    let u = lcg(3000 * 5, 21);
    let x = Array2::from_shape_fn((3000, 4), |(i, j)| {
        let v = u[5 * i + j];
        match j {
            0 => (v * 50.0).floor() / 5.0,
            1 => (v * 20.0).floor(),
            2 => (v < 0.3) as u8 as f64,
            _ => (v * 100.0).floor() / 10.0,
        }
    });
    let y = (0..3000)
        .map(|i| {
            let z = -2.0 + 0.35 * x[[i, 0]] - 0.15 * x[[i, 1]] + 1.2 * x[[i, 2]] + 0.08 * x[[i, 3]];
            u[5 * i + 4] < 1.0 / (1.0 + (-z).exp())
        })
        .collect();
    (x, y)
}

fn cart() -> Cart {
    Cart {
        max_depth: 4,
        min_samples_leaf: 20,
    }
}

#[test]
fn the_tree_is_scikit_learns() {
    let (x, y) = table();
    assert_eq!(y.iter().filter(|&&t| t).count(), 958, "same rows as Python");
    assert_eq!(x.row(0).to_vec(), vec![2.4, 3.0, 1.0, 4.4]);
    let fit = cart()
        .fit(&DatasetBase::new(x.clone(), Array1::from(y.clone())))
        .unwrap();
    // scikit-learn 1.9.1 DecisionTreeClassifier(max_depth=4, min_samples_leaf=20, random_state=0):
    // 31 nodes, 16 leaves, these splits (feature, threshold; scikit-learn stores thresholds as float32)
    let sklearn: [(usize, f64); 15] = [
        (0, 3.899999976158142),
        (0, 4.099999904632568),
        (0, 7.299999952316284),
        (1, 5.5),
        (1, 8.5),
        (1, 8.5),
        (1, 11.5),
        (1, 17.5),
        (2, 0.5),
        (2, 0.5),
        (2, 0.5),
        (2, 0.5),
        (2, 0.5),
        (2, 0.5),
        (3, 4.1499998569488525),
    ];
    assert_eq!(fit.nodes.len(), 31);
    assert_eq!(fit.leaves(), 16);
    let mut ours: Vec<(usize, f64)> = fit
        .nodes
        .iter()
        .filter_map(|n| n.feature.map(|f| (f, n.threshold)))
        .collect();
    ours.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    for ((f, t), (sf, st)) in ours.iter().zip(sklearn) {
        assert_eq!(*f, sf, "{ours:?}");
        assert!((t - st).abs() < 1e-6, "{ours:?}");
    }
    // predict_proba rows 0, 1, 2 and 2999; the probabilities add up to the 958 positives
    let p: Array1<f64> = fit.predict(&x);
    for (i, sk) in [
        (0, 0.4),
        (1, 0.21082621082621084),
        (2, 0.4),
        (2999, 0.2676056338028169),
    ] {
        assert!((p[i] - sk).abs() < 1e-12, "row {i}: {}", p[i]);
    }
    assert!((p.sum() - 958.0).abs() < 1e-9);
}

#[test]
fn it_grows_linfa_trees_own_tree_where_linfa_sees_every_split() {
    // linfa-trees compares each row with the NEXT ROW OF THE WHOLE TABLE in its sorted order, not the next
    // row of the node, so inside a node it misses cuts after a value whose last copy sits in another node.
    // With distinct values it sees every cut (at other midpoints, but the same partitions): there the
    // trees must agree. 240 rows of distinct values (each gets a bin of its own), depth 3, leaves ≥ 5.
    let u = lcg(240 * 4, 33);
    let x = Array2::from_shape_fn((240, 3), |(i, j)| u[4 * i + j] * 10.0);
    let y: Vec<bool> = (0..240)
        .map(|i| {
            let z = -1.0 + 0.4 * x[[i, 0]] - 0.3 * x[[i, 1]] + 0.05 * x[[i, 2]];
            u[4 * i + 3] < 1.0 / (1.0 + (-z).exp())
        })
        .collect();
    let data = DatasetBase::new(x.clone(), Array1::from(y));
    let ours = Cart {
        max_depth: 3,
        min_samples_leaf: 5,
    }
    .fit(&data)
    .unwrap();
    let p: Array1<f64> = ours.predict(&x);
    let theirs = DecisionTree::params()
        .max_depth(Some(3))
        .min_weight_leaf(5.0)
        .min_impurity_decrease(1e-12)
        .fit(&data)
        .unwrap();
    let root = theirs.root_node();
    assert_eq!(
        ours.nodes[0].feature,
        Some(root.split().0),
        "same root feature"
    );
    let classes: Array1<bool> = theirs.predict(&x);
    let agree = p
        .iter()
        .zip(classes.iter())
        .filter(|(p, c)| (**p > 0.5) == **c)
        .count();
    assert_eq!(
        agree, 240,
        "each leaf's majority class is linfa's prediction"
    );
}

#[test]
fn many_valued_features_are_cut_at_quantiles_and_still_split_well() {
    // 20 000 distinct values in one feature: 256 bins, edges at quantiles
    let u = lcg(40_000, 9);
    let x = Array2::from_shape_fn((20_000, 1), |(i, _)| u[2 * i] * 100.0);
    let y: Vec<bool> = (0..20_000).map(|i| x[[i, 0]] > 37.0).collect();
    let binned = Binned::new(x.view()).unwrap();
    assert!(binned.edges[0].len() < MAX_BINS && binned.values[0].is_none());
    let rows: Vec<usize> = (0..20_000).collect();
    let fit = Cart {
        max_depth: 1,
        min_samples_leaf: 1,
    }
    .grow(&binned, &rows, &y)
    .unwrap();
    // the best cut is within one bin (100 / 256) of the true boundary
    assert!(
        (fit.nodes[0].threshold - 37.0).abs() < 100.0 / 256.0,
        "{:?}",
        fit.nodes[0]
    );
}

#[test]
fn bad_input_is_an_error() {
    let mut x = Array2::zeros((30, 2));
    x[[4, 1]] = f64::NAN;
    assert_eq!(Binned::new(x.view()).unwrap_err(), TreeError::NotFinite(1));
    let ok = Binned::new(Array2::zeros((30, 2)).view()).unwrap();
    assert_eq!(
        cart().grow(&ok, &[], &[false; 30]).unwrap_err(),
        TreeError::NoRows
    );
}

//! A random forest of classification trees (Gini), as scikit-learn's `RandomForestClassifier`: each tree
//! grown to purity on a bootstrap sample of the training rows, √p features tried at each node (features
//! constant in the node do not count), and the forest's probability the mean of the trees' leaf positive
//! shares. Trees are grown depth-first on the shared bins (`tree::Binned`), in parallel.
//!
//! On large tables each tree draws at most `max_samples` rows (scikit-learn's `max_samples`); the table
//! of models says so.

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::ArrayView2;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;
use thiserror::Error;

use crate::analysis::models::flat::{sum_trees, FlatNode, LEAF};
use crate::analysis::models::tree::{Binned, MAX_BINS};

#[derive(Debug, Error, PartialEq)]
pub enum ForestError {
    #[error("no rows to fit")]
    NoRows,
    #[error("cancelled")]
    Cancelled,
}

/// Settings, with scikit-learn's names.
#[derive(Debug, Clone, PartialEq)]
pub struct Forest {
    pub n_estimators: usize,
    /// Features tried per node; `None` = √p (scikit-learn's "sqrt").
    pub max_features: Option<usize>,
    /// Rows drawn (with replacement) per tree; `None` = as many as there are training rows.
    pub max_samples: Option<usize>,
    pub min_samples_leaf: usize,
    pub seed: u64,
}

impl Default for Forest {
    fn default() -> Self {
        Self {
            n_estimators: 100,
            max_features: None,
            max_samples: None,
            min_samples_leaf: 1,
            seed: 42,
        }
    }
}

/// A node: a split (`feature < u32::MAX`, `x <= threshold` goes left) or a leaf with its positive share.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestNode {
    pub feature: u32,
    pub threshold: f64,
    pub left: u32,
    pub right: u32,
    pub value: f64,
}

/// A node before it is split (a leaf until then).
const UNSPLIT: ForestNode = ForestNode {
    feature: u32::MAX,
    threshold: 0.0,
    left: 0,
    right: 0,
    value: 0.0,
};

#[derive(Debug, Clone, PartialEq)]
pub struct ForestFit {
    pub trees: Vec<Vec<FlatNode>>,
    /// Rows each tree drew.
    pub samples_per_tree: usize,
}

fn gini(pos: f64, n: f64) -> f64 {
    if n <= 0.0 {
        0.0
    } else {
        let p = pos / n;
        n * 2.0 * p * (1.0 - p)
    }
}

/// Best Gini split of `rows` on feature `j`: (bin, weighted child impurity, threshold), or `None` when
/// the feature is constant in the node or no split leaves `min_leaf` rows on each side.
fn best_on(
    binned: &Binned,
    j: usize,
    rows: &[u32],
    y: &[bool],
    min_leaf: usize,
    counts: &mut [[u32; 2]; MAX_BINS],
) -> Option<Option<(usize, f64, f64)>> {
    let bins = &binned.bins[j];
    let (mut lo, mut hi) = (u8::MAX, 0u8);
    for &r in rows {
        let b = bins[r as usize];
        lo = lo.min(b);
        hi = hi.max(b);
        let c = &mut counts[b as usize];
        c[0] += 1;
        c[1] += y[r as usize] as u32;
    }
    if lo == hi {
        counts[lo as usize] = [0, 0];
        return None;
    }
    let n = rows.len() as f64;
    let npos: f64 = (lo..=hi).map(|b| counts[b as usize][1] as f64).sum();
    let (mut ln, mut lp) = (0.0, 0.0);
    let mut best: Option<(usize, f64)> = None;
    for (b, &c) in counts
        .iter()
        .enumerate()
        .take(hi as usize)
        .skip(lo as usize)
    {
        ln += c[0] as f64;
        lp += c[1] as f64;
        if c[0] == 0 || ln < min_leaf as f64 || n - ln < min_leaf as f64 {
            continue;
        }
        let score = gini(lp, ln) + gini(npos - lp, n - ln);
        if best.is_none_or(|(_, s)| score < s) {
            best = Some((b, score));
        }
    }
    let out = best.map(|(b, score)| {
        let next = (b + 1..=hi as usize)
            .find(|&c| counts[c][0] > 0)
            .unwrap_or(b + 1);
        let t = match &binned.values[j] {
            Some(vals) if next < vals.len() => vals[b] + (vals[next] - vals[b]) / 2.0,
            _ => binned.edges[j][b],
        };
        // a halfway point that rounds up to the next value would send it left
        let t = match &binned.values[j] {
            Some(vals) if next < vals.len() && t >= vals[next] => vals[b],
            _ => t,
        };
        (b, score, t)
    });
    for c in &mut counts[lo as usize..=hi as usize] {
        *c = [0, 0];
    }
    Some(out)
}

fn grow_tree(
    binned: &Binned,
    mut idx: Vec<u32>,
    y: &[bool],
    mtry: usize,
    min_leaf: usize,
    rng: &mut Xoshiro256Plus,
) -> Vec<ForestNode> {
    let p = binned.bins.len();
    let mut nodes = Vec::new();
    let mut counts = [[0u32; 2]; MAX_BINS];
    let mut order: Vec<usize> = (0..p).collect();
    let mut scratch: Vec<u32> = Vec::new();
    nodes.push(UNSPLIT);
    // (node index, start, end) of the nodes still to split
    let mut stack = vec![(0usize, 0usize, idx.len())];
    while let Some((v, start, end)) = stack.pop() {
        let rows = &idx[start..end];
        let n = rows.len();
        let pos = rows.iter().filter(|&&r| y[r as usize]).count();
        nodes[v].value = pos as f64 / n.max(1) as f64;
        if pos == 0 || pos == n || n < 2 * min_leaf.max(1) {
            continue;
        }
        order.shuffle(rng);
        let mut visited = 0;
        let mut best: Option<(usize, usize, f64, f64)> = None;
        for &j in &order {
            if visited >= mtry && best.is_some() {
                break;
            }
            let Some(found) = best_on(binned, j, rows, y, min_leaf, &mut counts) else {
                continue;
            };
            visited += 1;
            if let Some((b, score, t)) = found {
                if best.is_none_or(|(_, _, s, _)| score < s) {
                    best = Some((j, b, score, t));
                }
            }
        }
        let Some((j, b, _, t)) = best else { continue };
        let nl = binned.partition(&mut idx[start..end], j, b, &mut scratch);
        let (l, r) = (nodes.len(), nodes.len() + 1);
        nodes.extend([UNSPLIT, UNSPLIT]);
        nodes[v].feature = j as u32;
        nodes[v].threshold = t;
        nodes[v].left = l as u32;
        nodes[v].right = r as u32;
        stack.push((r, start + nl, end));
        stack.push((l, start, start + nl));
    }
    nodes
}

impl Forest {
    /// Fit on `rows` of a binned table with labels `y` (indexed like the table).
    pub fn fit(
        &self,
        binned: &Binned,
        rows: &[usize],
        y: &[bool],
        cancel: &AtomicBool,
    ) -> Result<ForestFit, ForestError> {
        if rows.is_empty() {
            return Err(ForestError::NoRows);
        }
        let p = binned.bins.len();
        let mtry = self
            .max_features
            .unwrap_or(((p as f64).sqrt() as usize).max(1))
            .clamp(1, p.max(1));
        let draws = self.max_samples.map_or(rows.len(), |m| m.min(rows.len()));
        let trees: Vec<Option<Vec<FlatNode>>> = (0..self.n_estimators)
            .into_par_iter()
            .map(|t| {
                if cancel.load(Ordering::Relaxed) {
                    return None;
                }
                let mut rng = Xoshiro256Plus::seed_from_u64(self.seed.wrapping_add(t as u64));
                let idx: Vec<u32> = (0..draws)
                    .map(|_| rows[rng.gen_range(0..rows.len())] as u32)
                    .collect();
                let nodes = grow_tree(binned, idx, y, mtry, self.min_samples_leaf, &mut rng);
                Some(
                    nodes
                        .iter()
                        .map(|n| FlatNode {
                            feature: n.feature,
                            left: n.left,
                            value: if n.feature == LEAF {
                                n.value
                            } else {
                                n.threshold
                            },
                        })
                        .collect(),
                )
            })
            .collect();
        let trees: Option<Vec<_>> = trees.into_iter().collect();
        Ok(ForestFit {
            trees: trees.ok_or(ForestError::Cancelled)?,
            samples_per_tree: draws,
        })
    }
}

impl ForestFit {
    /// Mean leaf positive share over the trees, for every row of `x`.
    pub fn probabilities(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let k = self.trees.len().max(1) as f64;
        sum_trees(&self.trees, x)
            .into_iter()
            .map(|s| s / k)
            .collect()
    }

    /// Mean number of nodes per tree.
    pub fn mean_nodes(&self) -> f64 {
        self.trees.iter().map(|t| t.len()).sum::<usize>() as f64 / self.trees.len().max(1) as f64
    }
}

//! Gradient boosting of binned regression trees on the log-loss: scikit-learn's
//! `HistGradientBoostingClassifier` with its defaults (learning rate 0.1, 100 iterations, 31 leaves grown
//! best-first, at least 20 rows per leaf, no L2, early stopping on a stratified 10 % of the training
//! rows when there are more than 10 000, stopping after 10 iterations without a better validation loss).
//!
//! Why our own rather than `forust-ml`: the booster shares the tree's bins (`tree::Binned`, one binning
//! per table for every model and fold), follows the reference the figures come from, adds no
//! build time, and its trees are plain (feature, threshold) nodes that the saved-model and SQL export
//! write out as nested `CASE`. A tree costs one histogram pass over the rows of the smaller child of
//! each split (the larger child's histogram is the parent's minus the smaller's), features in parallel.

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::ArrayView2;
use thiserror::Error;

use crate::analysis::models::flat::{sum_trees, FlatNode, LEAF};
use crate::analysis::models::histogram::{histogram, Bin, NodeTotals, Sparse};
use crate::analysis::models::split::stratified_split;
use crate::analysis::models::tree::{Binned, MAX_BINS};

#[derive(Debug, Error, PartialEq)]
pub enum BoostError {
    #[error("no rows to fit")]
    NoRows,
    #[error("the training rows have only one class")]
    OneClass,
    #[error("cancelled")]
    Cancelled,
}

/// Settings, with scikit-learn's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Booster {
    pub learning_rate: f64,
    pub max_iter: usize,
    pub max_leaf_nodes: usize,
    pub min_samples_leaf: usize,
    pub l2_regularization: f64,
    /// `None` = scikit-learn's "auto": on when there are more than 10 000 training rows.
    pub early_stopping: Option<bool>,
    pub n_iter_no_change: usize,
    pub validation_fraction: f64,
    pub seed: u64,
}

impl Default for Booster {
    fn default() -> Self {
        Self {
            learning_rate: 0.1,
            max_iter: 100,
            max_leaf_nodes: 31,
            min_samples_leaf: 20,
            l2_regularization: 0.0,
            early_stopping: None,
            n_iter_no_change: 10,
            validation_fraction: 0.1,
            seed: 42,
        }
    }
}

/// A node of a boosted tree: a split (`feature < u32::MAX`, `x <= threshold` goes left) or a leaf
/// adding `value` to the log-odds.
#[derive(Debug, Clone, PartialEq)]
pub struct BoostNode {
    pub feature: u32,
    pub bin: u8,
    pub threshold: f64,
    pub left: u32,
    pub right: u32,
    pub value: f64,
}

impl BoostNode {
    pub fn is_leaf(&self) -> bool {
        self.feature == u32::MAX
    }
}

/// A fitted booster: log-odds = baseline + Σ trees.
#[derive(Debug, Clone, PartialEq)]
pub struct BoostFit {
    pub baseline: f64,
    pub trees: Vec<Vec<FlatNode>>,
    /// Rows held out to decide when to stop (0 without early stopping).
    pub validation_rows: usize,
    pub early_stopped: bool,
}

#[derive(Debug, Clone, Copy)]
struct Split {
    feature: usize,
    bin: usize,
    gain: f64,
    g: f64,
    h: f64,
    n: u32,
}

/// A leaf that may still split: its rows are `idx[start..end]`.
struct Open {
    node: usize,
    start: usize,
    end: usize,
    hist: Vec<Bin>,
    g: f64,
    h: f64,
    split: Option<Split>,
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Booster {
    fn leaf_value(&self, g: f64, h: f64) -> f64 {
        -self.learning_rate * g / (h + self.l2_regularization + 1e-15)
    }

    /// The best split of a node (largest loss reduction, features and bins in order), if any gains.
    fn best_split(&self, binned: &Binned, hist: &[Bin], g: f64, h: f64, n: u32) -> Option<Split> {
        let min_leaf = self.min_samples_leaf.max(1) as u32;
        if n < 2 * min_leaf {
            return None;
        }
        let l2 = self.l2_regularization;
        let parent = g * g / (h + l2);
        let mut best: Option<Split> = None;
        for (j, edges) in binned.edges.iter().enumerate() {
            let cells = &hist[j * MAX_BINS..(j + 1) * MAX_BINS];
            let (mut gl, mut hl, mut nl) = (0.0, 0.0, 0u32);
            for (b, c) in cells.iter().enumerate().take(edges.len()) {
                gl += c.g;
                hl += c.h;
                nl += c.n;
                if nl < min_leaf || c.n == 0 {
                    continue;
                }
                if n - nl < min_leaf {
                    break;
                }
                let (gr, hr) = (g - gl, h - hl);
                if hl < 1e-3 || hr < 1e-3 {
                    continue;
                }
                let gain = 0.5 * (gl * gl / (hl + l2) + gr * gr / (hr + l2) - parent);
                if gain > 0.0 && best.is_none_or(|s| gain > s.gain) {
                    best = Some(Split {
                        feature: j,
                        bin: b,
                        gain,
                        g: gl,
                        h: hl,
                        n: nl,
                    });
                }
            }
        }
        best
    }

    /// Grow one tree on `idx` (training rows, reordered in place by leaf); returns its nodes and each
    /// leaf's (node, row range) so the caller can update the training rows' log-odds.
    fn grow(
        &self,
        binned: &Binned,
        idx: &mut [u32],
        grad: &[(f32, f32)],
        sparse: &mut Sparse,
        tree: usize,
    ) -> (Vec<BoostNode>, Vec<(usize, usize, usize)>) {
        let leaf = |value| BoostNode {
            feature: u32::MAX,
            bin: 0,
            threshold: 0.0,
            left: 0,
            right: 0,
            value,
        };
        // node ids in `sparse.node_of` are unique over the whole fit: tree t's node v is t·2¹⁶ + v
        let base = (tree as u32) << 16;
        for &r in idx.iter() {
            sparse.node_of[r as usize] = base;
        }
        let (g, h) = idx.iter().fold((0.0, 0.0), |(g, h), &r| {
            let (a, b) = grad[r as usize];
            (g + a as f64, h + b as f64)
        });
        let root = NodeTotals {
            sparse,
            node: base,
            g,
            h,
        };
        let hist = histogram(binned, idx, grad, Some(&root));
        let mut nodes = vec![leaf(0.0)];
        let split = self.best_split(binned, &hist, g, h, idx.len() as u32);
        let mut open = vec![Open {
            node: 0,
            start: 0,
            end: idx.len(),
            hist,
            g,
            h,
            split,
        }];
        let mut done: Vec<Open> = Vec::new();
        let mut leaves = 1;
        let mut scratch: Vec<u32> = Vec::with_capacity(idx.len());
        while leaves < self.max_leaf_nodes {
            // the open leaf whose split gains most
            let pick = open
                .iter()
                .enumerate()
                .filter_map(|(i, o)| o.split.map(|s| (i, s.gain)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let Some((i, _)) = pick else { break };
            let o = open.swap_remove(i);
            let s = o.split.expect("picked a split");
            let rows = &mut idx[o.start..o.end];
            let nl = binned.partition(rows, s.feature, s.bin, &mut scratch);
            let mid = o.start + nl;
            let (small_left, small) = if nl <= rows.len() - nl {
                (true, &idx[o.start..mid])
            } else {
                (false, &idx[mid..o.end])
            };
            let (child, st) = if small_left {
                (nodes.len(), (s.g, s.h))
            } else {
                (nodes.len() + 1, (o.g - s.g, o.h - s.h))
            };
            let id = base + child as u32;
            for &r in small {
                sparse.node_of[r as usize] = id;
            }
            let t = NodeTotals {
                sparse,
                node: id,
                g: st.0,
                h: st.1,
            };
            let small_hist = histogram(binned, small, grad, Some(&t));
            let mut large_hist = o.hist;
            for (a, b) in large_hist.iter_mut().zip(&small_hist) {
                a.g -= b.g;
                a.h -= b.h;
                a.n -= b.n;
            }
            let (lh, rh) = if small_left {
                (small_hist, large_hist)
            } else {
                (large_hist, small_hist)
            };
            let (l, r) = (nodes.len(), nodes.len() + 1);
            nodes.push(leaf(0.0));
            nodes.push(leaf(0.0));
            let nd = &mut nodes[o.node];
            nd.feature = s.feature as u32;
            nd.bin = s.bin as u8;
            nd.threshold = binned.edges[s.feature][s.bin];
            nd.left = l as u32;
            nd.right = r as u32;
            let n = (o.end - o.start) as u32;
            let (gr, hr, nr) = (o.g - s.g, o.h - s.h, n - s.n);
            for (node, start, end, hist, g, h, cn) in [
                (l, o.start, mid, lh, s.g, s.h, s.n),
                (r, mid, o.end, rh, gr, hr, nr),
            ] {
                let split = self.best_split(binned, &hist, g, h, cn);
                open.push(Open {
                    node,
                    start,
                    end,
                    hist,
                    g,
                    h,
                    split,
                });
            }
            leaves += 1;
        }
        done.extend(open);
        let mut ranges = Vec::with_capacity(done.len());
        for o in done {
            nodes[o.node].value = self.leaf_value(o.g, o.h);
            ranges.push((o.node, o.start, o.end));
        }
        (nodes, ranges)
    }

    /// Fit on `rows` of a binned table with labels `y` (indexed like the table).
    pub fn fit(
        &self,
        binned: &Binned,
        rows: &[usize],
        y: &[bool],
        cancel: &AtomicBool,
    ) -> Result<BoostFit, BoostError> {
        if rows.is_empty() {
            return Err(BoostError::NoRows);
        }
        let early = self.early_stopping.unwrap_or(rows.len() > 10_000);
        let (fit_rows, val_rows): (Vec<usize>, Vec<usize>) = if early {
            let ys: Vec<bool> = rows.iter().map(|&r| y[r]).collect();
            match stratified_split(&ys, self.validation_fraction, self.seed) {
                Ok((a, b)) if !b.is_empty() => (
                    a.into_iter().map(|i| rows[i]).collect(),
                    b.into_iter().map(|i| rows[i]).collect(),
                ),
                _ => (rows.to_vec(), Vec::new()),
            }
        } else {
            (rows.to_vec(), Vec::new())
        };
        let pos = fit_rows.iter().filter(|&&r| y[r]).count();
        if pos == 0 || pos == fit_rows.len() {
            return Err(BoostError::OneClass);
        }
        let rate = pos as f64 / fit_rows.len() as f64;
        let baseline = (rate / (1.0 - rate)).ln();
        let n = y.len();
        let mut raw = vec![baseline; n];
        let mut grad = vec![(0f32, 0f32); n];
        let mut idx: Vec<u32> = fit_rows.iter().map(|&r| r as u32).collect();
        let loss = |raw: &[f64], rows: &[usize]| -> f64 {
            rows.iter()
                .map(|&r| {
                    let z = raw[r];
                    // log(1 + e^z) - y z, stable
                    let sp = if z > 0.0 {
                        z + (-z).exp().ln_1p()
                    } else {
                        z.exp().ln_1p()
                    };
                    sp - if y[r] { z } else { 0.0 }
                })
                .sum::<f64>()
                / rows.len() as f64
        };
        let mut scores = vec![-loss(&raw, &val_rows)];
        let mut sparse = Sparse::new(binned, &fit_rows, n);
        let mut trees = Vec::new();
        let mut early_stopped = false;
        for _ in 0..self.max_iter {
            if cancel.load(Ordering::Relaxed) {
                return Err(BoostError::Cancelled);
            }
            for &r in &fit_rows {
                let p = sigmoid(raw[r]);
                grad[r] = ((p - y[r] as u8 as f64) as f32, (p * (1.0 - p)) as f32);
            }
            // rows in table order: the histograms then stream through the bin columns
            idx.sort_unstable();
            let (nodes, ranges) = self.grow(binned, &mut idx, &grad, &mut sparse, trees.len());
            for (node, start, end) in ranges {
                let v = nodes[node].value;
                for &r in &idx[start..end] {
                    raw[r as usize] += v;
                }
            }
            for &r in &val_rows {
                raw[r] += value_binned(&nodes, binned, r);
            }
            trees.push(flatten(&nodes));
            if early {
                scores.push(-loss(&raw, &val_rows));
                let k = self.n_iter_no_change;
                if scores.len() > k {
                    let reference = scores[scores.len() - k - 1] + 1e-7;
                    if !scores[scores.len() - k..].iter().any(|&s| s > reference) {
                        early_stopped = true;
                        break;
                    }
                }
            }
        }
        Ok(BoostFit {
            baseline,
            trees,
            validation_rows: val_rows.len(),
            early_stopped,
        })
    }
}

fn value_binned(nodes: &[BoostNode], binned: &Binned, r: usize) -> f64 {
    let mut v = 0;
    while !nodes[v].is_leaf() {
        let nd = &nodes[v];
        v = if binned.bins[nd.feature as usize][r] <= nd.bin {
            nd.left
        } else {
            nd.right
        } as usize;
    }
    nodes[v].value
}

fn flatten(nodes: &[BoostNode]) -> Vec<FlatNode> {
    nodes
        .iter()
        .map(|n| FlatNode {
            feature: if n.is_leaf() { LEAF } else { n.feature },
            left: n.left,
            value: if n.is_leaf() { n.value } else { n.threshold },
        })
        .collect()
}

impl BoostFit {
    /// Positive-class probability of every row of `x`.
    pub fn probabilities(&self, x: ArrayView2<f64>) -> Vec<f64> {
        sum_trees(&self.trees, x)
            .into_iter()
            .map(|z| sigmoid(self.baseline + z))
            .collect()
    }

    pub fn iterations(&self) -> usize {
        self.trees.len()
    }
}
